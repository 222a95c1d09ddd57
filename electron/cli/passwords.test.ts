/**
 * A password in a connection string never reaches an output, whatever the string's shape: a
 * password holding URL delimiters unescaped, a malformed escape, a password as a URL parameter, a
 * key/value string, another scheme. A URL that cannot be read is refused saying how to write
 * such a password (percent-encode it); one that can is shown by its label, without the password,
 * in messages, run results and the history.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, pgAdminUrl, type TestDatabase } from '../../test/databases.ts';
import { dataflow, example } from '../../test/dataflow-cli.ts';

/** Every piece of a password that must not be shown (its parts between URL delimiters too). */
const PIECES = ['pw1', 'secret2'];

/** [connection string, whether it is refused as unreadable (exit 2 with the percent-encode advice)]. */
const SHAPES: [string, 'unreadable' | 'not a connection' | 'unreachable'][] = [
  ['postgres://postgres:pw1/secret2@127.0.0.1:9/x', 'unreadable'],
  ['postgres://postgres:pw1#secret2@127.0.0.1:9/x', 'unreadable'],
  ['postgres://postgres:pw1?secret2@127.0.0.1:9/x', 'unreadable'],
  ['postgres://postgres:pw1%zzsecret2@127.0.0.1:9/x', 'unreadable'],
  ['postgres://u:1/pw1secret2@127.0.0.1:9/x', 'unreadable'],
  ['postgres://postgres:pw1@secret2@127.0.0.1:9/x', 'unreachable'],
  ['postgresql://127.0.0.1:9/x?sslmode=disable&password=pw1secret2', 'unreachable'],
  ['host=127.0.0.1 password=pw1secret2', 'not a connection'],
  ['mysql://root:pw1/secret2@localhost/x', 'not a connection'],
];

function expectNoPassword(...texts: string[]): void {
  for (const text of texts) for (const piece of PIECES) expect(text).not.toContain(piece);
}

describe('dataflow with a password in the connection string', () => {
  // Every command opens --db through the same code (common.ts connect): all four for the first
  // shape of each kind, two for the others, to keep the process count down.
  it.each(SHAPES)('%s is never shown (%s)', async (conn, kind) => {
    const all = SHAPES.find(([, k]) => k === kind)![0] === conn;
    const outputs = await Promise.all([
      dataflow('run', example('basic-add-column'), '--db', conn, '--json'),
      dataflow('history', '--db', conn),
      ...(all
        ? [dataflow('plan', example('basic-add-column'), '--db', conn), dataflow('demo-db', conn, '--rows', '10')]
        : []),
    ]);
    for (const r of outputs) {
      expect(r.code).toBe(2);
      expectNoPassword(r.stdout, r.stderr);
      if (kind === 'unreadable')
        expect(r.stderr).toMatch(/the PostgreSQL URL cannot be read \(.*\): percent-encode the user name and password/);
      if (kind === 'not a connection') expect(r.stderr).toMatch(/use sqlite:<path> or postgres:/);
      if (kind === 'unreachable')
        expect(r.stderr).toMatch(/cannot connect to postgres:\/\/(postgres@)?127\.0\.0\.1:9\/x/);
    }
  });
});

describe('dataflow on PostgreSQL as a role whose password holds URL delimiters', () => {
  const role = `pw_${randomBytes(4).toString('hex')}`;
  let db: TestDatabase & { cleanup(): Promise<void> };
  let admin: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    admin = new pg.Client({ connectionString: pgAdminUrl() });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD 'pw1/@#?:secret2'`);
  });
  afterAll(async () => {
    await db?.cleanup();
    await admin?.query(`DROP ROLE IF EXISTS ${role}`);
    await admin?.end();
  });

  it('runs with the password percent-encoded or as a URL parameter; no output, run result or history entry shows it', async () => {
    const url = new URL(db.conn);
    const encoded = new URL(db.conn);
    encoded.username = role;
    encoded.password = encodeURIComponent('pw1/@#?:secret2');
    const asParameter = new URL(db.conn);
    asParameter.username = role;
    asParameter.password = '';
    asParameter.searchParams.set('password', 'pw1/@#?:secret2');
    const label = `postgres://${role}@${url.host}${url.pathname}`;
    const tracked = join(mkdtempSync(join(tmpdir(), 'dataflow-pw-')), 'tracked.dataflow.json');
    writeFileSync(
      tracked,
      JSON.stringify({
        format: 'dataflow-workflow',
        version: 1,
        name: 'tracked',
        nodes: [{ id: 'track', type: 'MigrationNode', params: { migration_name: 'm1', status: 'completed' } }],
      }),
    );

    const run = await dataflow('run', tracked, '--db', encoded.toString(), '--json');
    expect(run.code).toBe(0);
    expectNoPassword(run.stdout, run.stderr);
    expect((JSON.parse(run.stdout) as { connection: string }).connection).toBe(label);
    for (const conn of [encoded.toString(), asParameter.toString()]) {
      const history = await dataflow('history', '--db', conn, '--json');
      expect(history.code).toBe(0);
      expectNoPassword(history.stdout, history.stderr);
      expect(JSON.parse(history.stdout)).toEqual([expect.objectContaining({ name: 'm1', status: 'completed' })]);
      const plan = await dataflow('plan', tracked, '--db', conn);
      expect(plan.code).toBe(0);
      expectNoPassword(plan.stdout, plan.stderr);
    }
    const stored = await db.driver.query('SELECT * FROM dataflow_migrations');
    expectNoPassword(JSON.stringify(stored.rows));
  });
});
