import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import type { Database } from '../../db/connect.ts';
import { runWorkflow, type RunOptions } from '../run.ts';
import { node, workflow } from '../test-workflows.ts';
import { RecordingDriver } from '../../../test/recording-driver.ts';

type Db = TestDatabase & { cleanup(): Promise<void> };
const open: Db[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.cleanup();
});


async function fresh(dialect: (typeof DIALECTS)[number]): Promise<Db> {
  const db = await createTestDatabase(dialect);
  open.push(db);
  await db.setup("CREATE TABLE contacts (id integer PRIMARY KEY, email text); INSERT INTO contacts (id, email) VALUES (1, 'a@x'), (2, 'b@x'), (3, NULL);");
  return db;
}

const addUnique = workflow([node('uniq', 'SchemaModificationNode', { table: 'contacts', operation: 'add_constraint', constraint_type: 'unique', column_name: 'email', constraint_name: 'contacts_email_key' })]);
const isDuplicateCheck = (sql: string) => /GROUP BY .* HAVING count\(\*\) > 1/i.test(sql);

for (const dialect of DIALECTS) {
  describe(`SchemaModificationNode data checks and the preflight (${dialect})`, () => {
    const cases: [string, Partial<RunOptions>][] = [
      ['apply without preflight: the apply pass checks', { mode: 'apply' }],
      ['apply with preflight: the plan checks, the apply pass leaves the check to the constraint', { mode: 'apply', preflight: true }],
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
      expect(r.nodes.uniq!.error).toMatchObject({ field: 'column_name', message: expect.stringMatching(/duplicate|appears 2 times/) });
    });

    it('duplicates that appear between the preflight and the apply pass: the constraint refuses them, naming itself and the fix', async () => {
      const db = await fresh(dialect);
      const before = await db.dialect.introspect(db.driver);
      // The first statement that writes the table (the rebuild's new table on SQLite, the index on PostgreSQL).
      const at = dialect === 'sqlite' ? /^CREATE TABLE "new_contacts"/ : /^CREATE UNIQUE INDEX/;
      const driver = new RecordingDriver(db.driver, { at, before: "UPDATE contacts SET email = 'a@x' WHERE id = 2" });
      const r = await runWorkflow(addUnique, { ...db, driver }, { mode: 'apply', preflight: true });
      expect(r.status).toBe('failed');
      expect(r.nodes.uniq!.error).toMatchObject({
        field: 'column_name',
        code: expect.stringMatching(/^(23505|SQLITE_CONSTRAINT)/),
        message: expect.stringMatching(/^UNIQUE "contacts_email_key" on "email" of "contacts": the database refused the change because the data breaks it \(.+\); .*nothing was changed: remove the duplicate values, then run again$/),
      });
      expect(await db.dialect.introspect(db.driver)).toEqual(before);
      expect(Number((await db.driver.query<{ n: number | string }>("SELECT count(*) AS n FROM contacts WHERE email = 'a@x'")).rows[0]?.n)).toBe(1);
    });
  });
}
