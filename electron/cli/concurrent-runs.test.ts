/**
 * Two `dataflow run` processes applying the same tracked migration to one database at once: the
 * migration lock lets one apply; the other waits for it, then finds the migration completed (or,
 * starting later, its preflight plan finds the column there) and stops before touching the
 * schema. Never both apply.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS, createTestDatabase } from '../../test/databases.ts';
import { readMigration } from '../db/migration-records.ts';
import { findTable } from '../../shared/schema.ts';
import type { RunResult } from '../../shared/run.ts';
import { dataflow } from '../../test/dataflow-cli.ts';

const workflow = {
  format: 'dataflow-workflow',
  version: 1,
  name: 'add_user_phone_number',
  nodes: [
    { id: 'track', type: 'MigrationNode', params: { migration_name: 'add_user_phone_number', status: 'pending' } },
    {
      id: 'apply',
      type: 'SchemaModificationNode',
      params: { table: 'users', operation: 'add_column', column_name: 'phone_number', column_type: 'varchar(20)' },
    },
    {
      id: 'index',
      type: 'SchemaModificationNode',
      params: { table: 'users', operation: 'create_index', index_name: 'users_phone', columns: ['phone_number'] },
    },
    { id: 'complete', type: 'MigrationNode', params: { migration_name: 'add_user_phone_number', status: 'completed' } },
  ],
  connections: [
    { source: 'track', sourceOutput: 'result', target: 'apply', targetInput: 'input' },
    { source: 'apply', sourceOutput: 'result', target: 'index', targetInput: 'input' },
    { source: 'index', sourceOutput: 'result', target: 'complete', targetInput: 'input' },
  ],
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

for (const dialect of DIALECTS) {
  describe(`two processes running one migration at once (${dialect})`, () => {
    it('one applies; the other waits for the lock, then stops naming the completed migration', async () => {
      const db = await createTestDatabase(dialect);
      cleanups.push(db.cleanup);
      await db.setup(
        "CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'bob');",
      );
      const file = join(mkdtempSync(join(tmpdir(), 'dataflow-concurrent-')), 'tracked.dataflow.json');
      writeFileSync(file, JSON.stringify(workflow));

      const runs = await Promise.all([0, 1].map(() => dataflow('run', file, '--db', db.conn, '--json')));
      const results = runs.map((r) => JSON.parse(r.stdout) as RunResult);
      const winners = results.filter((r) => r.status === 'succeeded');
      const losers = results.filter((r) => r.status !== 'succeeded');
      expect(winners, runs.map((r) => r.stderr).join('\n')).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(runs.map((r) => r.code).sort()).toEqual([0, 1]);
      const loser = losers[0]!;
      // It either waited for the lock and then found the migration completed, or started after the
      // winner finished and its preflight plan found the column already there.
      expect(loser.error).toMatch(/already completed|"phone_number" already exists/);
      expect(loser.nodes.apply!.status).not.toBe('succeeded');

      const table = findTable(await db.dialect.introspect(db.driver), 'users')!;
      expect(table.columns.filter((c) => c.name === 'phone_number')).toHaveLength(1);
      expect(await readMigration(db, 'add_user_phone_number')).toMatchObject({
        status: 'completed',
        runId: winners[0]!.runId,
      });
    });
  });
}
