import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import type { Progress } from '../../../shared/run.ts';
import { workflowSchema, type Workflow } from '../../../shared/workflow.ts';
import { checkpointTableExists, readCheckpoints, withoutBatchLimits } from '../../../test/backfill-fixtures.ts';
import { runWorkflow } from '../run.ts';

const USERS = 2500;

async function createUsers(db: TestDatabase): Promise<void> {
  const rows =
    db.dialect.name === 'postgres'
      ? `INSERT INTO users (id, name, email) SELECT i, 'user ' || i, 'user' || i || '@example.com' FROM generate_series(1, ${USERS}) AS i`
      : `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${USERS})
           INSERT INTO users (id, name, email) SELECT i, 'user ' || i, 'user' || i || '@example.com' FROM s`;
  await db.setup(
    `CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, email varchar(255)); ${rows}; UPDATE users SET email = NULL WHERE id = 5;`,
  );
}

function workflow(nodes: unknown[], connections: unknown[] = []): Workflow {
  return workflowSchema.parse({ format: 'dataflow-workflow', version: 1, name: 'copy', nodes, connections });
}

/** The guide's "rename column" steps 1 and 2. */
const renameFlow = (batch = 1000) =>
  workflow(
    [
      {
        id: 'add_new_column',
        type: 'SchemaModificationNode',
        params: {
          table: 'users',
          operation: 'add_column',
          column_name: 'email_address',
          column_type: 'varchar(255)',
          nullable: true,
        },
      },
      {
        id: 'copy_data',
        type: 'DataMigrationNode',
        params: {
          source_table: 'users',
          target_table: 'users',
          field_mapping: { email: 'email_address' },
          batch_size: batch,
          batch_target_ms: 0,
        },
      },
    ],
    [{ source: 'add_new_column', sourceOutput: 'result', target: 'copy_data', targetInput: 'input' }],
  );

const copyNode = (params: Record<string, unknown>) =>
  workflow([{ id: 'copy_data', type: 'DataMigrationNode', params }]);

const count = async (db: TestDatabase, sql: string) =>
  Number(Object.values((await db.driver.query(sql)).rows[0] ?? {})[0]);

