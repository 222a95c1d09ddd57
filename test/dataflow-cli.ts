/** For the CLI tests: runs `node bin/dataflow.js` as a child process, as a user would. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

export function example(name: string): string {
  return join(ROOT, 'assets/examples', `${name}.dataflow.json`);
}

export function dataflow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return dataflowWith({}, ...args);
}

/** `dataflow` with these environment variables added (e.g. DATAFLOW_CLI, see bin/dataflow.js). */
export function dataflowWith(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/dataflow.js'), ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}
