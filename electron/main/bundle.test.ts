import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleElectron } from './bundle.ts';

describe('the Electron bundle', () => {
  it('builds main, a self-contained CommonJS preload, the worker with its runners, and the renderer copy', async () => {
    const base = mkdtempSync(join(tmpdir(), 'dataflow-bundle-'));
    mkdirSync(join(base, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(base, 'renderer', 'index.html'), '<!doctype html>');
    writeFileSync(join(base, 'renderer', 'assets', 'app.js'), '');
    const out = join(base, 'out');
    const { files } = await bundleElectron(out, join(base, 'renderer'));
    expect(files.map((f) => relative(out, f)).sort()).toEqual(
      [
        'main/index.js',
        'preload/index.cjs',
        'renderer/assets/app.js',
        'renderer/index.html',
        'worker/code-runner.mjs',
        'worker/python-runner.py',
        'worker/run-worker.js',
        'worker/planning-worker.js',
      ].sort(),
    );

    const preload = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/\bimport\s/);
    expect(preload).toContain('exposeInMainWorld(GLOBAL_NAME');

    const main = readFileSync(join(out, 'main/index.js'), 'utf8');
    expect(main).not.toMatch(/from "tsx|dev-entry\.mjs"\)/);
    expect(main).toContain('"../worker/run-worker.js"');
    expect(main).toContain('"../worker/planning-worker.js"');

    const worker = readFileSync(join(out, 'worker/run-worker.js'), 'utf8');
    expect(worker).toMatch(/new URL\("\.\/python-runner\.py", __dataflowModuleUrl\)/);
    expect(
      worker.startsWith("const __dataflowModuleUrl = import.meta.url.replace('/app.asar/', '/app.asar.unpacked/');"),
    ).toBe(true);
  });

  it('refuses to bundle without a built renderer', async () => {
    await expect(
      bundleElectron(join(tmpdir(), 'dataflow-bundle-none'), join(tmpdir(), 'no-such-renderer')),
    ).rejects.toThrow(/run npm run build first/);
  });
});
