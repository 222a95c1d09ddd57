import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../../shared/diff.ts';
import { DEFAULT_LINT_CONFIG } from '../../shared/lint/config.ts';
import { describeChange } from '../../shared/diff-text.ts';
import { DIALECTS, freshDatabases, userSchema, type FreshDatabase } from '../../test/databases.ts';
import { node, workflow } from '../../test/workflows.ts';
import { readMigration } from '../db/migration-records.ts';
import { buildRollback, RollbackRefused } from './rollback.ts';
import { runWorkflow } from './run.ts';

const databases = freshDatabases();
const SETUP =
  "CREATE TABLE users (id integer PRIMARY KEY, name varchar(100) NOT NULL, email text); INSERT INTO users VALUES (1, 'ada', 'a@x'), (2, 'bob', NULL);" +
  'CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL, note varchar(20)); INSERT INTO orders VALUES (1, 1, NULL), (2, 2, NULL);' +
  // Quoted as the product writes it: SQLite keeps the text, which the diff compares.
  'CREATE INDEX "orders_user" ON "orders" ("user_id");';

const sm = (id: string, params: Record<string, unknown>) => node(id, 'SchemaModificationNode', params);
const track = (id: string, status: string) => node(id, 'MigrationNode', { migration_name: 'v2', status });

/** Applies like the CLI: preflight, and the review with the rollback's own waivers. */
async function apply(db: FreshDatabase, w: ReturnType<typeof workflow>) {
  const r = await runWorkflow(w, db, { mode: 'apply', preflight: true });
  return r;
}

async function rollBack(db: FreshDatabase, target: string) {
  const rollback = await buildRollback(db, target);
  const r = await runWorkflow(rollback.workflow, db, {
    mode: 'apply',
    preflight: true,
    driftCheck: true,
    review: { config: DEFAULT_LINT_CONFIG, waivers: rollback.waivers },
  });
  return { rollback, r };
}

const changes = (a: Awaited<ReturnType<typeof userSchema>>, b: Awaited<ReturnType<typeof userSchema>>) =>
  diffSchemas(a, b).changes.map(describeChange);

