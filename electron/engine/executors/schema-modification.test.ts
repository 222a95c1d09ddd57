import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase, userSchema } from '../../../test/databases.ts';
import { openDatabase, type Database } from '../../db/connect.ts';
import { runWorkflow, type RunOptions } from '../run.ts';
import { node, workflow } from '../../../test/workflows.ts';
import { RecordingDriver } from '../../../test/recording-driver.ts';

type Db = TestDatabase & { cleanup(): Promise<void> };
const open: Db[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.cleanup();
});

async function fresh(dialect: (typeof DIALECTS)[number]): Promise<Db> {
  const db = await createTestDatabase(dialect);
  open.push(db);
  await db.setup(
    "CREATE TABLE contacts (id integer PRIMARY KEY, email text); INSERT INTO contacts (id, email) VALUES (1, 'a@x'), (2, 'b@x'), (3, NULL);",
  );
  return db;
}

const addUnique = workflow([
  node('uniq', 'SchemaModificationNode', {
    table: 'contacts',
    operation: 'add_constraint',
    constraint_type: 'unique',
    column_name: 'email',
    constraint_name: 'contacts_email_key',
  }),
]);
const isDuplicateCheck = (sql: string) => /GROUP BY .* HAVING count\(\*\) > 1/i.test(sql);

for (const dialect of DIALECTS) {
  describe(`SchemaModificationNode data checks and the preflight (${dialect})`, () => {
    const cases: [string, Partial<RunOptions>][] = [
      ['apply without preflight: the apply pass checks', { mode: 'apply' }],
      [
        'apply with preflight: the plan checks, the apply pass leaves the check to the constraint',
        { mode: 'apply', preflight: true },
      ],
      ['rehearse with preflight', { mode: 'rehearse', preflight: true }],
      ['plan mode always checks', { mode: 'plan' }],
    ];
    for (const [what, options] of cases) {
      it(`${what}: the duplicate search runs once`, async () => {
        const db = await fresh(dialect);
        const driver = new RecordingDriver(db.driver);
        const r = await runWorkflow(addUnique, { ...db, driver } satisfies Database, { mode: 'apply', ...options });
        expect(r.status, r.error ?? '').toBe('succeeded');
        expect(driver.sql.filter(isDuplicateCheck)).toHaveLength(1);
      });
    }

    it('a preflight still refuses duplicates before anything runs', async () => {
      const db = await fresh(dialect);
      await db.setup("UPDATE contacts SET email = 'a@x' WHERE id = 2");
      const r = await runWorkflow(addUnique, db, { mode: 'apply', preflight: true });
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(/nothing was run/);
      expect(r.nodes.uniq!.error).toMatchObject({
        field: 'column_name',
        message: expect.stringMatching(
          /\[DF303\] cannot add the UNIQUE constraint: "contacts" holds duplicate values in "email": a@x \(2 times\)/,
        ),
      });
    });

    it('duplicates that appear between the preflight and the apply pass: the constraint refuses them, naming itself and the fix', async () => {
      const db = await fresh(dialect);
      const before = await userSchema(db);
      // The first statement that writes the table (the rebuild's new table on SQLite, the index on PostgreSQL).
      const at = dialect === 'sqlite' ? /^CREATE TABLE "new_contacts"/ : /^CREATE UNIQUE INDEX/;
      const driver = new RecordingDriver(db.driver, { at, before: "UPDATE contacts SET email = 'a@x' WHERE id = 2" });
      const r = await runWorkflow(addUnique, { ...db, driver }, { mode: 'apply', preflight: true });
      expect(r.status).toBe('failed');
      expect(r.nodes.uniq!.error).toMatchObject({
        field: 'column_name',
        code: expect.stringMatching(/^(23505|SQLITE_CONSTRAINT)/),
        message: expect.stringMatching(
          /^UNIQUE "contacts_email_key" on "email" of "contacts": the database refused the change because the data breaks it \(.+\); .*nothing was changed: remove the duplicate values, then run again$/,
        ),
      });
      expect(await userSchema(db)).toEqual(before);
      expect(
        Number(
          (await db.driver.query<{ n: number | string }>("SELECT count(*) AS n FROM contacts WHERE email = 'a@x'"))
            .rows[0]?.n,
        ),
      ).toBe(1);
    });
  });
}

