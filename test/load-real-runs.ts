/** Test support for the jsdom panel tests: the real-run scenarios (real-runs.ts), run in a Node child process. */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Scenario, ScenarioResult } from './real-runs.ts';

const CLI = join(dirname(fileURLToPath(import.meta.url)), 'real-runs-cli.ts');

export async function loadRealRuns<S extends Scenario>(...names: S[]): Promise<{ [K in S]: ScenarioResult<K> }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...names], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as { [K in S]: ScenarioResult<K> };
}