for (const dialect of DIALECTS) {
  describe(`rollback from the run record (${dialect})`, () => {
    it(
      'reverses every change of a run (add, index, rename, type widened, default, drop index) back to the schema before; the migration becomes rolled_back',
      { timeout: 60_000 },
      async () => {
        const db = await databases(dialect, SETUP);
        const before = await userSchema(db);
        const forward = workflow(
          [
            track('track', 'pending'),
            sm('add_status', {
              table: 'orders',
              operation: 'add_column',
              column_name: 'status',
              column_type: 'varchar(20)',
              default_value: 'new',
            }),
            sm('idx_status', {
              table: 'orders',
              operation: 'create_index',
              index_name: 'orders_status',
              columns: ['status'],
            }),
            sm('rename_name', {
              table: 'users',
              operation: 'rename_column',
              column_name: 'name',
              new_name: 'full_name',
            }),
            sm('widen_note', {
              table: 'orders',
              operation: 'alter_column_type',
              column_name: 'note',
              column_type: 'text',
            }),
            sm('email_default', {
              table: 'users',
              operation: 'set_default',
              column_name: 'email',
              default_value: 'none',
            }),
            sm('drop_idx', { table: 'orders', operation: 'drop_index', index_name: 'orders_user' }),
            sm('new_table', {
              table: 'audit',
              operation: 'create_table',
              columns: [{ name: 'id', type: 'integer', primary_key: true }],
            }),
            track('done', 'completed'),
          ],
          [],
          'v2 changes',
        );
        const run = await apply(db, forward);
        expect(run.status, run.error ?? '').toBe('succeeded');

        const rollback = await buildRollback(db, 'v2');
        expect(rollback.run.runId).toBe(run.runId);
        expect(rollback.migrations).toEqual(['v2']);
        expect(rollback.workflow.nodes.map((n) => n.id)).toEqual([
          'rename_column_users_full_name_back',
          'retype_orders_note_back',
          'drop_default_users_email',
          'drop_column_orders_status',
          'drop_table_audit',
          'create_index_orders_user',
          'rolled_back_1',
        ]);
        const plan = await runWorkflow(rollback.workflow, db, { mode: 'plan' });
        expect(plan.status, plan.error ?? '').toBe('succeeded');
        const rehearsed = await runWorkflow(rollback.workflow, db, { mode: 'rehearse' });
        expect(rehearsed.status, rehearsed.error ?? '').toBe('succeeded');

        const { r } = await rollBack(db, run.runId.slice(0, 8));
        expect(r.status, r.error ?? '').toBe('succeeded');
        expect(changes(before, await userSchema(db))).toEqual([]);
        expect((await readMigration(db, 'v2'))?.status).toBe('rolled_back');

        const again = await buildRollback(db, run.runId).catch((e: unknown) => e);
        expect(again).toBeInstanceOf(RollbackRefused);
        expect((again as Error).message).toMatch(
          /^run [0-9a-f]{8} \(v2 changes\) was rolled back already, by run [0-9a-f]{8} at /,
        );
      },
    );

    it(
      'refuses what needs data that is gone, naming node, object, why and fix; a run that stopped part-way rolls back what it applied',
      { timeout: 60_000 },
      async () => {
        const db = await databases(dialect, SETUP);
        const lossy = await apply(
          db,
          workflow(
            [
              sm('drop_email', { table: 'users', operation: 'drop_column', column_name: 'email', backup_max_rows: 1 }),
              node('fill', 'DataBackfillNode', {
                table: 'orders',
                update_field: 'note',
                calculation: "'n'",
                backup_max_rows: 0,
              }),
            ],
            [],
            'lossy',
          ),
        );
        expect(lossy.status, lossy.error ?? '').toBe('succeeded');
        // Over its node's limit: a warning naming the field and the fix, and no backup.
        expect(lossy.nodes.drop_email!.warnings).toEqual([
          'no prior backup of "users"."email": about 2 row(s) exceed the backup limit of 1, so a rollback of this run cannot restore them; ' +
            'to keep one, raise field "backup_max_rows" (Prior backup up to (rows)) on the node, or the run\'s limit (dataflow run --backup-max-rows)',
        ]);
        const refused = (await buildRollback(db, lossy.runId).catch((e: unknown) => e)) as RollbackRefused;
        expect(refused).toBeInstanceOf(RollbackRefused);
        expect(refused.code).toBe('rollback_refused');
        expect(refused.missing).toEqual([
          {
            node: 'drop_email',
            object: 'column users.email',
            why: 'it was dropped with the values of 2 row(s), and no backup of them was kept',
            fix: expect.stringMatching(/^restore the values from a database backup/),
          },
          {
            node: 'fill',
            object: 'column orders.note',
            why: 'DataBackfillNode overwrote 2 row(s) there, and no backup of the values before was kept',
            fix: expect.stringMatching(/^restore the values from a database backup/),
          },
        ]);

        const before = await userSchema(db);
        const partial = await runWorkflow(
          workflow(
            [
              sm('add_a', { table: 'orders', operation: 'add_column', column_name: 'a', column_type: 'integer' }),
              sm('add_b', { table: 'orders', operation: 'add_column', column_name: 'b', column_type: 'integer' }),
              node('check', 'ValidationNode', { check_sql: 'SELECT 1 FROM orders' }),
            ],
            [],
            'partial',
          ),
          db,
          { mode: 'apply' },
        );
        expect(partial.status).toBe('failed');
        const { rollback, r } = await rollBack(db, partial.runId);
        expect(rollback.workflow.nodes.map((n) => n.id)).toEqual(['drop_column_orders_a', 'drop_column_orders_b']);
        expect(r.status, r.error ?? '').toBe('succeeded');
        expect(changes(before, await userSchema(db))).toEqual([]);
      },
    );

    it(
      'refuses to roll back a run that a later run depends on, naming it, until that one is rolled back',
      { timeout: 60_000 },
      async () => {
        const db = await databases(dialect, SETUP);
        const before = await userSchema(db);
        const first = await apply(
          db,
          workflow(
            [sm('add_tag', { table: 'orders', operation: 'add_column', column_name: 'tag', column_type: 'text' })],
            [],
            'first',
          ),
        );
        const second = await apply(
          db,
          workflow(
            [sm('idx_tag', { table: 'orders', operation: 'create_index', index_name: 'orders_tag', columns: ['tag'] })],
            [],
            'second',
          ),
        );
        const elsewhere = await apply(
          db,
          workflow(
            [sm('add_x', { table: 'users', operation: 'add_column', column_name: 'x', column_type: 'text' })],
            [],
            'third',
          ),
        );
        expect([first.status, second.status, elsewhere.status]).toEqual(['succeeded', 'succeeded', 'succeeded']);
        const refused = await buildRollback(db, first.runId).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(RollbackRefused);
        expect((refused as Error).message).toBe(
          `run ${second.runId.slice(0, 8)} (second, ${(await buildRollback(db, second.runId)).run.startedAt}) changed "orders" after run ${first.runId.slice(0, 8)}, ` +
            `so rolling back ${first.runId.slice(0, 8)} first would undo what it depends on: roll back run ${second.runId.slice(0, 8)} first (dataflow rollback ${second.runId.slice(0, 8)})`,
        );
        expect((await rollBack(db, second.runId)).r.status).toBe('succeeded');
        expect((await rollBack(db, first.runId)).r.status).toBe('succeeded');
        expect((await rollBack(db, elsewhere.runId)).r.status).toBe('succeeded');
        expect(changes(before, await userSchema(db))).toEqual([]);
      },
    );
  });
}