for (const dialect of DIALECTS) {
  describe(`DataMigrationNode on ${dialect}`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    afterEach(async () => {
      await db?.cleanup();
    });

    it('copies email -> email_address within the table in primary-key batches, every value equal', async () => {
      db = await createTestDatabase(dialect);
      await createUsers(db);
      const progress: Progress[] = [];
      const result = await runWorkflow(renameFlow(), db, {
        mode: 'apply',
        onEvent: (e) => e.type === 'progress' && progress.push(e.progress),
      });
      expect(result.error).toBeNull();
      const node = result.nodes.copy_data!;
      expect(node.outputs).toMatchObject({
        rows_copied: USERS,
        rows_done_total: USERS,
        batches: 3,
        key_column: 'id',
        resumed: false,
      });
      const updates = node.sql.filter((s) => s.sql.startsWith('UPDATE'));
      expect(updates.map((s) => s.sql)).toEqual([
        'UPDATE "users" SET "email_address" = "email" WHERE "id" <= 1000',
        'UPDATE "users" SET "email_address" = "email" WHERE "id" > 1000 AND "id" <= 2000',
        'UPDATE "users" SET "email_address" = "email" WHERE "id" > 2000 AND "id" <= 2500',
      ]);
      expect(updates.map((s) => s.rowsAffected)).toEqual([1000, 1000, 500]);
      // Each batch's checkpoint write follows its UPDATE; the last one marks the copy finished.
      expect(withoutBatchLimits(node.sql).map((s) => s.sql.split(' ')[0])).toEqual([
        'CREATE',
        'UPDATE',
        'INSERT',
        'UPDATE',
        'INSERT',
        'UPDATE',
        'INSERT',
        'INSERT',
      ]);
      expect(await readCheckpoints(db)).toEqual([{ rowsDone: USERS, finished: true, lastKey: '2500' }]);
      expect(
        await count(db, 'SELECT count(*) FROM users WHERE email_address IS NOT NULL AND email_address = email'),
      ).toBe(USERS - 1);
      expect(await count(db, 'SELECT count(*) FROM users WHERE email_address IS NULL AND email IS NULL')).toBe(1);
      expect(progress.at(-1)).toMatchObject({ done: USERS, total: USERS, etaSeconds: 0 });
    });

    it('plans the copy as its first batch, saying it repeats, and writes nothing', async () => {
      db = await createTestDatabase(dialect);
      await createUsers(db);
      const plan = await runWorkflow(renameFlow(), db, { mode: 'plan' });
      expect(plan.error).toBeNull();
      const [create, step] = withoutBatchLimits(plan.nodes.copy_data!.sql);
      expect(create!.sql).toMatch(/^CREATE TABLE IF NOT EXISTS "dataflow_backfill_checkpoints"/);
      // email_address does not exist yet, so the bound is the first batch's key, read by a subquery.
      expect(step!.sql).toBe(
        'UPDATE "users" SET "email_address" = "email" WHERE "id" <= (SELECT s."id" FROM (SELECT "id" FROM "users" ORDER BY "id" LIMIT 1000) s ORDER BY s."id" DESC LIMIT 1)',
      );
      expect(step!.comment).toMatch(
        /batch 1 of about 3 \(2500 rows\): repeats for each batch of 1000 "id" keys, each batch in its own transaction with its checkpoint/,
      );
      await db.setup('ALTER TABLE users ADD COLUMN email_address varchar(255)');
      const live = await runWorkflow(
        copyNode({
          source_table: 'users',
          target_table: 'users',
          field_mapping: { email: 'email_address' },
          batch_size: 1000,
          // The walk's own statements (the prior backup is tested in electron/engine/rollback.test.ts).
          backup_max_rows: 0,
        }),
        db,
        { mode: 'plan' },
      );
      const [, update, saved] = withoutBatchLimits(live.nodes.copy_data!.sql);
      expect(update!.sql).toBe('UPDATE "users" SET "email_address" = "email" WHERE "id" <= 1000');
      expect(saved!.sql).toMatch(/^INSERT INTO "dataflow_backfill_checkpoints" .*'1000'/);
      expect(await count(db, 'SELECT count(*) FROM users WHERE email_address IS NOT NULL')).toBe(0);
      expect(await checkpointTableExists(db)).toBe(false);
    });

    it('copies into another table with INSERT ... SELECT per batch, honouring where', async () => {
      db = await createTestDatabase(dialect);
      await createUsers(db);
      await db.setup('CREATE TABLE contacts (id integer PRIMARY KEY, contact_email text, full_name text)');
      const result = await runWorkflow(
        copyNode({
          source_table: 'users',
          target_table: 'contacts',
          field_mapping: { id: 'id', email: 'contact_email', name: 'full_name' },
          where: 'id % 2 = 0',
          batch_size: 400,
          batch_target_ms: 0,
        }),
        db,
        { mode: 'apply' },
      );
      expect(result.error).toBeNull();
      // Half the keys match, still dense: batches are ranges of 400 key values (200 rows each).
      expect(result.nodes.copy_data!.outputs).toMatchObject({ rows_copied: USERS / 2, batches: 7 });
      expect(withoutBatchLimits(result.nodes.copy_data!.sql)[1]!.sql).toBe(
        'INSERT INTO "contacts" ("id", "contact_email", "full_name") SELECT "id", "email", "name" FROM "users" WHERE "id" <= 401 AND (id % 2 = 0) ORDER BY "id"',
      );
      expect(
        await count(
          db,
          'SELECT count(*) FROM contacts c JOIN users u ON u.id = c.id WHERE c.full_name = u.name AND c.contact_email = u.email',
        ),
      ).toBe(USERS / 2);
      expect(await count(db, 'SELECT count(*) FROM contacts WHERE id % 2 = 1')).toBe(0);
    });

    it('names field_mapping and the column when a column is missing, before writing', async () => {
      db = await createTestDatabase(dialect);
      await createUsers(db);
      const missingTarget = await runWorkflow(
        copyNode({ source_table: 'users', target_table: 'users', field_mapping: { email: 'email_address' } }),
        db,
        { mode: 'apply' },
      );
      expect(missingTarget.nodes.copy_data!.error).toMatchObject({ field: 'field_mapping' });
      expect(missingTarget.nodes.copy_data!.error!.message).toMatch(
        /target column "email_address" is not in table "users"/,
      );
      const missingSource = await runWorkflow(
        copyNode({ source_table: 'users', target_table: 'users', field_mapping: { mail: 'name' } }),
        db,
        { mode: 'apply' },
      );
      expect(missingSource.nodes.copy_data!.error!.message).toMatch(/source column "mail" is not in table "users"/);
      const missingTable = await runWorkflow(
        copyNode({ source_table: 'people', target_table: 'users', field_mapping: { a: 'b' } }),
        db,
        { mode: 'apply' },
      );
      expect(missingTable.nodes.copy_data!.error).toMatchObject({ field: 'source_table' });
      const badWhere = await runWorkflow(
        copyNode({
          source_table: 'users',
          target_table: 'users',
          field_mapping: { email: 'name' },
          where: 'id > 0; DELETE FROM users',
        }),
        db,
        { mode: 'apply' },
      );
      expect(badWhere.nodes.copy_data!.error).toMatchObject({ field: 'where' });
      for (const r of [missingTarget, missingSource, missingTable, badWhere])
        expect(r.nodes.copy_data!.sql).toEqual([]);
      expect(await count(db, "SELECT count(*) FROM users WHERE name LIKE 'user %'")).toBe(USERS);
    });

    it('walks a composite-key table by its unique NOT NULL column, and refuses one without', async () => {
      db = await createTestDatabase(dialect);
      await db.setup(`
        CREATE TABLE memberships (team integer NOT NULL, member integer NOT NULL, role text, old_role text, PRIMARY KEY (team, member));
        INSERT INTO memberships VALUES (1, 1, NULL, 'a'), (1, 2, NULL, 'b'), (2, 1, NULL, 'c');`);
      const refused = await runWorkflow(
        copyNode({ source_table: 'memberships', target_table: 'memberships', field_mapping: { old_role: 'role' } }),
        db,
        { mode: 'apply' },
      );
      expect(refused.nodes.copy_data!.error).toMatchObject({ field: 'source_table' });
      expect(refused.nodes.copy_data!.error!.message).toMatch(
        /table "memberships" has no primary key and no unique NOT NULL column/,
      );
      await db.setup(
        'ALTER TABLE memberships ADD COLUMN serial_no integer; UPDATE memberships SET serial_no = team * 10 + member;',
      );
      await db.setup(
        dialect === 'postgres'
          ? 'ALTER TABLE memberships ALTER COLUMN serial_no SET NOT NULL; CREATE UNIQUE INDEX memberships_serial ON memberships (serial_no)'
          : `CREATE TABLE m2 (team integer NOT NULL, member integer NOT NULL, role text, old_role text, serial_no integer NOT NULL UNIQUE, PRIMARY KEY (team, member));
             INSERT INTO m2 SELECT team, member, role, old_role, serial_no FROM memberships; DROP TABLE memberships; ALTER TABLE m2 RENAME TO memberships;`,
      );
      const copied = await runWorkflow(
        copyNode({
          source_table: 'memberships',
          target_table: 'memberships',
          field_mapping: { old_role: 'role' },
          batch_size: 2,
        }),
        db,
        { mode: 'apply' },
      );
      expect(copied.error).toBeNull();
      expect(copied.nodes.copy_data!.outputs).toMatchObject({ rows_copied: 3, batches: 2, key_column: 'serial_no' });
      expect(await count(db, 'SELECT count(*) FROM memberships WHERE role = old_role')).toBe(3);
    });
  });
}
