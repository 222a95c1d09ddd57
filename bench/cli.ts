/**
 * How long the `dataflow` command takes to start: `dataflow --help`, `dataflow validate` on an
 * example workflow and `dataflow plan` of that workflow on the demo database (SQLite, default
 * 100,000 orders), each a fresh `node bin/dataflow.js` process as a user starts it, against
 * `node -e 0` (the floor: Node starting and exiting). The bundle (dist/cli/, rebuilt first when
 * stale) and the TypeScript sources through tsx (the fallback) are both timed. Every round runs
 * each case once, in the same order, so that load drifting over the run reaches every case alike.
 * Two figures per case, medians: the wall time, and the CPU time (user + system) of the process,
 * read from /proc (Linux; in clock ticks of 10 ms), which a busy machine disturbs less. Targets:
 * `--help` within 2x of `node -e 0`, `validate` within 3x, both by wall and by CPU time (the ratio
 * reported is the larger of the two).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** CPU seconds (user + system) of this process's finished children (Linux), or null elsewhere. */
function childrenCpu(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5), cutime and cstime, in clock ticks (100 a second on Linux).
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Runs `node <args>` to its end: wall and CPU ms (CPU NaN off Linux); any exit code but 0 is an error. */
function time(args: string[], env: NodeJS.ProcessEnv = {}): { wall: number; cpu: number } {
  const cpu0 = childrenCpu();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  const wall = performance.now() - t0;
  const cpu1 = childrenCpu();
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall, cpu: cpu0 === null || cpu1 === null ? NaN : (cpu1 - cpu0) * 1000 };
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
    const times: Record<string, { wall: number[]; cpu: number[] }> = Object.fromEntries(
      Object.keys(cases).map((k) => [k, { wall: [], cpu: [] }]),
    );
    for (const c of Object.values(cases)) time(c.args, c.env); // warm-up: file cache, compiled tsx cache
    for (let round = 0; round < ROUNDS; round++)
      for (const [name, c] of Object.entries(cases)) {
        const t = time(c.args, c.env);
        times[name]!.wall.push(t.wall);
        times[name]!.cpu.push(t.cpu);
      }

    const floor = { wall: median(times['node -e 0']!.wall), cpu: median(times['node -e 0']!.cpu) };
    console.log(`${ROUNDS} rounds; ${describeMachine()}`);
    for (const [name, { wall, cpu }] of Object.entries(times))
      console.log(
        `${name.padEnd(20)} wall median ${median(wall).toFixed(1)} ms (${(median(wall) / floor.wall).toFixed(2)}x), ` +
          `CPU median ${median(cpu).toFixed(0)} ms (${(median(cpu) / floor.cpu).toFixed(2)}x node -e 0); wall ${msList(wall)}`,
      );
    const result = (name: string, target?: number): BenchResult => {
      const bundle = times[`${name} (bundle)`]!;
      const tsx = times[`${name} (tsx)`]!;
      const ratios = [median(bundle.wall) / floor.wall, median(bundle.cpu) / floor.cpu].filter((r) => !Number.isNaN(r));
      return {
        name: `cli ${name}`,
        figures: {
          'bundle wall ms': median(bundle.wall),
          'bundle CPU ms': median(bundle.cpu),
          'tsx wall ms': median(tsx.wall),
          'tsx CPU ms': median(tsx.cpu),
          'node -e 0 wall ms': floor.wall,
          'node -e 0 CPU ms': floor.cpu,
        },
        ratio: Math.max(...ratios),
        baseline: 'node -e 0 (the larger of the wall and CPU ratios)',
        target,
      };
    };
    return [result('--help', 2), result('validate', 3), result('plan')];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runIfMain(import.meta.url, run);
