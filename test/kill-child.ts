/**
 * The kill of the kill -9 tests (test/kill-points.ts, test/rollback-kill-points.ts): applies a
 * workflow file in a child process (test/apply-child.ts, bundled) and SIGKILLs it at a chosen point of its
 * run. The child reports each point it passes (`node_started`, `progress`, `node_finished` of a
 * node, counted per node) once its run record has it, and stops at the `holdAt` point until it is
 * killed, so a kill always strikes the run part-way: never before its record was written, never
 * after it ended.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');

let bundled: Promise<string> | undefined;

/**
 * test/apply-child.ts bundled (npm packages left external), once per test process: it starts in
 * under a second where `node --import tsx` took 2-4 s on a busy machine. Written under another
 * name and renamed, so test files bundling it at once never read half a file.
 */
function childScript(): Promise<string> {
  bundled ??= (async () => {
    const out = join(ROOT, 'dist/test/apply-child.mjs');
    const { outputFiles } = await build({
      absWorkingDir: ROOT,
      entryPoints: [join(ROOT, 'test/apply-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      write: false,
      outfile: out,
      logLevel: 'silent',
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(`${out}.${process.pid}`, outputFiles[0]!.contents);
    renameSync(`${out}.${process.pid}`, out);
    return out;
  })();
  return bundled;
}

/** A point of a run as the child reports it: the `nth` (from 1) event of this kind for `node`. */
export interface RunPoint {
  event: 'node_started' | 'progress' | 'node_finished';
  node: string;
  nth: number;
}

/** Where to kill: `delayMs` after the child passed `after`, or when it reaches `holdAt`, whichever comes first. */
export interface KillPoint {
  after: RunPoint;
  delayMs: number;
  holdAt: RunPoint;
}

export interface Killed {
  /** The run the child was applying (its record's id). */
  runId: string;
  /** How long after the `after` point the kill struck (ms). */
  afterMs: number;
  /** The last point the child reported before the kill, e.g. `progress backfill 4 (2000 rows)`. */
  lastPoint: string;
}

export const pointText = (p: RunPoint): string => `${p.event} ${p.node} ${p.nth}`;

/**
 * Applies `file` on `conn` in a child process (`resume`: as `dataflow run --resume`, continuing
 * the newest run of the workflow that stopped part-way) and SIGKILLs it at `kill`. Throws when the
 * run ended, or the child exited, before the kill struck (the hold point was never reached).
 */
export async function applyAndKill(
  conn: string,
  file: string,
  kill: KillPoint,
  options: { resume?: boolean } = {},
): Promise<Killed> {
  const args = [await childScript(), conn, file, pointText(kill.holdAt), ...(options.resume ? ['--resume'] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let runId = '';
  let lastPoint = '';
  let passedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const strike = () => {
        child.kill('SIGKILL');
        resolve();
      };
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith('started ')) runId = line.slice('started '.length);
        else if (line.startsWith('finished'))
          reject(new Error(`the run ${line} before the kill (${pointText(kill.holdAt)} never came): ${output}`));
        else if (line === 'held') strike();
        else {
          lastPoint = line;
          if (passedAt === 0 && line.startsWith(pointText(kill.after))) {
            passedAt = Date.now();
            timer = setTimeout(strike, kill.delayMs);
          }
        }
      });
      child.once('exit', () => reject(new Error(`the child exited before the kill: ${output}`)));
    });
  } finally {
    clearTimeout(timer);
    child.kill('SIGKILL');
    await exited;
  }
  return { runId, afterMs: passedAt === 0 ? 0 : Date.now() - passedAt, lastPoint };
}
