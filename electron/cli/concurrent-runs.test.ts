/**
 * `dataflow run` processes applying the same tracked migration to one database at once (two, then
 * ten): the migration lock lets one apply; each other waits for it, then finds the migration
 * already completed and its changes already applied and succeeds without running a statement, or,
 * having waited its whole lock wait, refuses naming the holder. Never two apply. Ten running the
 * guide's Migration Workflow Pattern: one applies, the others take its "already applied" route.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { DIALECTS, createTestDatabase } from '../../test/databases.ts';
import { readMigration } from '../db/migration-records.ts';
import { findTable } from '../../shared/schema.ts';
import type { RunResult } from '../../shared/run.ts';
import { dataflow, example } from '../../test/dataflow-cli.ts';

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
    it('one applies; the other waits for the lock, then finds the migration already completed and its changes already applied', async () => {
      const db = await createTestDatabase(dialect);
      cleanups.push(db.cleanup);
      await db.setup(
        "CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'bob');",
      );
      const file = join(mkdtempSync(join(tmpdir(), 'dataflow-concurrent-')), 'tracked.dataflow.json');
      writeFileSync(file, JSON.stringify(workflow));

      const runs = await Promise.all([0, 1].map(() => dataflow('run', file, '--db', db.conn, '--json')));
      const results = runs.map((r) => JSON.parse(r.stdout) as RunResult);
      expect(
        results.map((r) => r.status),
        runs.map((r) => r.stderr).join('\n'),
      ).toEqual(['succeeded', 'succeeded']);
      expect(runs.map((r) => r.code)).toEqual([0, 0]);
      const winners = results.filter((r) => r.nodes.apply!.outcome === undefined);
      const losers = results.filter((r) => r.nodes.apply!.outcome !== undefined);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      // It waited for the lock, then planned against what the winner left: nothing to do.
      const loser = losers[0]!;
      expect(Object.fromEntries(Object.entries(loser.nodes).map(([id, n]) => [id, n.outcome?.kind]))).toEqual({
        track: 'already_completed',
        apply: 'already_applied',
        index: 'already_applied',
        complete: 'already_completed',
      });
      expect(Object.values(loser.nodes).flatMap((n) => n.sql)).toEqual([]);

      const table = findTable(await db.dialect.introspect(db.driver), 'users')!;
      expect(table.columns.filter((c) => c.name === 'phone_number')).toHaveLength(1);
      expect(await readMigration(db, 'add_user_phone_number')).toMatchObject({
        status: 'completed',
        runId: winners[0]!.runId,
      });
    });
  });
}

/** A run that did not apply: it waited, then found every node's work done (no statement ran), or it waited in vain. */
function expectDoneOrWaited(r: RunResult, i: number): void {
  if (r.status === 'succeeded') {
    expect(Object.fromEntries(Object.entries(r.nodes).map(([id, n]) => [id, n.outcome?.kind])), `run ${i}`).toEqual({
      track: 'already_completed',
      apply: 'already_applied',
      index: 'already_applied',
      complete: 'already_completed',
    });
    expect(Object.values(r.nodes).flatMap((n) => n.sql)).toEqual([]);
    return;
  }
  expect(r.status, `run ${i}: ${r.error}`).toBe('failed');
  expect(r.error).toMatch(/the migration lock is held by run [^ ]+, workflow/);
  expect(r.nodes.index!.status).not.toBe('succeeded');
}

