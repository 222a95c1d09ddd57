import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgAdminUrl, type TestDatabase } from '../../../test/databases.ts';
import { keyedCipher, testCore, type TestCore } from '../../../test/app-core.ts';

const EXAMPLE = join(import.meta.dirname, '../../../assets/examples/basic-add-column.dataflow.json');

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe('a PostgreSQL connection with a password', () => {
  const role = `dfs_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  let db: TestDatabase & { cleanup(): Promise<void> };
  let core: TestCore;
  let server: URL;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    await db.setup(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'; GRANT ALL ON SCHEMA public TO ${role}`);
    server = new URL(db.conn);
    core = testCore({ platform: { host: 'electron', secrets: keyedCipher('os') } });
  });
  afterAll(async () => {
    await core?.close();
    await db?.cleanup();
    const admin = new pg.Client({ connectionString: pgAdminUrl() });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  const connection = () => ({
    name: 'Test server',
    kind: 'postgres' as const,
    host: server.hostname,
    port: Number(server.port),
    database: server.pathname.slice(1),
    user: role,
    sslMode: 'prefer' as const,
  });

  it('is saved with its password encrypted, connects, runs, and no file of the data folder holds the password in clear', async () => {
    const saved = await core.call('connections.save', { connection: connection(), password, storePassword: true });
    expect(saved).toMatchObject({
      kind: 'postgres',
      user: role,
      hasSecret: true,
      secretKept: 'stored',
      readOnly: false,
    });
    expect(saved).not.toHaveProperty('password');

    const tested = await core.call('connections.test', { id: saved.id });
    expect(tested).toMatchObject({ ok: true, error: null, serverVersion: expect.stringMatching(/^PostgreSQL \d+/) });

    await core.call('demo.create', { dialect: 'postgres', connectionId: saved.id, rows: 100 });
    const { runId } = await core.call('run.start', {
      text: readFileSync(EXAMPLE, 'utf8'),
      connectionId: saved.id,
      mode: 'apply',
    });
    const { result } = await core.sender.finished(runId);
    expect(result.status).toBe('succeeded');
    expect(result.connection).not.toContain(password);
    expect((await core.call('schema.introspect', { connectionId: saved.id })).tables.map((t) => t.name)).toContain(
      'orders',
    );
    await core.call('workflow.save', {
      path: join(core.homeDir, 'notes.dataflow.json'),
      text: readFileSync(EXAMPLE, 'utf8'),
    });

    const files = filesUnder(core.dataDir);
    expect(files.map((f) => f.slice(core.dataDir.length + 1))).toEqual(
      expect.arrayContaining(['store.db', 'secrets.json']),
    );
    for (const file of [...files, ...filesUnder(core.homeDir)]) {
      const bytes = readFileSync(file);
      expect(bytes.includes(password), file).toBe(false);
      expect(bytes.includes(Buffer.from(password, 'utf16le')), file).toBe(false);
      expect(bytes.includes(Buffer.from(password).toString('base64')), file).toBe(false);
    }
  });

  it('refuses a wrong password, and the error does not quote it', async () => {
    const wrong = `not-${password}`;
    const tested = await core.call('connections.test', { connection: connection(), password: wrong });
    expect(tested.ok).toBe(false);
    expect(tested.error).toMatch(/password authentication failed/);
    expect(tested.error).not.toContain(wrong);
  });

  it('keeps a password for the session only when asked not to store it', async () => {
    const saved = await core.call('connections.save', {
      connection: { ...connection(), name: 'Session only' },
      password,
      storePassword: false,
    });
    expect(saved).toMatchObject({ hasSecret: true, secretKept: 'session' });
    expect(await core.call('connections.test', { id: saved.id })).toMatchObject({ ok: true });
    const secrets = JSON.parse(readFileSync(join(core.dataDir, 'secrets.json'), 'utf8')) as {
      secrets: Record<string, string>;
    };
    expect(Object.keys(secrets.secrets)).not.toContain(saved.id);
    const cleared = await core.call('connections.save', {
      connection: { ...connection(), id: saved.id, name: 'Session only' },
      password: '',
    });
    expect(cleared).toMatchObject({ hasSecret: false, secretKept: null });
  });

  it('refuses to create the demo tables twice without force, naming the field; the code crosses the worker and IPC', async () => {
    const pgConn = (await core.call('connections.list', {})).find((c) => c.name === 'Test server')!;
    await expect(
      core.call('demo.create', { dialect: 'postgres', connectionId: pgConn.id, rows: 100 }),
    ).rejects.toMatchObject({ ipc: { field: 'force', code: 'demo_exists' } });
  });

  it('says when a connection has no password kept', async () => {
    const bare = await core.call('connections.save', { connection: { ...connection(), name: 'No password' } });
    const tested = await core.call('connections.test', { id: bare.id });
    expect(tested.error).toMatch(/no password is kept for this connection: enter it in the connection's settings/);
  });
});

describe("a connection's environment", () => {
  let core: TestCore;
  beforeAll(() => {
    core = testCore();
  });
  afterAll(async () => {
    await core?.close();
  });

  it('is saved and listed through the channels, kept when an update leaves it out, and a label is required for a custom one', async () => {
    const sqlite = { name: 'orders-prod', kind: 'sqlite' as const, path: '/srv/orders.db' };
    const saved = await core.call('connections.save', {
      connection: { ...sqlite, environment: { kind: 'production' } },
    });
    expect(saved.environment).toEqual({ kind: 'production' });
    const renamed = await core.call('connections.save', { connection: { ...sqlite, id: saved.id, name: 'orders' } });
    expect(renamed.environment).toEqual({ kind: 'production' });
    const listed = await core.call('connections.list', {});
    expect(listed.find((c) => c.id === saved.id)?.environment).toEqual({ kind: 'production' });
    expect(listed.find((c) => c.demo)?.environment).toEqual({ kind: 'development' });
    await expect(
      core.call('connections.save', {
        connection: { ...sqlite, id: saved.id, environment: { kind: 'custom', label: ' ', color: '#123456' } },
      }),
    ).rejects.toMatchObject({ ipc: { field: 'connection.environment.label' } });
    expect((await core.call('connections.list', {})).find((c) => c.id === saved.id)?.environment).toEqual({
      kind: 'production',
    });
  });

  it('refuses a second connection of a name already saved, naming the Name field, and keeps the first', async () => {
    const first = await core.call('connections.save', {
      connection: { name: 'Billing', kind: 'sqlite', path: '/srv/billing.db' },
    });
    await expect(
      core.call('connections.save', { connection: { name: ' billing ', kind: 'sqlite', path: '/srv/other.db' } }),
    ).rejects.toMatchObject({
      ipc: {
        field: 'connection.name',
        message: expect.stringContaining('a connection named "Billing" exists already'),
      },
    });
    // Saving the same connection again under its own name is an edit, not a second one.
    await core.call('connections.save', {
      connection: { id: first.id, name: 'Billing', kind: 'sqlite', path: '/srv/b.db' },
    });
    const named = (await core.call('connections.list', {})).filter((c) => c.name.toLowerCase() === 'billing');
    expect(named.map((c) => c.id)).toEqual([first.id]);
  });
});
