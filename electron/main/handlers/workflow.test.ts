import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../../shared/workflow.ts';
import { EXAMPLES_DIR, testCore, type TestCore } from '../../../test/app-core.ts';

const EXAMPLE = join(EXAMPLES_DIR, 'basic-add-column.dataflow.json');
/** A workflow document: what a save writes (its path checks are tested with it). */
const DOC = readFileSync(EXAMPLE, 'utf8');

describe('workflow files in the browser app (no dialogs)', () => {
  let core: TestCore;
  beforeAll(() => {
    core = testCore();
  });
  afterAll(() => core.close());

  it('saves and opens explicit paths under the home folder, and remembers them', async () => {
    const path = join(core.homeDir, 'work', 'notes.dataflow.json');
    mkdirSync(join(core.homeDir, 'work'));
    const text = readFileSync(EXAMPLE, 'utf8');
    expect(await core.call('workflow.save', { path, text })).toEqual({ path });
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(await core.call('workflow.open', { path })).toEqual({ path, text });
    expect((await core.call('workflow.recent', {}))[0]).toMatchObject({ path });
    expect(existsSync(`${path}.${process.pid}.tmp`)).toBe(false);
  });

  it('asks for a path where there is no dialog, and refuses paths that are not absolute .json files', async () => {
    await expect(core.call('workflow.open', {})).rejects.toMatchObject({
      ipc: { field: 'path', message: expect.stringContaining('no native file dialog') },
    });
    await expect(core.call('workflow.save', { text: DOC })).rejects.toMatchObject({ ipc: { field: 'path' } });
    await expect(core.call('workflow.open', { path: '/etc/passwd.json' })).rejects.toMatchObject({
      ipc: { field: 'path', message: expect.stringContaining('no such file') },
    });
    await expect(core.call('workflow.open', { path: join(core.homeDir, '.bashrc') })).rejects.toMatchObject({
      ipc: { message: expect.stringContaining('end with .json') },
    });
    await expect(core.call('workflow.open', { path: 'relative.dataflow.json' })).rejects.toMatchObject({
      ipc: { message: expect.stringContaining('not an absolute path') },
    });
    symlinkSync(core.dataDir, join(core.homeDir, 'data-link'));
    await expect(
      core.call('workflow.save', { path: join(core.homeDir, 'data-link', 'x.json'), text: DOC }),
    ).rejects.toMatchObject({ ipc: { message: expect.stringContaining("the app's data folder") } });
    await expect(
      core.call('workflow.save', { path: join(core.homeDir, 'bad.json'), text: 'not json' }),
    ).rejects.toMatchObject({ ipc: { field: 'text' } });
    expect(existsSync(join(core.homeDir, 'bad.json'))).toBe(false);
  });

  it('opens the examples, each a valid workflow', async () => {
    const examples = await core.call('workflow.examples', {});
    expect(examples.length).toBeGreaterThan(5);
    for (const e of examples) expect(() => parseWorkflow(e.text), e.path).not.toThrow();
    const opened = await core.call('workflow.open', { path: examples[0]!.path });
    expect(opened?.text).toBe(examples[0]!.text);
  });

  it('imports and exports Python', async () => {
    const code = (await core.call('workflow.exportPython', { text: readFileSync(EXAMPLE, 'utf8') })).code;
    expect(code).toContain('workflow.add_node("SchemaModificationNode"');
    const back = await core.call('workflow.importPython', { source: code });
    expect(back.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(parseWorkflow(back.text!).workflow.nodes.map((n) => n.id)).toEqual(
      parseWorkflow(readFileSync(EXAMPLE, 'utf8')).workflow.nodes.map((n) => n.id),
    );
    const broken = await core.call('workflow.importPython', { source: 'workflow.add_node("NoSuchNode", "x", {})\n' });
    expect(broken.text).toBeNull();
    expect(broken.problems[0]).toMatchObject({ line: 1, severity: 'error' });
  });

  it('exports the SQL a workflow would run against a connection', async () => {
    await core.context.ready;
    const text = readFileSync(EXAMPLE, 'utf8');
    const { sql, failed } = await core.call('workflow.exportSql', { text, connectionId: 'demo' });
    expect(failed).toBeNull();
    expect(
      sql.startsWith(`-- workflow "${parseWorkflow(text).workflow.name}": plan on sqlite:${core.dataDir}/demo.db\n`),
    ).toBe(true);
    expect(sql).toMatch(/ALTER TABLE "orders" ADD COLUMN "notes"/);
    const missing = text.replace('"table": "orders"', '"table": "orderz"');
    expect(missing).not.toBe(text);
    const broken = await core.call('workflow.exportSql', { text: missing, connectionId: 'demo' });
    expect(broken.failed).toMatch(/orderz/);
    expect(core.context.store.listRuns(10)).toEqual([]);
  });
});

describe('workflow files in the desktop app (dialogs)', () => {
  let core: TestCore;
  let chosen: string | null;
  beforeAll(() => {
    core = testCore({
      platform: {
        host: 'electron',
        openDialog: async () => chosen,
        saveDialog: async () => chosen,
      },
    });
  });
  afterAll(() => core.close());

  it('saves where the dialog says (adding the extension), and answers null when it is cancelled', async () => {
    chosen = join(core.homeDir, 'orders');
    const text = readFileSync(EXAMPLE, 'utf8');
    expect(await core.call('workflow.save', { text, saveAs: true })).toEqual({ path: `${chosen}.dataflow.json` });
    chosen = null;
    expect(await core.call('workflow.save', { text, saveAs: true })).toBeNull();
    expect(await core.call('workflow.open', {})).toBeNull();
    chosen = join(core.homeDir, 'orders.dataflow.json');
    expect(await core.call('workflow.open', {})).toEqual({ path: chosen, text });
  });
});
