/**
 * Benchmark pages in headless Chromium: a page under bench/<name>-page/ is built by its own
 * `vite build` (production, not part of the app's build), served from a loopback HTTP server, and
 * opened in the system's Chromium (PLAYWRIGHT_CHROMIUM_PATH, else /usr/bin/chromium, else
 * Playwright's own) with software rendering and the frame-rate limit off, so that a frame's time
 * is its work rather than the 60 Hz clock.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Builds the page of `config` (a vite config under bench/) into `dist`; throws when vite fails. */
export function buildPage(config: string, dist: string): void {
  console.log(`production build of the benchmark page (vite build ${config})...`);
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !existsSync(join(dist, 'index.html'))) throw new Error('vite build failed; see above');
}

/** Serves the files of `dist` on a loopback port; `extra` answers further paths (e.g. generated data). */
export function servePage(
  dist: string,
  extra: Record<string, () => Buffer> = {},
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const made = extra[path];
    const file = join(dist, path);
    if (!made && (!file.startsWith(dist) || !existsSync(file))) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' })
      .end(made ? made() : readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` });
    }),
  );
}

export function launchChromium(): Promise<Browser> {
  const executablePath =
    process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  return chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-frame-rate-limit',
      '--disable-gpu-vsync',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
    ],
  });
}
