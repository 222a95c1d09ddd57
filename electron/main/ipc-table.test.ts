import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_REQUEST, requests, type Channel } from '../../shared/ipc.ts';
import { isAppUrl } from './app-url.ts';
import { DemoExistsError } from '../db/demo.ts';
import { MigrationLockError } from '../db/migration-lock.ts';
import { HandlerTable } from './ipc-table.ts';
import { RecordingSender, testCore, type TestCore } from '../../test/app-core.ts';

/** One malformed payload per channel, and the field its error must name. */
const MALFORMED: Record<Channel, { payload: unknown; field: string }> = {
  'app.info': { payload: { verbose: true }, field: 'verbose' },
  'catalog.list': { payload: { category: 'Schema' }, field: 'category' },
  'workflow.open': { payload: { path: 42 }, field: 'path' },
  'workflow.save': { payload: { path: '/tmp/a.dataflow.json' }, field: 'text' },
  'workflow.recent': { payload: { limit: 3 }, field: 'limit' },
  'files.list': { payload: { path: 7 }, field: 'path' },
  'files.mkdir': { payload: { parent: '/tmp', name: '..' }, field: 'name' },
  'workflow.examples': { payload: { name: 'x' }, field: 'name' },
  'workflow.importPython': { payload: { lenient: true }, field: 'source' },
  'workflow.exportPython': { payload: { text: 17 }, field: 'text' },
  'workflow.exportSql': { payload: { text: '{"a":1}' }, field: 'connectionId' },
  'connections.list': { payload: { all: true }, field: 'all' },
  'connections.save': {
    payload: { connection: { kind: 'postgres', name: 'pg', host: 'db', database: 'app', user: 'me', port: 70_000 } },
    field: 'connection.port',
  },
  'connections.delete': { payload: { id: '' }, field: 'id' },
  'connections.test': { payload: { password: 1234 }, field: 'password' },
  'secrets.status': { payload: { refresh: true }, field: 'refresh' },
  'secrets.acceptWeakStorage': { payload: { accept: 'yes' }, field: 'accept' },
  'schema.introspect': { payload: {}, field: 'connectionId' },
  'run.start': { payload: { text: '{"a":1}', connectionId: 'demo', mode: 'go' }, field: 'mode' },
  'run.cancel': { payload: {}, field: 'runId' },
  'run.resumeCheck': { payload: { text: '{"a":1}', connectionId: 'demo' }, field: 'runId' },
  'run.trusted': { payload: { text: 7 }, field: 'text' },
  'run.trust': { payload: { text: '{"a":1}', filePath: 3 }, field: 'filePath' },
  'run.plan': { payload: { text: '{}', connectionId: 7 }, field: 'connectionId' },
  'lint.workflow': { payload: { text: '{}', connectionId: 'demo', filePath: '' }, field: 'filePath' },
  'history.list': { payload: { limit: 0 }, field: 'limit' },
  'history.get': { payload: { runId: 7 }, field: 'runId' },
  'history.snapshot': { payload: { hash: '../x' }, field: 'hash' },
  'fleet.targets': { payload: { targets: { connectionIds: [] } }, field: 'targets.connectionIds' },
  'fleet.plan': { payload: { text: '{"a":1}', targets: { file: '/t.json' }, filePath: 3 }, field: 'filePath' },
  'fleet.start': { payload: { text: '{"a":1}', targets: { file: '/t.json' }, parallel: 0 }, field: 'parallel' },
  'fleet.confirmWave': { payload: { fleetId: 'f' }, field: 'go' },
  'fleet.cancel': { payload: {}, field: 'fleetId' },
  'fleet.list': { payload: { limit: 0 }, field: 'limit' },
  'fleet.get': { payload: { fleetId: 1 }, field: 'fleetId' },
  'rollback.plan': { payload: { connectionId: 'demo' }, field: 'runId' },
  'demo.create': { payload: { dialect: 'mysql' }, field: 'dialect' },
  'window.setDocumentState': { payload: { title: 'orders' }, field: 'dirty' },
  'settings.ui': { payload: { key: 'ui' }, field: 'key' },
  'settings.saveUi': { payload: { panels: { left: { size: -5, collapsed: false } } }, field: 'panels.left.size' },
};

