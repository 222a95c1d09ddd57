import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../shared/run.ts';
import { resumable, rollbackName, runState } from '../../shared/run-state.ts';
import { SCENARIOS } from '../../test/real-runs.ts';
import { migrateStore, STORE_MIGRATIONS, StoreVersionError, storeVersion } from './store-migrations.ts';
import { AppStore, RECENT_LIMIT } from './store.ts';

const dirs: AppStore[] = [];
function freshStore(dir = mkdtempSync(join(tmpdir(), 'dataflow-store-'))): AppStore {
  const store = new AppStore(dir);
  dirs.push(store);
  return store;
}
afterEach(() => {
  for (const s of dirs.splice(0)) s.close();
});

function result(runId: string, startedAt: string, status: RunResult['status'] = 'succeeded'): RunResult {
  return {
    runId,
    workflow: 'add_notes',
    mode: 'rehearse',
    connection: 'sqlite:/x/demo.db',
    status,
    startedAt,
    durationMs: 12.5,
    order: ['a'],
    nodes: {},
    diff: { changes: [], tables: [] },
    metrics: {},
    progress: {},
    warnings: [],
    error: null,
  };
}

describe('store migrations', () => {
  it('brings a new database to the latest version, recording each migration', () => {
    const store = freshStore();
    expect(storeVersion(store.db)).toBe(STORE_MIGRATIONS.at(-1)!.version);
    const rows = store.db.prepare('SELECT version, description FROM schema_version ORDER BY version').all();
    expect(rows).toEqual(STORE_MIGRATIONS.map((m) => ({ version: m.version, description: m.description })));
    expect(migrateStore(store.db)).toEqual([]);
  });

  it('upgrades a database of an older version and keeps its rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataflow-store-'));
    const old = new Database(join(dir, 'store.db'));
    expect(migrateStore(old, STORE_MIGRATIONS.slice(0, 1))).toEqual([1]);
    old
      .prepare(
        "INSERT INTO recent_files (path, opened_at) VALUES ('/home/me/a.dataflow.json', '2026-01-01T00:00:00.000Z')",
      )
      .run();
    old.close();
    const store = freshStore(dir);
    expect(storeVersion(store.db)).toBe(STORE_MIGRATIONS.at(-1)!.version);
    expect(store.recentFiles().map((r) => r.path)).toEqual(['/home/me/a.dataflow.json']);
    store.addRun(result('r1', '2026-01-01T00:00:00.000Z'), {
      connectionId: null,
      connectionName: 'Demo',
      filePath: null,
    });
    expect(store.listRuns(10)).toHaveLength(1);
  });

  it('refuses a database written by a newer app', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataflow-store-'));
    const db = new Database(join(dir, 'store.db'));
    migrateStore(db);
    db.prepare(
      "INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', '2030-01-01')",
    ).run();
    db.close();
    expect(() => new AppStore(dir)).toThrow(StoreVersionError);
    expect(() => new AppStore(dir)).toThrow(
      new RegExp(`version 99.*knows versions up to ${STORE_MIGRATIONS.at(-1)!.version}`),
    );
  });

  it('rolls a failing migration back entirely', () => {
    const db = new Database(':memory:');
    const latest = STORE_MIGRATIONS.at(-1)!.version;
    const broken = [
      ...STORE_MIGRATIONS,
      {
        version: latest + 1,
        description: 'broken',
        sql: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);',
      },
    ];
    expect(() => migrateStore(db, broken)).toThrow(/no such table: nowhere/);
    expect(storeVersion(db)).toBe(latest);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
  });
});

