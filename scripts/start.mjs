#!/usr/bin/env node
// `npm start [-- --web] [--no-open]`: opens DataFlow Studio. With the Electron binary present,
// bundles the app (out/), builds better-sqlite3 for Electron once and launches Electron. Without
// it, or with --web, serves the same app from the web host on 127.0.0.1 (random port, random
// token), prints `DataFlow Studio: <url>` on stdout and opens it in the browser unless --no-open.
// The renderer is built first when dist/renderer/index.html is missing. Ctrl-C stops cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RENDERER = join(ROOT, 'dist', 'renderer');
const require = createRequire(import.meta.url);
const note = (text) => process.stderr.write(`${text}\n`);
let tsx = false;
/** Lets this script import the TypeScript sources. */
function useTypeScript() {
  if (!tsx) register({ tsconfig: join(ROOT, 'tsconfig.json') });
  tsx = true;
}

let flags;
try {
  flags = parseArgs({
    options: { web: { type: 'boolean' }, 'no-open': { type: 'boolean' } },
    allowPositionals: false,
  }).values;
} catch (e) {
  note(`npm start: ${e.message}\nUsage: npm start [-- --web] [--no-open]`);
  process.exit(2);
}

/** The Electron binary, when its install step could download it. */
function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** Builds the renderer when it is not built; its output goes to stderr, stdout stays for the address. */
function ensureRenderer() {
  if (existsSync(join(RENDERER, 'index.html'))) return;
  note('building the editor (vite build)...');
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts'], {
    cwd: ROOT,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (built.status !== 0 || !existsSync(join(RENDERER, 'index.html'))) {
    note('npm start: the editor did not build (see above); fix it, or run npm run build');
    process.exit(1);
  }
}

function openBrowser(url) {
  const chromium = '/usr/bin/chromium';
  const [command, args] = existsSync(chromium)
    ? [chromium, [`--app=${url}`, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])]]
    : process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['explorer.exe', [url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', (e) =>
    note(`could not open a browser (${command}: ${e.message}); open the address above yourself`),
  );
  child.unref();
}

async function serveWeb() {
  useTypeScript();
  const { startWebHost } = await import('../electron/host/server.ts');
  const { defaultWebDataDir, resolveDataDir } = await import('../electron/store/data-dir.ts');
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const host = await startWebHost({
    dataDir: resolveDataDir(defaultWebDataDir()),
    rendererDir: RENDERER,
    examplesDir: join(ROOT, 'assets', 'examples'),
    appDir: ROOT,
    version,
  });
  process.stdout.write(`DataFlow Studio: ${host.url}\n`);
  if (!flags['no-open']) openBrowser(host.url);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    note('stopping DataFlow Studio...');
    host.close().then(
      () => process.exit(0),
      (e) => {
        note(`could not stop cleanly: ${e.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Bundles the app and builds the Electron binding; null (after saying why) when that cannot be done here. */
async function prepareElectron() {
  useTypeScript();
  const { bundleElectron } = await import('../electron/main/bundle.ts');
  const { ensureElectronBinding } = await import('../electron/main/native-binding.ts');
  await bundleElectron();
  try {
    return ensureElectronBinding({ root: ROOT, electronVersion: require('electron/package.json').version });
  } catch (e) {
    note(`npm start: ${e.message.split('\n')[0]}; serving the browser app instead`);
    return null;
  }
}

ensureRenderer();
const electron = flags.web ? null : electronBinary();
if (!flags.web && !electron)
  note(
    'The Electron binary is not installed here (node_modules/electron has no dist/): serving DataFlow Studio in the browser instead.',
  );
const binding = electron ? await prepareElectron() : null;
if (electron && binding) {
  const child = spawn(electron, [join(ROOT, 'out', 'main', 'index.js')], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, DATAFLOW_SQLITE_BINDING: binding },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await serveWeb();
}