for (const dialect of DIALECTS) {
  describe(`prior backups restored by a rollback (${dialect})`, () => {
    it(
      'a dropped NOT NULL column, a lossy retype and an overwriting backfill come back with their values',
      { timeout: 60_000 },
      async () => {
        const db = await databases(dialect, SETUP);
        const rows = async () => ({
          users: (await db.driver.query('SELECT id, name, email FROM users ORDER BY id')).rows,
          orders: (await db.driver.query('SELECT id, user_id, note FROM orders ORDER BY id')).rows,
        });
        const before = await userSchema(db);
        const data = await rows();
        const run = await apply(
          db,
          workflow(
            [
              sm('drop_name', { table: 'users', operation: 'drop_column', column_name: 'name' }),
              sm('narrow_email', {
                table: 'users',
                operation: 'alter_column_type',
                column_name: 'email',
                column_type: 'varchar(1)',
                using: 'substr(email, 1, 1)',
              }),
              node('fill', 'DataBackfillNode', {
                table: 'orders',
                update_field: 'note',
                calculation: "'n' || id",
                batch_size: 1,
                batch_target_ms: 0,
              }),
            ],
            [],
            'lossy with backups',
          ),
        );
        expect(run.status, run.error ?? '').toBe('succeeded');
        expect(run.nodes.drop_name!.sql.map((s) => s.sql).join('\n')).toMatch(
          /INSERT INTO "dataflow_backup_[0-9a-f]{12}" \("id", "name"\) SELECT "id", "name" FROM "users"/,
        );
        expect(changes(before, await userSchema(db))).toEqual([
          '- column users.name',
          expect.stringMatching(/^~ column users\.email \(type: text -> /),
        ]);

        const { rollback, r } = await rollBack(db, run.runId);
        expect(rollback.workflow.nodes.map((n) => n.id)).toEqual([
          'retype_users_email_back',
          'restore_users_email',
          'add_column_users_name',
          'restore_users_name',
          'not_null_users_name',
          'restore_orders_note',
        ]);
        expect(r.status, r.error ?? '').toBe('succeeded');
        expect(changes(before, await userSchema(db))).toEqual([]);
        expect(await rows()).toEqual(data);
      },
    );
  });
}
