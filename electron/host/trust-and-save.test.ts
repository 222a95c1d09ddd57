/**
 * The real web host's code trust and saves, over its WebSocket: a run's code trust is what the host
 * holds for the file and its code after the user's confirmation (`run.trust`), never a flag of the
 * request; `workflow.save` writes only workflow documents, and never into the app's own folders;
 * the file dialog of browser mode (`files.list`, `files.mkdir`) browses any folder and creates
 * folders with the same refusals.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Channel, Request, Responses, WsAnswer } from '../../shared/ipc.ts';
import type { RunEvent, RunResult } from '../../shared/run.ts';
import { serializeWorkflow } from '../../shared/workflow.ts';
import { EXAMPLES_DIR } from '../../test/app-core.ts';
import { js, node, workflow } from '../../test/workflows.ts';
import { startWebHost, type WebHost } from './server.ts';

let host: WebHost;
let base: string;
let home: string;
let dataDir: string;
let install: string;
let ws: WebSocket;
let next = 0;
const pending = new Map<number, (a: WsAnswer) => void>();
const finished = new Map<string, RunResult>();

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'dataflow-host-trust-'));
  home = join(base, 'home');
  dataDir = join(home, '.dataflow');
  const renderer = join(base, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>DataFlow Studio</title>');
  mkdirSync(home);
  // The app's install folder, under home as a user's own checkout or app folder can be.
  install = join(home, 'apps', 'dataflow-studio');
  mkdirSync(install, { recursive: true });
  writeFileSync(join(install, 'package.json'), '{"name": "dataflow-studio"}\n');
  host = await startWebHost({
    dataDir,
    rendererDir: renderer,
    examplesDir: EXAMPLES_DIR,
    appDir: install,
    homeDir: home,
    version: '0.0.0-test',
    demoRows: 50,
  });
  await host.core.context.ready;
  ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.token}`);
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as WsAnswer | { event: { type: string; event: RunEvent } };
    if ('event' in frame) {
      const e = frame.event.event;
      if (frame.event.type === 'run' && e.type === 'run_finished') finished.set(e.runId, e.result);
    } else if (typeof frame.id === 'number') pending.get(frame.id)?.(frame);
  });
});
afterAll(async () => {
  ws.close();
  await host.close();
});

function send<C extends Channel>(channel: C, payload: Request<C>): Promise<WsAnswer> {
  const id = ++next;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    ws.send(JSON.stringify({ id, channel, payload }));
  });
}

async function call<C extends Channel>(channel: C, payload: Request<C>): Promise<Responses[C]> {
  const answer = await send(channel, payload);
  if (!answer.ok) throw new Error(JSON.stringify(answer.error));
  return answer.result as Responses[C];
}

async function rehearse(text: string, filePath?: string): Promise<RunResult> {
  const { runId } = await call('run.start', {
    text,
    connectionId: 'demo',
    mode: 'rehearse',
    ...(filePath ? { filePath } : {}),
  });
  for (let i = 0; i < 1200 && !finished.has(runId); i++) await new Promise((r) => setTimeout(r, 50));
  return finished.get(runId)!;
}

const codeFlow = (code: string) => serializeWorkflow(workflow([js('calc', code)], [], 'with code'));

describe('code trust held by the web host', () => {
  it('refuses a run request that carries trustCode, and runs no unconfirmed code', async () => {
    const text = codeFlow('const result = 6 * 7');
    const flagged = await send('run.start', {
      text,
      connectionId: 'demo',
      mode: 'rehearse',
      trustCode: true,
    } as unknown as Request<'run.start'>);
    expect(flagged).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(JSON.stringify(flagged)).toContain('trustCode');
    const planFlagged = await send('run.plan', {
      text,
      connectionId: 'demo',
      trustCode: true,
    } as unknown as Request<'run.plan'>);
    expect(planFlagged).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });

    expect(await call('run.trusted', { text })).toEqual({ trusted: false });
    const result = await rehearse(text);
    expect(result.nodes.calc).toMatchObject({ status: 'failed', error: { field: 'code' } });
    expect(result.nodes.calc!.error!.message).toContain('has not been confirmed');
  });

  it('runs the code once the user confirmed it for this file, and for no other file or changed code', async () => {
    const file = join(home, 'calc.dataflow.json');
    const other = join(home, 'other.dataflow.json');
    const text = codeFlow('const result = 6 * 7');
    expect(await call('run.trusted', { text, filePath: file })).toEqual({ trusted: false });
    expect(await call('run.trust', { text, filePath: file })).toEqual({ trusted: true });
    expect(await call('run.trusted', { text, filePath: file })).toEqual({ trusted: true });

    const ran = await rehearse(text, file);
    expect(ran.status).toBe('succeeded');
    expect(ran.nodes.calc!.outputs.result).toBe(42);

    // Another file with the same code, the unsaved document, and this file with other code: not confirmed.
    expect(await call('run.trusted', { text, filePath: other })).toEqual({ trusted: false });
    expect(await call('run.trusted', { text })).toEqual({ trusted: false });
    const changed = codeFlow('const result = 6 * 8');
    expect(await call('run.trusted', { text: changed, filePath: file })).toEqual({ trusted: false });
    const refused = await rehearse(changed, file);
    expect(refused.nodes.calc!.error!.message).toContain('has not been confirmed');
    // The plan (SQL preview) takes the same trust: confirmed code plans without the warning.
    const plan = await call('run.plan', { text, connectionId: 'demo', filePath: file });
    expect(plan.nodes.calc!.warnings.join(' ')).not.toContain('has not been confirmed');
    const unconfirmedPlan = await call('run.plan', { text, connectionId: 'demo', filePath: other });
    expect(unconfirmedPlan.nodes.calc!.warnings.join(' ')).toContain('has not been confirmed');
  });

  it('answers trusted for a workflow without code nodes, which needs no confirmation', async () => {
    const text = readFileSync(join(EXAMPLES_DIR, 'basic-add-column.dataflow.json'), 'utf8');
    expect(await call('run.trusted', { text })).toEqual({ trusted: true });
  });
});

describe('workflow.save on the web host', () => {
  const doc = serializeWorkflow(workflow([], [], 'saved'));

  it('saves a workflow document, a draft with invalid params included, under home', async () => {
    const path = join(home, 'saved.dataflow.json');
    expect(await call('workflow.save', { path, text: doc })).toEqual({ path });
    expect(readFileSync(path, 'utf8')).toBe(doc);
    const draft = serializeWorkflow(workflow([node('b', 'DataBackfillNode', { table: '' })], [], 'draft'));
    const draftPath = join(home, 'draft.dataflow.json');
    expect(await call('workflow.save', { path: draftPath, text: draft })).toEqual({ path: draftPath });
  });

  it('refuses JSON that is not a workflow document, writing nothing', async () => {
    const cases: [string, string][] = [
      ['{"a": 1}', 'format'],
      ['[1, 2]', '(document)'],
      ['{"format": "dataflow-workflow", "version": 1, "nodes": {}}', 'nodes'],
      [JSON.stringify({ connections: [], nodes: [], format: 'other', version: 1 }), 'format'],
      ['"just text"', '(document)'],
    ];
    for (const [text, field] of cases) {
      const path = join(home, 'not-a-workflow.json');
      const answer = await send('workflow.save', { path, text });
      expect(answer, text).toMatchObject({ ok: false, error: { code: 'invalid_payload', field: 'text' } });
      expect(JSON.stringify(answer)).toContain('is not a DataFlow workflow');
      expect(JSON.stringify(answer)).toContain(field);
      expect(existsSync(path)).toBe(false);
    }
  });

  it("refuses the app's own folders: examples, the install, the data folder, and links into them", async () => {
    const example = join(EXAMPLES_DIR, 'basic-add-column.dataflow.json');
    const before = readFileSync(example, 'utf8');
    // An example opened once is a recent file: saving over it is still refused.
    await call('workflow.open', { path: example });
    mkdirSync(dataDir, { recursive: true });
    symlinkSync(EXAMPLES_DIR, join(home, 'examples-link'));
    const targets: [string, string][] = [
      [example, 'the example workflows folder'],
      [join(EXAMPLES_DIR, 'new.dataflow.json'), 'the example workflows folder'],
      [join(home, 'examples-link', 'new.dataflow.json'), 'the example workflows folder'],
      [join(dataDir, 'secrets.json'), "the app's data folder"],
      [join(dataDir, 'mine.dataflow.json'), "the app's data folder"],
      [join(install, 'package.json'), "the app's install folder"],
      [join(install, 'workflows', '..', 'new.dataflow.json'), "the app's install folder"],
    ];
    for (const [path, what] of targets) {
      const answer = await send('workflow.save', { path, text: doc });
      expect(answer, path).toMatchObject({ ok: false, error: { field: 'path' } });
      expect(JSON.stringify(answer), path).toContain(what);
      expect(JSON.stringify(answer), path).toContain('nothing was written');
    }
    expect(readFileSync(example, 'utf8')).toBe(before);
    expect(existsSync(join(EXAMPLES_DIR, 'new.dataflow.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'mine.dataflow.json'))).toBe(false);
    expect(readFileSync(join(install, 'package.json'), 'utf8')).toBe('{"name": "dataflow-studio"}\n');
  });
});

describe('the file dialog on the web host', () => {
  const doc = serializeWorkflow(workflow([], [], 'browsed'));

  it('lists folders first, then .json files, hidden and other files left out, with the places', async () => {
    mkdirSync(join(home, 'projects', 'billing'), { recursive: true });
    writeFileSync(join(home, 'projects', 'a.dataflow.json'), doc);
    writeFileSync(join(home, 'projects', 'notes.txt'), 'x');
    writeFileSync(join(home, 'projects', '.hidden.json'), '{}');
    const listed = await call('files.list', { path: join(home, 'projects') });
    expect(listed).toMatchObject({
      path: join(home, 'projects'),
      parent: home,
      entries: [
        { name: 'billing', folder: true },
        { name: 'a.dataflow.json', folder: false },
      ],
      more: 0,
      writable: true,
      places: { home, examples: EXAMPLES_DIR },
    });
    expect((await call('files.list', {})).path).toBe(home);
    symlinkSync(join(home, 'projects'), join(home, 'projects-link'));
    expect((await call('files.list', { path: join(home, 'projects-link') })).path).toBe(join(home, 'projects'));
  });

  it('saves anywhere the account may write, outside home too, and offers its folder as a recent one', async () => {
    const outside = join(base, 'shared-workflows');
    mkdirSync(outside);
    const path = join(outside, 'team.dataflow.json');
    expect(await call('workflow.save', { path, text: doc })).toEqual({ path });
    expect(await call('workflow.open', { path })).toEqual({ path, text: doc });
    expect((await call('files.list', { path: outside })).places.recent).toContain(outside);
  });

  it("creates a folder, and refuses bad names, existing folders and the app's own folders", async () => {
    expect(await call('files.mkdir', { parent: home, name: 'migrations' })).toEqual({ path: join(home, 'migrations') });
    expect((await call('files.list', { path: join(home, 'migrations') })).entries).toEqual([]);
    const refusals: [Request<'files.mkdir'>, string, string][] = [
      [{ parent: home, name: 'migrations' }, 'name', 'exists already'],
      [{ parent: home, name: '..' }, 'name', 'is not . or ..'],
      [{ parent: home, name: 'a/b' }, 'name', 'has no /'],
      [{ parent: 'relative', name: 'x' }, 'parent', 'not an absolute path'],
      [{ parent: join(home, 'nowhere'), name: 'x' }, 'parent', 'does not exist'],
      [{ parent: dataDir, name: 'x' }, 'parent', "the app's data folder"],
      [{ parent: join(home, 'examples-link'), name: 'x' }, 'parent', 'the example workflows folder'],
      [{ parent: install, name: 'x' }, 'parent', "the app's install folder"],
    ];
    for (const [payload, field, message] of refusals) {
      const answer = await send('files.mkdir', payload);
      expect(answer, JSON.stringify(payload)).toMatchObject({ ok: false, error: { field } });
      expect(JSON.stringify(answer), JSON.stringify(payload)).toContain(message);
    }
    expect(existsSync(join(dataDir, 'x'))).toBe(false);
    expect(existsSync(join(EXAMPLES_DIR, 'x'))).toBe(false);
  });

  it('refuses to list a file or a missing folder, and to save over a JSON file that is not a workflow', async () => {
    writeFileSync(join(home, 'settings.json'), '{"editor.fontSize": 14}\n');
    for (const [path, message] of [
      [join(home, 'settings.json'), 'is a file, not a folder'],
      [join(home, 'missing'), 'does not exist'],
      ['relative/folder', 'not an absolute path'],
    ]) {
      const answer = await send('files.list', { path });
      expect(answer, path).toMatchObject({ ok: false, error: { field: 'path' } });
      expect(JSON.stringify(answer), path).toContain(message);
    }
    const answer = await send('workflow.save', { path: join(home, 'settings.json'), text: doc });
    expect(answer).toMatchObject({ ok: false, error: { field: 'path' } });
    expect(JSON.stringify(answer)).toContain('is not a DataFlow workflow, so it was not replaced');
    expect(readFileSync(join(home, 'settings.json'), 'utf8')).toBe('{"editor.fontSize": 14}\n');
  });
});
