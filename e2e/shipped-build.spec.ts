/**
 * The shipped renderer build (dist/renderer, what the web host serves and Electron packages) holds
 * the app and nothing else: the canvas benchmark page (bench/canvas-page/) has its own build, and
 * no file of the app's build carries its code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { appUrl } from './editor.ts';

const DIST = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

test('the web host serves the app but no benchmark page', async ({ request }) => {
  const app = await request.get(appUrl());
  expect(app.status()).toBe(200);
  expect(await app.text()).toContain('<div id="root">');
  const origin = new URL(appUrl()).origin;
  for (const path of ['/bench.html', '/bench-main.js', '/canvas-page/index.html'])
    expect((await request.get(`${origin}${path}`)).status(), path).toBe(404);
});

test('no file of the renderer build carries the benchmark page', () => {
  const files = filesUnder(DIST);
  const html = files.filter((f) => f.endsWith('.html')).map((f) => f.slice(DIST.length));
  expect(html).toEqual(['index.html']);
  const scripts = files.filter((f) => f.endsWith('.js'));
  // The scan reads the app's code: the bridge name is in it, the benchmark's hook is not.
  expect(scripts.some((f) => readFileSync(f, 'utf8').includes('dataflowBridge'))).toBe(true);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    expect(text.includes('__bench'), file).toBe(false);
    expect(text.includes('canvas benchmark'), file).toBe(false);
  }
});
