import { describe, expect, it } from 'vitest';
import { findColumn, findTable } from '../../shared/schema.ts';
import { DIALECTS, freshDatabases, type FreshDatabase } from '../../test/databases.ts';
import { node, workflow } from '../../test/workflows.ts';
import { listRuns } from '../db/run-records.ts';
import { checkDrift } from './drift.ts';
import { runWorkflow } from './run.ts';

const databases = freshDatabases();
const fresh = (dialect: (typeof DIALECTS)[number]) =>
  databases(dialect, "CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users VALUES (1, 'ada');");

const add = (id: string, column: string, type = 'integer') =>
  node(id, 'SchemaModificationNode', {
    table: 'users',
    operation: 'add_column',
    column_name: column,
    column_type: type,
  });

const apply = (db: FreshDatabase, w: ReturnType<typeof workflow>, acceptDrift?: boolean) =>
  runWorkflow(w, db, {
    mode: 'apply',
    preflight: true,
    driftCheck: true,
    ...(acceptDrift !== undefined && { acceptDrift }),
  });

const hasColumn = async (db: FreshDatabase, column: string) =>
  findColumn(findTable(await db.dialect.introspect(db.driver), 'users')!, column) !== undefined;

for (const dialect of DIALECTS) {
  describe(`the drift check before an apply (${dialect})`, () => {
    it('a database no apply was recorded on has nothing to compare with: no drift', async () => {
      const db = await fresh(dialect);
      expect(await checkDrift(db, null)).toEqual({
        baseline: null,
        diff: { changes: [], tables: [] },
        editedMigrations: [],
      });
      const r = await apply(db, workflow([add('a', 'col_a')]));
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(r.drift).toBeUndefined();
    });

    it('a change made outside the product refuses the next apply, naming it; nothing is written', async () => {
      const db = await fresh(dialect);
      const first = await apply(db, workflow([add('a', 'col_a')], [], 'first'));
      expect(first.status, first.error ?? '').toBe('succeeded');
      await db.setup('ALTER TABLE users ADD COLUMN nickname text; CREATE INDEX users_name ON users (name)');

      const report = await checkDrift(db, null);
      expect(report.baseline).toMatchObject({ runId: first.runId, workflow: 'first', state: 'succeeded' });
      expect(report.diff.changes.map((c) => [c.kind, 'table' in c ? c.table : null])).toEqual([
        ['column_added', 'users'],
        ['index_added', 'users'],
      ]);

      const second = await apply(db, workflow([add('b', 'col_b')], [], 'second'));
      expect(second.status).toBe('failed');
      expect(second.errorCode).toBe('schema_drift');
      expect(second.drift).toMatchObject({ accepted: false, report: { baseline: { runId: first.runId } } });
      expect(second.error).toContain(`changed outside DataFlow Studio since run ${first.runId.slice(0, 8)} (first,`);
      expect(second.error).toContain('+ column users.nickname text; + index users_name on users');
      expect(second.error).toMatch(/accept them to apply \(--accept-drift/);
      expect(second.nodes.b).toMatchObject({ status: 'not_run', sql: [] });
      expect(await hasColumn(db, 'col_b')).toBe(false);
      expect((await listRuns(db)).map((r) => r.runId)).toEqual([first.runId]);
    });

    it('an accepted drift lets the apply go on and is recorded with the run; the next apply compares with it', async () => {
      const db = await fresh(dialect);
      await apply(db, workflow([add('a', 'col_a')], [], 'first'));
      await db.setup('ALTER TABLE users DROP COLUMN name');
      const accepted = await apply(db, workflow([add('b', 'col_b')], [], 'second'), true);
      expect(accepted.status, accepted.error ?? '').toBe('succeeded');
      expect(accepted.drift?.accepted).toBe(true);
      expect(accepted.drift?.report.diff.changes.map((c) => c.kind)).toEqual(['column_dropped']);
      expect(await hasColumn(db, 'col_b')).toBe(true);
      const [run] = await listRuns(db);
      expect(run).toMatchObject({ runId: accepted.runId, driftAccepted: { changes: ['- column users.name'] } });
      // The accepted run's schema is the new baseline: nothing drifted since.
      const third = await apply(db, workflow([add('c', 'col_c')], [], 'third'));
      expect(third.status, third.error ?? '').toBe('succeeded');
      expect(third.drift).toBeUndefined();
    });

    it('a completed migration whose workflow was edited since is part of the report, naming the nodes', async () => {
      const db = await fresh(dialect);
      const tracked = (type: string) =>
        workflow(
          [
            add('add_score', 'score', type),
            node('done', 'MigrationNode', { migration_name: 'add_score', status: 'completed' }),
          ],
          ['add_score.result->done.input'],
          'scores',
        );
      const first = await apply(db, tracked('integer'));
      expect(first.status, first.error ?? '').toBe('succeeded');
      expect((await checkDrift(db, tracked('integer'))).editedMigrations).toEqual([]);

      const edited = tracked('bigint');
      const report = await checkDrift(db, edited);
      expect(report.diff.changes).toEqual([]);
      expect(report.editedMigrations).toEqual([
        {
          name: 'add_score',
          runId: first.runId,
          completedAt: expect.any(String),
          nodes: [{ node: 'add_score', change: 'edited' }],
        },
      ]);
      const r = await apply(db, edited);
      expect(r.errorCode).toBe('schema_drift');
      expect(r.error).toContain(
        `migration "add_score" (completed by run ${first.runId.slice(0, 8)}): its workflow changed since, node "add_score" edited`,
      );
    });
  });
}
