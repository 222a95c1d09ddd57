/**
 * How long the `dataflow` command takes to start: `dataflow --help`, `dataflow validate` on an
 * example workflow and `dataflow plan` of that workflow on the demo database (SQLite, default
 * 100,000 orders), each a fresh `node bin/dataflow.js` process as a user starts it, against
 * `node -e 0` (the floor: Node starting and exiting). The bundle (dist/cli/, rebuilt first when
 * stale) and the TypeScript sources through tsx (the fallback) are both timed. Every round runs
 * each case once, in the same order, so that load drifting over the run reaches every case alike;
 * the figures are medians of the wall times. Targets: `--help` within 2x of `node -e 0`,
 * `validate` within 3x.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../electron/main/bundle.ts';
import type { BenchResult } from './run.ts';
import { describeMachine } from './support/machine.ts';
import { runIfMain } from './support/standalone.ts';
import { median, msList } from './support/stats.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin', 'dataflow.js');
const EXAMPLE = join(ROOT, 'assets', 'examples', 'basic-add-column.dataflow.json');
const ROUNDS = Number(process.env.BENCH_CLI_ROUNDS ?? 15);

/** Runs `node <args>` to its end and returns the wall time in ms; any exit code but 0 is an error. */
function time(args: string[], env: NodeJS.ProcessEnv = {}): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export async function run(): Promise<BenchResult[]> {
  // DATAFLOW_CLI=bundle: a bundle that is not current fails the run instead of timing the sources.
  if (spawnSync(process.execPath, [BIN, '--help'], { env: { ...process.env, DATAFLOW_CLI: 'bundle' } }).status !== 0) {
    const { files } = await bundleCli();
    console.log(`the bundle was missing or stale: rebuilt (${files.length} files)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-bench-cli-'));
  try {
    const conn = `sqlite:${join(dir, 'demo.db')}`;
    const t0 = performance.now();
    time([BIN, 'demo-db', conn]);
    console.log(`demo database (100,000 orders) created in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const commands: Record<string, string[]> = {
      '--help': ['--help'],
      validate: ['validate', EXAMPLE],
      plan: ['plan', EXAMPLE, '--db', conn],
    };
    const cases: Record<string, { args: string[]; env?: NodeJS.ProcessEnv }> = { 'node -e 0': { args: ['-e', '0'] } };
    for (const [name, args] of Object.entries(commands)) {
      cases[`${name} (bundle)`] = { args: [BIN, ...args], env: { DATAFLOW_CLI: 'bundle' } };
      cases[`${name} (tsx)`] = { args: [BIN, ...args], env: { DATAFLOW_CLI: 'tsx' } };
    }
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (const c of Object.values(cases)) time(c.args, c.env); // warm-up: file cache, compiled tsx cache
    for (let round = 0; round < ROUNDS; round++)
      for (const [name, c] of Object.entries(cases)) times[name]!.push(time(c.args, c.env));

    const floor = median(times['node -e 0']!);
    console.log(`${ROUNDS} rounds; ${describeMachine()}`);
    for (const [name, ms] of Object.entries(times))
      console.log(
        `${name.padEnd(20)} median ${median(ms).toFixed(1)} ms (${(median(ms) / floor).toFixed(2)}x node -e 0); ${msList(ms)}`,
      );
    const result = (name: string, target?: number): BenchResult => ({
      name: `cli ${name}`,
      figures: {
        'bundle median ms': median(times[`${name} (bundle)`]!),
        'tsx median ms': median(times[`${name} (tsx)`]!),
        'node -e 0 median ms': floor,
      },
      ratio: median(times[`${name} (bundle)`]!) / floor,
      baseline: 'node -e 0',
      target,
    });
    return [result('--help', 2), result('validate', 3), result('plan')];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runIfMain(import.meta.url, run);
