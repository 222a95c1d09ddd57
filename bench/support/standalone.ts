/**
 * Lets a bench module run on its own (`node --import tsx bench/<name>.ts`) as well as under the
 * harness bench/run.ts, which imports it and calls `run()` itself.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Calls `run` when the module at `moduleUrl` is the program node was started with. */
export async function runIfMain(moduleUrl: string, run: () => Promise<unknown>): Promise<void> {
  const entry = process.argv[1];
  if (!entry || pathToFileURL(resolve(entry)).href !== moduleUrl) return;
  try {
    await run();
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  }
}
