/** Where the app keeps its data: `DATAFLOW_HOME`, else the host's default folder. */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The folder for browser mode (no Electron userData there). */
export function defaultWebDataDir(): string {
  return join(homedir(), '.dataflow-studio');
}

/** `DATAFLOW_HOME` when set, else `fallback`; created (owner-only) when missing. */
export function resolveDataDir(fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = resolve(env.DATAFLOW_HOME?.trim() || fallback);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
