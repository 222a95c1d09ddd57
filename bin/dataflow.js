#!/usr/bin/env node
// The `dataflow` command. Runs the bundle in dist/cli/ (`npm run build:cli`; `npm ci` and
// `npm install` build it through the `prepare` script) when no file it was built from has changed
// since the build; otherwise (no bundle, or an edited source) the TypeScript sources through tsx,
// so a stale bundle never runs old code. DATAFLOW_CLI=tsx always runs the sources;
// DATAFLOW_CLI=bundle requires the bundle (exit 2 when it is missing or stale). With
// DATAFLOW_DEBUG=1, stack traces from the (minified) bundle point into the TypeScript.
import { readFileSync, statSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const bundle = new URL('dist/cli/', root);

/** Why the bundle cannot run (missing, or a source changed since it was built), or null when it can. */
function staleness() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('manifest.json', bundle), 'utf8'));
  } catch {
    return 'there is no bundle in dist/cli';
  }
  for (const input of manifest.inputs) {
    const mtime = statSync(new URL(input, root), { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined) return `${input}, which the bundle was built from, is gone`;
    if (mtime > manifest.builtAt) return `${input} changed after the bundle was built`;
  }
  return null;
}

async function load() {
  const choice = process.env.DATAFLOW_CLI;
  if (choice !== 'tsx') {
    const stale = staleness();
    if (stale === null) {
      if (process.env.DATAFLOW_DEBUG) process.setSourceMapsEnabled(true);
      return import(new URL('main.js', bundle).href);
    }
    if (choice === 'bundle') {
      process.stderr.write(`dataflow: DATAFLOW_CLI=bundle, but ${stale}: run npm run build:cli\n`);
      process.exit(2);
    }
  }
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('tsconfig.json', root)) });
  return import(new URL('electron/cli/main.ts', root).href);
}

const { main } = await load();
process.exitCode = await main(process.argv.slice(2));
