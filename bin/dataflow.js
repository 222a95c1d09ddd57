#!/usr/bin/env node
// The `dataflow` command: runs the TypeScript CLI through tsx, so a fresh checkout needs no build.
import { register } from 'tsx/esm/api';
import { URL, fileURLToPath } from 'node:url';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import(new URL('../electron/cli/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
