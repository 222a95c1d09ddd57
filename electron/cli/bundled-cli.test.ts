import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../shared/run.ts';
import { CLI_BUNDLE_DIR, bundleCli } from '../main/bundle.ts';
import { ROOT, dataflowWith, example } from '../../test/dataflow-cli.ts';

/** Run timestamps differ between two runs; everything else must be the same. */
const normalize = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<time>');

describe('the bundled dataflow command (dist/cli/, built by npm run build:cli at install)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-bundled-cli-'));
  const conn = `sqlite:${join(dir, 'demo.db')}`;
  const invalid = join(dir, 'invalid.dataflow.json');

  beforeAll(async () => {
    // prepare built it at install; sources edited since then (in development) make it stale.
    if ((await dataflowWith({ DATAFLOW_CLI: 'bundle' }, '--help')).code !== 0) await bundleCli();
    expect((await dataflowWith({ DATAFLOW_CLI: 'tsx' }, 'demo-db', conn, '--rows', '300')).code).toBe(0);
    writeFileSync(
      invalid,
      JSON.stringify({
        format: 'dataflow-workflow',
        version: 1,
        name: 'Invalid',
        nodes: [{ id: 'add', type: 'SchemaModificationNode', params: { operation: 'add_column', table: 'orders' } }],
        connections: [{ source: 'add', sourceOutput: 'result', target: 'nowhere', targetInput: 'input' }],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['--help', () => ['--help']],
    ['validate --help', () => ['validate', '--help']],
    ['validate of an example', () => ['validate', example('complex-rename-column')]],
    ['validate of an invalid workflow', () => ['validate', invalid]],
    ['plan of an example on the demo database', () => ['plan', example('zero-downtime'), '--db', conn]],
    ['an unknown command', () => ['nope']],
  ])('%s: the same output and exit code as the TypeScript sources', async (_, args) => {
    const bundled = await dataflowWith({ DATAFLOW_CLI: 'bundle' }, ...args());
    const sources = await dataflowWith({ DATAFLOW_CLI: 'tsx' }, ...args());
    expect(bundled.stdout.length + bundled.stderr.length).toBeGreaterThan(0);
    expect({ ...bundled, stdout: normalize(bundled.stdout) }).toEqual({
      ...sources,
      stdout: normalize(sources.stdout),
    });
  });

  it('loads for --help only main.js and what it imports statically: a few KB, no workflow schemas, no engine', () => {
    const loaded = new Map<string, number>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      const text = readFileSync(join(CLI_BUNDLE_DIR, file), 'utf8');
      loaded.set(file, text.length);
      for (const m of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) visit(m[1]!);
    };
    visit('main.js');
    const bytes = [...loaded.values()].reduce((a, b) => a + b, 0);
    // zod alone is about 450 KB of the bundle: a static import of it from main.ts or common.ts shows here.
    expect(bytes, `statically loaded: ${[...loaded].map(([f, n]) => `${f} ${n} B`).join(', ')}`).toBeLessThan(32_000);
  });

  it('runs code nodes with the runners copied beside it', async () => {
    const file = join(dir, 'code.dataflow.json');
    const node = (id: string, type: string, code: string, x: number) => ({
      id,
      type,
      params: { code },
      position: { x, y: 0 },
    });
    writeFileSync(
      file,
      JSON.stringify({
        format: 'dataflow-workflow',
        version: 1,
        name: 'Code',
        nodes: [node('js', 'CodeNode', 'result = 6 * 7', 0), node('py', 'PythonCodeNode', 'result = 6 * 9', 200)],
        connections: [],
      }),
    );
    const r = await dataflowWith({ DATAFLOW_CLI: 'bundle' }, 'run', file, '--db', conn, '--trust-code', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as RunResult;
    expect([result.nodes.js?.outputs, result.nodes.py?.outputs]).toEqual([{ result: 42 }, { result: 54 }]);
  });

  it('gives way to the sources once a file it was built from changes, until it is built again', async () => {
    const source = join(ROOT, 'electron/cli/validate.ts');
    const { atime } = statSync(source);
    utimesSync(source, atime, new Date());
    const stale = await dataflowWith({ DATAFLOW_CLI: 'bundle' }, '--help');
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain(
      'electron/cli/validate.ts changed after the bundle was built: run npm run build:cli',
    );
    const fallback = await dataflowWith({}, 'validate', example('basic-add-column'));
    expect(fallback).toMatchObject({ code: 0, stdout: expect.stringContaining('ok: Basic Usage') });

    await bundleCli();
    expect((await dataflowWith({ DATAFLOW_CLI: 'bundle' }, '--help')).code).toBe(0);
  });
});