describe('SchemaModificationNode on PostgreSQL: NOT VALID commits before VALIDATE', () => {
  /** `slow_ok(id)`: true after 5 ms, so validating 400 rows takes about 2 s. */
  async function slowTable(): Promise<Db> {
    const db = await createTestDatabase('postgres');
    open.push(db);
    await db.setup(`
      CREATE FUNCTION slow_ok(n integer) RETURNS boolean LANGUAGE sql AS 'SELECT pg_sleep(0.005) IS NOT NULL';
      CREATE TABLE t (id integer PRIMARY KEY, c text);
      INSERT INTO t (id, c) SELECT i, 'x' FROM generate_series(1, 400) AS i;`);
    return db;
  }

  it('other sessions read and write the table while VALIDATE scans it', { timeout: 30_000 }, async () => {
    const db = await slowTable();
    const other = await openDatabase(db.conn);
    try {
      const check = workflow([
        node('check', 'SchemaModificationNode', {
          table: 't',
          operation: 'add_constraint',
          constraint_type: 'check',
          constraint_name: 't_slow',
          expression: 'slow_ok(id)',
        }),
      ]);
      const run = runWorkflow(check, db, { mode: 'apply', preflight: true });
      const deadline = Date.now() + 20_000;
      let validating = false;
      while (!validating && Date.now() < deadline) {
        const { rows } = await other.driver.query(
          `SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'ALTER TABLE "t" VALIDATE CONSTRAINT%'`,
        );
        validating = rows.length > 0;
        if (!validating) await new Promise((r) => setTimeout(r, 20));
      }
      expect(validating).toBe(true);
      await other.driver.query(`SET lock_timeout = '500ms'`);
      await other.driver.query(`INSERT INTO t (id, c) VALUES (1000, 'during')`);
      expect((await other.driver.query(`SELECT c FROM t WHERE id = 1000`)).rows).toEqual([{ c: 'during' }]);
      const { rows: still } = await other.driver.query(
        `SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'ALTER TABLE "t" VALIDATE CONSTRAINT%'`,
      );
      expect(still, 'the insert ran while VALIDATE was still scanning').toHaveLength(1);
      const r = await run;
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(r.nodes.check!.sql.map((s) => [s.sql.split(' ').slice(3, 5).join(' '), s.commitAfter ?? false])).toEqual([
        ['ADD CONSTRAINT', true],
        ['VALIDATE CONSTRAINT', true],
      ]);
    } finally {
      await other.driver.close();
    }
  });

  it('rows that break NOT NULL between the preflight and VALIDATE: the committed CHECK is dropped again, nothing is left', async () => {
    const db = await createTestDatabase('postgres');
    open.push(db);
    await db.setup("CREATE TABLE t (id integer PRIMARY KEY, c text); INSERT INTO t VALUES (1, 'a'), (2, 'b');");
    const before = await userSchema(db);
    const driver = new RecordingDriver(db.driver, { at: /NOT VALID$/, before: 'UPDATE t SET c = NULL WHERE id = 2' });
    const notNull = workflow([
      node('nn', 'SchemaModificationNode', {
        table: 't',
        operation: 'add_constraint',
        constraint_type: 'not_null',
        column_name: 'c',
      }),
    ]);
    const r = await runWorkflow(notNull, { ...db, driver }, { mode: 'apply', preflight: true });
    expect(r.status).toBe('failed');
    expect(r.nodes.nn!.error).toMatchObject({
      field: 'column_name',
      code: '23514',
      message: expect.stringMatching(
        /^NOT NULL on "c" of "t": the database refused the change because the data breaks it \(.+\); its statements were rolled back, and any that had committed undone, so nothing was changed: backfill the NULLs/,
      ),
    });
    const steps = r.nodes.nn!.sql.map((s) => s.sql);
    expect(steps[0]).toMatch(/ADD CONSTRAINT "(\w+)" CHECK \("c" IS NOT NULL\) NOT VALID$/);
    expect(steps.slice(1)).toEqual([
      expect.stringMatching(/VALIDATE CONSTRAINT/),
      expect.stringMatching(/^ALTER TABLE "t" DROP CONSTRAINT "\w+"$/),
    ]);
    expect(r.nodes.nn!.sql[2]!.comment).toMatch(/^undo after the failure: not null on c, step 1/);
    expect(await userSchema(db)).toEqual(before);
  });
});