for (const dialect of DIALECTS) {
  describe(`ten processes racing one migration (${dialect})`, () => {
    it(
      'exactly one applies; the nine others find it done, or stop naming the lock holder; the schema ends right',
      { timeout: 120_000 },
      async () => {
        const db = await createTestDatabase(dialect);
        cleanups.push(db.cleanup);
        await db.setup(
          "CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users (id, name) VALUES (1, 'ada');",
        );
        const file = join(mkdtempSync(join(tmpdir(), 'dataflow-race-')), 'tracked.dataflow.json');
        writeFileSync(file, JSON.stringify(workflow));

        const runs = await Promise.all(
          Array.from({ length: 10 }, () => dataflow('run', file, '--db', db.conn, '--json')),
        );
        const results = runs.map((r) => JSON.parse(r.stdout) as RunResult);
        const applied = results.filter((r) => r.nodes.apply?.status === 'succeeded' && !r.nodes.apply.outcome);
        expect(applied, runs.map((r) => r.stderr).join('\n')).toHaveLength(1);
        expect(applied[0]!.status).toBe('succeeded');
        for (const [i, r] of results.entries()) if (r !== applied[0]) expectDoneOrWaited(r, i);
        expect(runs.map((r) => r.code)).toEqual(results.map((r) => (r.status === 'succeeded' ? 0 : 1)));

        const schema = await db.dialect.introspect(db.driver);
        const users = findTable(schema, 'users')!;
        expect(users.columns.map((c) => c.name)).toEqual(['id', 'name', 'phone_number']);
        expect(users.indexes.filter((i) => i.name === 'users_phone')).toHaveLength(1);
        expect(await readMigration(db, 'add_user_phone_number')).toMatchObject({
          status: 'completed',
          runId: applied[0]!.runId,
        });
        const completions = await db.driver.query<{ run_id: string }>(
          "SELECT run_id FROM dataflow_migration_events WHERE status = 'completed'",
        );
        expect(completions.rows.map((r) => r.run_id)).toEqual([applied[0]!.runId]);
      },
    );

    // The pattern's lock-then-preflight order on SQLite is electron/engine/preflight-after-lock.test.ts's.
    it.runIf(dialect === 'postgres')(
      'ten running the Migration Workflow Pattern: one applies, nine take the already-applied route',
      { timeout: 120_000 },
      async () => {
        const db = await createTestDatabase(dialect);
        cleanups.push(db.cleanup);
        await db.setup('CREATE TABLE users (id integer PRIMARY KEY, name text)');
        const file = join(mkdtempSync(join(tmpdir(), 'dataflow-race-')), 'pattern.dataflow.json');
        // Its skip route as JavaScript: nine Python starts would only slow the race down.
        const pattern = JSON.parse(readFileSync(example('migration-workflow-pattern'), 'utf8')) as typeof workflow;
        const skip = pattern.nodes.find((n) => n.id === 'skip_migration')!;
        Object.assign(skip, {
          type: 'CodeNode',
          params: { code: "result = { message: 'Migration already applied' }" },
        });
        writeFileSync(file, JSON.stringify(pattern));

        const runs = await Promise.all(
          Array.from({ length: 10 }, () => dataflow('run', file, '--db', db.conn, '--json', '--trust-code')),
        );
        const results = runs.map((r) => JSON.parse(r.stdout) as RunResult);
        const applied = results.filter((r) => r.nodes.apply_migration?.status === 'succeeded');
        expect(applied, runs.map((r) => r.stderr).join('\n')).toHaveLength(1);
        for (const r of results.filter((x) => x !== applied[0])) {
          if (r.status === 'succeeded') {
            expect(r.nodes.apply_migration!.status).toBe('skipped');
            expect(r.nodes.skip_migration!.status).toBe('succeeded');
          } else {
            // Waited its whole lock wait behind the others (a slow machine): refused, naming the
            // holder, or saying it has not recorded itself yet (it took the lock, and its row was
            // still to be written when the wait ran out).
            expect(r.error).toMatch(
              /the migration lock is held by (run [^ ]+, workflow|another run that has not recorded itself yet)/,
            );
            expect(r.nodes.apply_migration!.status).not.toBe('succeeded');
          }
        }
        const users = findTable(await db.dialect.introspect(db.driver), 'users')!;
        expect(users.columns.map((c) => c.name)).toEqual(['id', 'name', 'last_login']);
        expect(await readMigration(db, 'user_table_v2')).toMatchObject({
          status: 'completed',
          runId: applied[0]!.runId,
        });
      },
    );
  });
}
