/**
 * A fleet of 10 PostgreSQL databases on the test server, read from a registry query, with a
 * target whose password is wrong, one on a closed port and one naming no database: each bad
 * one is reported with its kind, the others applied; the plan matrix afterwards.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LINT_CONFIG } from '../../shared/lint/config.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { createTestDatabase, type FreshDatabase } from '../../test/databases.ts';
import { exampleText } from '../../test/examples.ts';
import { ORDERS_SQL } from '../../test/fleet-targets.ts';
import { openDatabase } from '../db/connect.ts';
import { planFleet } from './plan-fleet.ts';
import { openable } from './run-target.ts';
import { queryTargets } from './targets.ts';
import { runFleet } from './waves.ts';

const { workflow } = parseWorkflow(exampleText('zero-downtime'));
const databases: FreshDatabase[] = [];

beforeAll(async () => {
  databases.push(...(await Promise.all(Array.from({ length: 10 }, () => createTestDatabase('postgres')))));
  await Promise.all(databases.map((db) => db.setup(ORDERS_SQL.replace('INTEGER PRIMARY KEY', 'serial PRIMARY KEY'))));
});
afterAll(async () => {
  await Promise.all(databases.map((db) => db.cleanup()));
});

/** The URL without its password: the registry holds none. */
function withoutPassword(conn: string, change: (url: URL) => void = () => {}): string {
  const url = new URL(conn);
  url.password = '';
  change(url);
  return url.toString();
}

describe('a PostgreSQL fleet', () => {
  it('applies 10 databases from a registry query; bad credentials and unreachable targets are reported per target', async () => {
    const registryPath = join(mkdtempSync(join(tmpdir(), 'dataflow-registry-')), 'registry.db');
    const raw = new Database(registryPath);
    raw.exec('CREATE TABLE tenants (name TEXT, url TEXT, secret TEXT, region TEXT)');
    const insert = raw.prepare('INSERT INTO tenants VALUES (?, ?, ?, ?)');
    databases.forEach((db, i) => insert.run(`tenant-${i}`, withoutPassword(db.conn), 'PG_PW', 'eu'));
    insert.run(
      'wrong-password',
      withoutPassword(databases[0]!.conn, (u) => (u.pathname = '/postgres')),
      'BAD_PW',
      'us',
    );
    insert.run(
      'closed-port',
      withoutPassword(databases[1]!.conn, (u) => (u.port = '9')),
      'PG_PW',
      'us',
    );
    insert.run(
      'no-database',
      withoutPassword(databases[2]!.conn, (u) => (u.pathname = '/no_such_db')),
      'PG_PW',
      'us',
    );
    raw.close();

    const registry = await openDatabase(`sqlite:${registryPath}`);
    const list = await queryTargets(
      registry,
      'SELECT name AS label, url AS connection, secret AS password_env, region AS environment FROM tenants ORDER BY rowid',
    );
    await registry.driver.close();
    expect(list.invalid).toEqual([]);
    expect(list.targets[0]).toMatchObject({
      label: 'tenant-0',
      environment: 'eu',
      passwordEnv: 'PG_PW',
      source: '--targets-sql row 1',
    });

    const env = { PG_PW: new URL(databases[0]!.conn).password, BAD_PW: 'not-the-password' };
    const targets = list.targets.map((t) => openable(t, env));
    const m = await runFleet(workflow, targets, [], { parallel: 8, onError: 'continue' });
    expect(m.counts).toMatchObject({ succeeded: 10, failed: 3 });
    const errors = Object.fromEntries(m.targets.filter((t) => t.error).map((t) => [t.label, t.error!]));
    expect(errors['wrong-password']!.kind).toBe('bad_credentials');
    expect(errors['wrong-password']!.message).toMatch(
      /^wrong-password: the server refused the credentials \(.*password authentication failed/,
    );
    expect(errors['closed-port']!.kind).toBe('unreachable');
    // The test server's password is "postgres", so the scrub hides the scheme and user too.
    expect(errors['closed-port']!.message).toMatch(
      /^closed-port: unreachable \(cannot connect to .*:9\/.*ECONNREFUSED.*\): check the host/,
    );
    expect(errors['no-database']).toMatchObject({ kind: 'unreachable' });
    expect(JSON.stringify(m)).not.toContain(env.BAD_PW);

    for (const db of databases) {
      const c = new pg.Client({ connectionString: db.conn });
      await c.connect();
      const runs = await c.query('SELECT status FROM dataflow_runs');
      const column = await c.query(
        "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'total_amount'",
      );
      await c.end();
      expect(runs.rows).toEqual([{ status: 'succeeded' }]);
      expect(column.rows).toEqual([{ is_nullable: 'NO' }]);
    }

    const plan = await planFleet(workflow, targets, [], { config: DEFAULT_LINT_CONFIG, parallel: 8 });
    expect(plan.counts).toEqual({ would_apply: 0, already_applied: 10, would_fail: 3, drift: 0, invalid: 0 });
    expect(plan.targets.find((t) => t.label === 'wrong-password')!.error!.kind).toBe('bad_credentials');
  });
});