let core: TestCore;
beforeAll(() => {
  core = testCore();
});
afterAll(() => core.close());

describe('the handler table', () => {
  it('has a handler for every channel of the contract', () => {
    expect(core.table.missing()).toEqual([]);
  });

  it.each(Object.keys(requests) as Channel[])('%s rejects a malformed payload, naming the field', async (channel) => {
    const { payload, field } = MALFORMED[channel];
    const answer = await core.table.dispatch(channel, core.sender, payload);
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_payload', field } });
    if (!answer.ok) {
      expect(answer.error.message).toContain(`field "${field}"`);
      expect(answer.error.message, 'a channel name never reaches the screen').not.toContain(channel);
      expect(answer.error.channel).toBe(channel);
    }
  });

  it('rejects a payload that is not an object', async () => {
    const answer = await core.table.dispatch('catalog.list', core.sender, null);
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('rejects an unknown channel', async () => {
    const answer = await core.table.dispatch('fs.readFile', core.sender, { path: '/etc/passwd' });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'unknown_channel', channel: 'fs.readFile', message: UNKNOWN_REQUEST },
    });
  });

  it('refuses a sender it does not trust, before looking at the payload', async () => {
    const stranger = new RecordingSender('ws:999');
    for (const channel of ['catalog.list', 'connections.list', 'history.list'] as const) {
      const answer = await core.table.dispatch(channel, stranger, {});
      expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await core.table.dispatch('fs.readFile', stranger, null)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('answers the trusted sender', async () => {
    const catalog = await core.call('catalog.list', {});
    expect(catalog.map((c) => c.type)).toContain('SchemaModificationNode');
    expect(catalog[0]).not.toHaveProperty('params');
  });

  it('reports a handler failure with the field and the fix', async () => {
    await expect(
      core.call('connections.save', { connection: { kind: 'sqlite', name: 'rel', path: 'demo.db' } }),
    ).rejects.toMatchObject({
      ipc: { code: 'invalid_payload', field: 'connection.path' },
    });
    await expect(core.call('schema.introspect', { connectionId: 'nope' })).rejects.toMatchObject({
      ipc: { field: 'connectionId', message: expect.stringContaining('no saved connection "nope"') },
    });
    await expect(
      core.call('run.start', { text: '{"format":"dataflow-workflow"}', connectionId: 'demo', mode: 'plan' }),
    ).rejects.toMatchObject({
      ipc: { field: 'text', message: expect.stringContaining('the workflow is not valid') },
    });
  });
});

describe('the window origin', () => {
  it('trusts only app://dataflow pages', () => {
    expect(isAppUrl('app://dataflow/index.html')).toBe(true);
    expect(isAppUrl('app://dataflow/')).toBe(true);
    for (const url of [
      'file:///work/dist/renderer/index.html',
      'http://127.0.0.1:5173/',
      'app://evil/index.html',
      'app://x@dataflow/',
      'https://dataflow/',
      'not a url',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('errors a handler throws', () => {
  it('reach the caller as data with their code and field; anything else is `failed`', async () => {
    const table = new HandlerTable(() => true);
    const sender = new RecordingSender('test');
    table.handle('demo.create', () => {
      throw new DemoExistsError('the database already has demo tables');
    });
    table.handle('history.list', () => {
      throw new MigrationLockError('the migration lock is held by run r1');
    });
    table.handle('catalog.list', () => {
      throw new Error('disk full');
    });
    const demo = await table.dispatch('demo.create', sender, { dialect: 'sqlite' });
    expect(demo).toEqual({
      ok: false,
      error: {
        code: 'demo_exists',
        channel: 'demo.create',
        field: 'force',
        message: 'field "force": the database already has demo tables',
      },
    });
    expect(structuredClone(demo)).toEqual(demo);
    expect(await table.dispatch('history.list', sender, {})).toEqual({
      ok: false,
      error: { code: 'migration_lock_held', channel: 'history.list', message: 'the migration lock is held by run r1' },
    });
    expect(await table.dispatch('catalog.list', sender, {})).toEqual({
      ok: false,
      error: { code: 'failed', channel: 'catalog.list', message: 'disk full' },
    });
  });
});
