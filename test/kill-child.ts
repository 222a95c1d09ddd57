/**
 * The kill of the kill -9 tests (test/kill-points.ts, test/rollback-kill-points.ts): applies a
 * workflow file in a child process (test/apply-child.ts), waits until its run started, then
 * `delayMs` more, and SIGKILLs it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..');

/**
 * Applies `file` on `conn` in a child process (`resume`: as `dataflow run --resume`, continuing
 * the newest run of the workflow that stopped part-way) and SIGKILLs it `delayMs` after its run
 * started. Returns how long after the start the kill struck, or null when the run had finished.
 */
export async function applyAndKill(
  conn: string,
  file: string,
  delayMs: number,
  options: { resume?: boolean } = {},
): Promise<number | null> {
  const args = [join(ROOT, 'test/apply-child.ts'), conn, file, ...(options.resume ? ['--resume'] : [])];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let finished = false;
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'started') resolve();
      if (line.startsWith('finished')) finished = true;
    });
    child.once('exit', () => reject(new Error(`the run ended before it started: ${output}`)));
  });
  const started = Date.now();
  await new Promise((r) => setTimeout(r, delayMs));
  const killedAfterMs = child.exitCode === null && !finished ? Date.now() - started : null;
  child.kill('SIGKILL');
  await exited;
  return killedAfterMs;
}
