/**
 * The editor's canvas with a 1,000-node, 1,000-edge workflow, production build, headless
 * Chromium: time to first render (navigation to every node measured), and median / p95 frame time
 * while dragging a node and while panning, against bare React Flow with default nodes at the same
 * size, measured alternately in the same run. A "frame" is one pointer move until the frame after
 * it has been drawn (two animation frames, with the frame rate limit off, so the figure is the
 * work rather than the 60 Hz clock). Targets: at most 1.5x bare React Flow, first render < 1.5 s.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { BenchResult } from './run.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist', 'renderer');
const NODES = 1000;
const ROUNDS = 3;
const STEPS = 60;
const TARGET = 1.5;
const FIRST_RENDER_TARGET_MS = 1500;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

type Mode = 'app' | 'bare';
interface Sample { firstRenderMs: number; drag: number[]; pan: number[] }

function build(): void {
  console.log('production build (vite build)...');
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !existsSync(join(DIST, 'bench.html'))) throw new Error('vite build failed; see above');
}

function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(DIST, path);
    if (!file.startsWith(DIST) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` });
  }));
}

async function measure(browser: Browser, url: string, mode: Mode): Promise<Sample> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  try {
    await page.goto(`${url}/bench.html?mode=${mode}&n=${NODES}`);
    await page.waitForFunction(() => window.__bench?.firstRenderMs !== null, undefined, { timeout: 60_000 });
    const firstRenderMs = await page.evaluate(() => window.__bench.firstRenderMs!);
    const rendered = await page.locator('.react-flow__node').count();
    if (rendered !== NODES) throw new Error(`${mode}: ${rendered} nodes rendered, expected ${NODES}`);
    const before = await page.evaluate(() => document.querySelector('.react-flow__viewport')!.getAttribute('style'));
    const drag = await page.evaluate((steps) => window.__bench.gesture('drag', steps), STEPS);
    const pan = await page.evaluate((steps) => window.__bench.gesture('pan', steps), STEPS);
    const after = await page.evaluate(() => document.querySelector('.react-flow__viewport')!.getAttribute('style'));
    if (before === after) throw new Error(`${mode}: panning did not move the viewport`);
    return { firstRenderMs, drag, pan };
  } finally {
    await page.close();
  }
}

const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

export async function run(): Promise<BenchResult> {
  build();
  const { server, url } = await serve();
  const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-frame-rate-limit', '--disable-gpu-vsync', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu',
    ],
  });
  const samples: Record<Mode, Sample[]> = { app: [], bare: [] };
  try {
    await measure(browser, url, 'bare');
    await measure(browser, url, 'app');
    for (let i = 0; i < ROUNDS; i++) for (const mode of ['bare', 'app'] as const) samples[mode].push(await measure(browser, url, mode));
  } finally {
    await browser.close();
    server.close();
  }
  const stats = (mode: Mode) => {
    const s = samples[mode];
    const drag = s.flatMap((x) => x.drag);
    const pan = s.flatMap((x) => x.pan);
    return {
      firstRender: quantile(s.map((x) => x.firstRenderMs), 0.5),
      dragMedian: quantile(drag, 0.5), dragP95: quantile(drag, 0.95),
      panMedian: quantile(pan, 0.5), panP95: quantile(pan, 0.95),
    };
  };
  const app = stats('app');
  const bare = stats('bare');
  const row = (name: string, s: typeof app) =>
    `${name.padEnd(16)} first render ${s.firstRender.toFixed(0).padStart(5)} ms | drag median ${s.dragMedian.toFixed(1)} ms, p95 ${s.dragP95.toFixed(1)} ms | pan median ${s.panMedian.toFixed(1)} ms, p95 ${s.panP95.toFixed(1)} ms`;
  console.log(`${NODES} nodes, ${NODES} edges, ${ROUNDS} rounds x ${STEPS} moves per gesture`);
  console.log(row('editor canvas', app));
  console.log(row('bare React Flow', bare));
  const ratios = { drag: app.dragMedian / bare.dragMedian, pan: app.panMedian / bare.panMedian, dragP95: app.dragP95 / bare.dragP95, panP95: app.panP95 / bare.panP95 };
  console.log(`ratio to bare React Flow: drag median ${ratios.drag.toFixed(2)}, p95 ${ratios.dragP95.toFixed(2)}; pan median ${ratios.pan.toFixed(2)}, p95 ${ratios.panP95.toFixed(2)} (target <= ${TARGET})`);
  console.log(`first render ${app.firstRender.toFixed(0)} ms (target < ${FIRST_RENDER_TARGET_MS} ms): ${app.firstRender < FIRST_RENDER_TARGET_MS ? 'ok' : 'OVER TARGET'}`);
  return {
    name: 'editor-canvas',
    figures: {
      'first render ms': app.firstRender,
      'bare first render ms': bare.firstRender,
      'drag median ms': app.dragMedian,
      'drag p95 ms': app.dragP95,
      'bare drag median ms': bare.dragMedian,
      'pan median ms': app.panMedian,
      'pan p95 ms': app.panP95,
      'bare pan median ms': bare.panMedian,
    },
    ratio: Math.max(ratios.drag, ratios.pan),
    baseline: 'bare React Flow, default nodes, same size (worse of drag and pan median frame time; a first render over 1.5 s fails the target)',
    target: app.firstRender < FIRST_RENDER_TARGET_MS ? TARGET : 0,
  };
}