describe('the store', () => {
  it('lists the demo connection first, then by name, and updates in place', () => {
    const store = freshStore();
    const b = store.saveConnection({ name: 'beta', kind: 'sqlite', path: '/data/b.db', readOnly: false });
    store.saveConnection({
      name: 'Alpha',
      kind: 'postgres',
      host: 'db',
      port: 5432,
      database: 'app',
      user: 'me',
      sslMode: 'prefer',
      readOnly: true,
    });
    store.saveConnection(
      { id: 'demo', name: 'Zed demo', kind: 'sqlite', path: '/data/demo.db', readOnly: false },
      { demo: true },
    );
    expect(store.listConnections().map((c) => [c.name, c.demo])).toEqual([
      ['Zed demo', true],
      ['Alpha', false],
      ['beta', false],
    ]);
    const renamed = store.saveConnection({
      id: b.id,
      name: 'gamma',
      kind: 'sqlite',
      path: '/data/b.db',
      readOnly: true,
    });
    expect(renamed).toMatchObject({ id: b.id, name: 'gamma', readOnly: true, demo: false });
    expect(store.listConnections()).toHaveLength(3);
    expect(store.deleteConnection(b.id)).toBe(true);
    expect(store.deleteConnection(b.id)).toBe(false);
  });

  it("keeps each connection's environment in its own columns: set, kept on an update without one, changed", () => {
    const store = freshStore();
    const plain = store.saveConnection({ name: 'scratch', kind: 'sqlite', path: '/data/s.db', readOnly: false });
    expect(plain.environment).toBeNull();
    const prod = store.saveConnection({
      name: 'orders-prod',
      kind: 'sqlite',
      path: '/data/orders.db',
      readOnly: false,
      environment: { kind: 'production' },
    });
    expect(prod.environment).toEqual({ kind: 'production' });
    const renamed = store.saveConnection({
      id: prod.id,
      name: 'orders',
      kind: 'sqlite',
      path: '/data/o.db',
      readOnly: false,
    });
    expect(renamed.environment).toEqual({ kind: 'production' });
    const qa = store.saveConnection({
      id: prod.id,
      name: 'orders',
      kind: 'sqlite',
      path: '/data/o.db',
      readOnly: false,
      environment: { kind: 'custom', label: 'QA', color: '#1971c2' },
    });
    expect(qa.environment).toEqual({ kind: 'custom', label: 'QA', color: '#1971c2' });
    const row = store.db
      .prepare('SELECT environment, environment_label, environment_color, config FROM connections WHERE id = ?')
      .get(prod.id) as Record<string, string>;
    expect(row).toMatchObject({ environment: 'custom', environment_label: 'QA', environment_color: '#1971c2' });
    expect(JSON.parse(row.config!)).not.toHaveProperty('environment');
    expect(() =>
      store.db
        .prepare("UPDATE connections SET environment = 'custom', environment_label = NULL WHERE id = ?")
        .run(prod.id),
    ).toThrow(/CHECK constraint failed/);
  });

  it('gives the demo connection of an older store the development environment and leaves the others unset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataflow-store-'));
    const old = new Database(join(dir, 'store.db'));
    migrateStore(old, STORE_MIGRATIONS.slice(0, 2));
    const insert = old.prepare(
      "INSERT INTO connections (id, name, kind, config, demo, created_at, updated_at) VALUES (?, ?, 'sqlite', ?, ?, '2026-01-01', '2026-01-01')",
    );
    insert.run('demo', 'Demo database', JSON.stringify({ name: 'Demo database', kind: 'sqlite', path: '/d.db' }), 1);
    insert.run('p', 'orders-prod', JSON.stringify({ name: 'orders-prod', kind: 'sqlite', path: '/o.db' }), 0);
    old.close();
    const store = freshStore(dir);
    expect(store.listConnections().map((c) => [c.id, c.environment])).toEqual([
      ['demo', { kind: 'development' }],
      ['p', null],
    ]);
  });

  it('keeps the newest recent files, newest first', () => {
    const store = freshStore();
    for (let i = 0; i < RECENT_LIMIT + 3; i++) {
      store.db
        .prepare('INSERT INTO recent_files (path, opened_at) VALUES (?, ?)')
        .run(`/w/${i}.json`, `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`);
    }
    store.touchRecent('/w/0.json');
    const paths = store.recentFiles().map((r) => r.path);
    expect(paths).toHaveLength(RECENT_LIMIT);
    expect(paths[0]).toBe('/w/0.json');
    expect(paths).not.toContain('/w/1.json');
  });

  it('records run results with summary columns, newest first, and gives each back whole', () => {
    const store = freshStore();
    store.addRun(result('old', '2026-01-01T10:00:00.000Z'), {
      connectionId: 'demo',
      connectionName: 'Demo database',
      filePath: '/w/a.dataflow.json',
    });
    store.addRun(result('new', '2026-01-02T10:00:00.000Z', 'failed'), {
      connectionId: 'demo',
      connectionName: 'Demo database',
      filePath: null,
    });
    expect(store.listRuns(10)).toEqual([
      {
        runId: 'new',
        workflow: 'add_notes',
        mode: 'rehearse',
        connection: 'Demo database',
        status: 'failed',
        startedAt: '2026-01-02T10:00:00.000Z',
        durationMs: 12.5,
        filePath: null,
        connectionId: 'demo',
        state: 'failed',
        resumable: false,
        rolledBackBy: null,
      },
      {
        runId: 'old',
        workflow: 'add_notes',
        mode: 'rehearse',
        connection: 'Demo database',
        status: 'succeeded',
        startedAt: '2026-01-01T10:00:00.000Z',
        durationMs: 12.5,
        filePath: '/w/a.dataflow.json',
        connectionId: 'demo',
        state: 'succeeded',
        resumable: false,
        rolledBackBy: null,
      },
    ]);
    expect(store.listRuns(1).map((r) => r.runId)).toEqual(['new']);
    expect(store.getRun('old')).toEqual(result('old', '2026-01-01T10:00:00.000Z'));
    expect(store.getRun('missing')).toBeNull();
  });

  it('names the apply that rolled a run back; a rehearsed rollback undid nothing', () => {
    const store = freshStore();
    const target = '0ca29877-5a8c-4121-8b21-50a8c06f650d';
    const where = { connectionId: 'demo', connectionName: 'Demo database', filePath: null };
    store.addRun({ ...result(target, '2026-01-01T10:00:00.000Z'), mode: 'apply' }, where);
    const rollback = (id: string, at: string, mode: 'apply' | 'rehearse') =>
      store.addRun({ ...result(id, at), mode, workflow: rollbackName(target) }, where);
    rollback('rehearsed', '2026-01-01T11:00:00.000Z', 'rehearse');
    expect(store.listRuns(10).find((r) => r.runId === target)!.rolledBackBy).toBeNull();
    rollback('applied', '2026-01-01T12:00:00.000Z', 'apply');
    expect(store.listRuns(10).find((r) => r.runId === target)!.rolledBackBy).toBe('applied');
  });

  it('lists an apply that stopped after a node changed something as partially applied, and resumable', async () => {
    const store = freshStore();
    const { result } = await SCENARIOS.partial();
    expect(result.status).toBe('failed');
    store.addRun(result, { connectionId: 'demo', connectionName: 'Demo database', filePath: null });
    expect(store.listRuns(1)[0]).toMatchObject({ status: 'failed', state: 'partially applied', resumable: true });
    expect(runState(result)).toBe('partially applied');
    expect(resumable(result)).toBe(true);
  });

  it('keeps settings as JSON values', () => {
    const store = freshStore();
    expect(store.getSetting('x')).toBeUndefined();
    store.setSetting('x', { a: [1, true] });
    store.setSetting('x', { a: [2] });
    expect(store.getSetting('x')).toEqual({ a: [2] });
  });
});
