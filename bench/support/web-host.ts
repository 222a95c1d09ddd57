/**
 * The real web host (`scripts/start.mjs --web`) for the editor benchmarks, on a data folder and a
 * home of its own in `dir`, serving the production build (dist/renderer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Starts the web host on a fresh data folder (`dir`/data, home `dir`/home); answers its address with the token. */
export function startHost(dir: string): Promise<{ host: ChildProcess; url: string }> {
  const host = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--web', '--no-open'], {
    cwd: ROOT,
    env: { ...process.env, DATAFLOW_HOME: join(dir, 'data'), HOME: join(dir, 'home') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    host.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /DataFlow Studio: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) resolve({ host, url: m[1]! });
    });
    host.on('exit', (code) => reject(new Error(`the web host exited (${code}) before it printed its address`)));
  });
}

/** Opens the workflow file `file` in the editor through the File menu; waits for its first card (`n0`). */
export async function openWorkflow(page: Page, file: string): Promise<void> {
  await page.getByTestId('btn-file-menu').click();
  await page.getByTestId('btn-open').click();
  await page.getByTestId('open-path').fill(file);
  await page.getByTestId('open-submit').click();
  await page.getByTestId('node-n0').waitFor();
}
