/**
 * A fleet against a shell loop (docs/fleet.md): 200 SQLite targets (an `orders` table of 768
 * rows each, test/fleet-targets.ts) applying the zero-downtime example, in the same run:
 * - the loop: `for t in ...; do dataflow run zero-downtime --db sqlite:$t; done` in bash, one
 *   process per target, as a script would do it;
 * - `dataflow fleet run --parallel 4` over the same number of fresh targets;
 * - `dataflow fleet run --parallel 1`, whose targets run one after another, so the sum of their
 *   own run times (open, lock, preflight, review, drift check, apply, record, close: each
 *   target's `durationMs` in the JSON matrix) is the fleet's own work, and the rest of its wall
 *   time is the fleet's overhead (start, targets file, waves, history in store.db).
 * Every command runs the bundle (dist/cli/, rebuilt first when stale). Target: the fleet at
 * parallelism 4 within 1x of the loop's wall time (it must not be slower than a loop).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../electron/main/bundle.ts';
import type { RunMatrix } from '../electron/fleet/matrix.ts';
import { sqliteFleet } from '../test/fleet-targets.ts';
import type { BenchResult } from './run.ts';
import { describeMachine } from './support/machine.ts';
import { runIfMain } from './support/standalone.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin', 'dataflow.js');
const EXAMPLE = join(ROOT, 'assets', 'examples', 'zero-downtime.dataflow.json');
const TARGETS = Number(process.env.BENCH_FLEET_TARGETS ?? 200);

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, DATAFLOW_CLI: 'bundle', ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0)
    throw new Error(`${command} ${args.slice(0, 3).join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return { ms, stdout: r.stdout };
}

export async function run(): Promise<BenchResult> {
  if (spawnSync(process.execPath, [BIN, '--help'], { env: { ...process.env, DATAFLOW_CLI: 'bundle' } }).status !== 0) {
    const { files } = await bundleCli();
    console.log(`the bundle was missing or stale: rebuilt (${files.length} files)`);
  }
  const home = mkdtempSync(join(tmpdir(), 'dataflow-bench-home-'));
  const loopFleet = sqliteFleet(TARGETS, { doublings: 8 });
  const fleet4 = sqliteFleet(TARGETS, { doublings: 8 });
  const fleet1 = sqliteFleet(TARGETS, { doublings: 8 });
  try {
    const env = { DATAFLOW_HOME: home };
    const script = `for t in "$@"; do "${process.execPath}" "${BIN}" run "${EXAMPLE}" --db "sqlite:$t" > /dev/null 2>&1 || exit 1; done`;
    const loop = timed('bash', ['-c', script, 'loop', ...loopFleet.paths], env);
    const fleetRun = (file: string, parallel: number) => {
      const r = timed(
        process.execPath,
        [BIN, 'fleet', 'run', EXAMPLE, '--targets', file, '--parallel', String(parallel), '--json'],
        env,
      );
      const matrix = JSON.parse(r.stdout) as RunMatrix;
      if (matrix.counts.succeeded !== TARGETS) throw new Error(`fleet: ${JSON.stringify(matrix.counts)}`);
      return { ms: r.ms, own: matrix.targets.reduce((sum, t) => sum + (t.durationMs ?? 0), 0) };
    };
    const p4 = fleetRun(fleet4.file, 4);
    const p1 = fleetRun(fleet1.file, 1);
    const overhead = (p1.ms - p1.own) / TARGETS;
    console.log(`${TARGETS} SQLite targets (768 orders each), zero-downtime example; ${describeMachine()}`);
    console.log(
      `shell loop of dataflow run:   ${(loop.ms / 1000).toFixed(1)} s, ${(loop.ms / TARGETS).toFixed(1)} ms per target`,
    );
    console.log(
      `dataflow fleet run -p 4:      ${(p4.ms / 1000).toFixed(1)} s, ${(p4.ms / TARGETS).toFixed(1)} ms per target`,
    );
    console.log(
      `dataflow fleet run -p 1:      ${(p1.ms / 1000).toFixed(1)} s, ${(p1.ms / TARGETS).toFixed(1)} ms per target, of which the targets' own runs ${(p1.own / TARGETS).toFixed(1)} ms: fleet overhead ${overhead.toFixed(1)} ms per target`,
    );
    return {
      name: `fleet of ${TARGETS} SQLite targets`,
      figures: {
        'loop ms per target': loop.ms / TARGETS,
        'fleet p4 ms per target': p4.ms / TARGETS,
        'fleet p1 ms per target': p1.ms / TARGETS,
        'own run ms per target': p1.own / TARGETS,
        'fleet overhead ms per target': overhead,
      },
      ratio: p4.ms / loop.ms,
      baseline: 'a bash loop of dataflow run over the same number of targets',
      target: 1,
    };
  } finally {
    for (const dir of [home, loopFleet.dir, fleet4.dir, fleet1.dir]) rmSync(dir, { recursive: true, force: true });
  }
}

await runIfMain(import.meta.url, run);
