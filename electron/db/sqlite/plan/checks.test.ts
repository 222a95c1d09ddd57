import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/databases.ts';
import {
  schemaModificationParams,
  type SchemaModificationParams,
} from '../../../../shared/nodes/schema-modification.ts';
import { isConstraintViolation, type Plan } from '../../dialect.ts';
import type { PlanProblem } from '../../plan-problem.ts';
import type { PlanCode } from '../../../../shared/plan-codes.ts';
import { DatabaseError } from '../../driver.ts';

let db: TestDatabase & { cleanup(): Promise<void> };

beforeEach(async () => {
  db = await createTestDatabase('sqlite');
  await db.setup(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, status TEXT, age INT);
    CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT, company TEXT);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, total NUMERIC(10,2));
    CREATE VIEW user_emails AS SELECT id, email FROM users;
    CREATE TRIGGER users_age AFTER UPDATE ON users BEGIN UPDATE users SET status = 'aged' WHERE id = new.id AND new.age > 90; END;
    INSERT INTO users (name, email, status, age) VALUES ('ann', 'a@x', 'ok', 30), ('bob', 'a@x', NULL, NULL), ('cid', 'c@x', 'ok', 'forty');
    INSERT INTO contacts (name, company) VALUES ('ann', 'acme'), ('bob', 'initech');
    INSERT INTO orders (user_id, total) VALUES (1, 10), (2, 20), (99, 30);
  `);
});
afterEach(async () => {
  await db.cleanup();
});

async function planFor(raw: Record<string, unknown>): Promise<Plan> {
  const schema = await db.dialect.introspect(db.driver);
  return db.dialect.planSchemaChange(schemaModificationParams.parse(raw), schema, db.driver);
}

/** Plans params the node's schema would already refuse: the planner must refuse them on its own. */
async function planUnchecked(raw: Record<string, unknown>): Promise<Plan> {
  expect(schemaModificationParams.safeParse(raw).success).toBe(false);
  const schema = await db.dialect.introspect(db.driver);
  return db.dialect.planSchemaChange(raw as SchemaModificationParams, schema, db.driver);
}

/** The plan has exactly one error, of rule `code` on `field`, whose message matches, and no steps. */
function expectError(plan: Plan, code: PlanCode, field: string, message: RegExp): void {
  const errors = plan.problems.filter((p) => p.severity === 'error');
  expect(errors).toEqual([
    { severity: 'error', code, field, message: expect.stringMatching(message) } satisfies PlanProblem,
  ]);
  expect(plan.steps).toEqual([]);
}

describe('sqlite plan-time checks: a change that cannot succeed is an error before anything runs', () => {
  test("the guide's contacts example: email varchar(255) NOT NULL UNIQUE on a table with rows", async () => {
    const plan = await planFor({
      table: 'contacts',
      operation: 'add_column',
      column_name: 'email',
      column_type: 'varchar(255)',
      nullable: false,
      unique: true,
    });
    expectError(
      plan,
      'DF301',
      'nullable',
      /cannot add NOT NULL column "email" without a default: table "contacts" has rows/,
    );
    expect((await db.driver.query('SELECT COUNT(*) AS n FROM pragma_table_info(?)', ['contacts'])).rows).toEqual([
      { n: 3 },
    ]);
  });

  test('NOT NULL without a default is fine on an empty table', async () => {
    await db.setup('DELETE FROM contacts');
    const plan = await planFor({
      table: 'contacts',
      operation: 'add_column',
      column_name: 'email',
      column_type: 'varchar(255)',
      nullable: false,
    });
    expect(plan.problems).toEqual([]);
    expect(plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "contacts" ADD COLUMN "email" VARCHAR(255) NOT NULL']);
  });

  test('UNIQUE with a default on several rows would give them all the same value', async () => {
    const plan = await planFor({
      table: 'contacts',
      operation: 'add_column',
      column_name: 'code',
      column_type: 'text',
      unique: true,
      default_value: 'x',
    });
    expectError(plan, 'DF302', 'unique', /would get the same value/);
  });

  test('unique on a column holding duplicates (constraint and index)', async () => {
    expectError(
      await planFor({ table: 'users', operation: 'add_constraint', constraint_type: 'unique', column_name: 'email' }),
      'DF303',
      'column_name',
      /duplicate values in "email": a@x \(2 times\)/,
    );
    expectError(
      await planFor({ table: 'users', operation: 'create_index', columns: ['email'], unique: true }),
      'DF303',
      'columns',
      /duplicate values/,
    );
    const partial = await planFor({
      table: 'users',
      operation: 'create_index',
      columns: ['email'],
      unique: true,
      where: 'age IS NOT NULL',
    });
    expect(partial.problems).toEqual([]);
  });

  test('not_null on a column holding NULLs; primary key over NULLs', async () => {
    expectError(
      await planFor({
        table: 'users',
        operation: 'add_constraint',
        constraint_type: 'not_null',
        column_name: 'status',
      }),
      'DF304',
      'column_name',
      /1 row\(s\) of "users" hold NULL in it\. Backfill them first/,
    );
    await db.setup(
      "CREATE TABLE tags (label TEXT, n INTEGER); INSERT INTO tags VALUES ('a', 1), (NULL, 2), ('b', 3.5)",
    );
    expectError(
      await planFor({ table: 'tags', operation: 'add_constraint', constraint_type: 'primary_key', columns: ['label'] }),
      'DF304',
      'columns',
      /cannot make "label" part of the primary key: 1 row\(s\) of "tags" hold NULL/,
    );
    expectError(
      await planFor({ table: 'tags', operation: 'add_constraint', constraint_type: 'primary_key', columns: ['n'] }),
      'DF307',
      'columns',
      /becomes the INTEGER PRIMARY KEY/,
    );
    expectError(
      await planFor({ table: 'users', operation: 'add_constraint', constraint_type: 'primary_key', columns: ['name'] }),
      'DF111',
      'constraint_type',
      /already has a primary key/,
    );
  });

  test('a foreign key with orphan rows, or onto a column that is no key', async () => {
    expectError(
      await planFor({
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'user_id',
        references: { table: 'users', column: 'id' },
      }),
      'DF305',
      'references',
      /1 row\(s\) of "orders" have a "user_id" with no match in "users"."id" \(e\.g\. 99\)/,
    );
    expectError(
      await planFor({
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'user_id',
        references: { table: 'users', column: 'name' },
      }),
      'DF117',
      'references',
      /is not a primary key or UNIQUE column/,
    );
    expectError(
      await planFor({
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'user_id',
        references: { table: 'ghosts', column: 'id' },
      }),
      'DF115',
      'references',
      /"ghosts" does not exist/,
    );
  });

  test('a CHECK that existing rows violate, or that names no column of the table', async () => {
    expectError(
      await planFor({
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'check',
        expression: 'total < 25',
      }),
      'DF306',
      'expression',
      /cannot add CHECK \(total < 25\): 1 row\(s\) of "orders" violate it/,
    );
    expectError(
      await planFor({ table: 'orders', operation: 'add_constraint', constraint_type: 'check', expression: 'nope > 0' }),
      'DF206',
      'expression',
      /no such column: nope/,
    );
  });

  test('dropping a column a view or a trigger uses names them', async () => {
    expectError(
      await planFor({ table: 'users', operation: 'drop_column', column_name: 'email' }),
      'DF401',
      'column_name',
      /view "user_emails" uses it/,
    );
    expectError(
      await planFor({ table: 'users', operation: 'drop_column', column_name: 'age' }),
      'DF401',
      'column_name',
      /trigger "users_age" uses it/,
    );
    expectError(
      await planFor({ table: 'users', operation: 'drop_table' }),
      'DF401',
      'table',
      /view "user_emails" uses it/,
    );
  });

  test('a type change whose values would not convert is a warning; the plan still runs', async () => {
    const plan = await planFor({
      table: 'users',
      operation: 'alter_column_type',
      column_name: 'age',
      column_type: 'integer',
    });
    expect(plan.problems).toEqual([
      {
        severity: 'warning',
        code: 'DF209',
        field: 'column_type',
        message: expect.stringMatching(/1 row\(s\) of "users" hold a value of "age" that does not fit integer/),
      },
    ]);
    expect(plan.steps.length).toBeGreaterThan(0);
    const clean = await planFor({
      table: 'orders',
      operation: 'alter_column_type',
      column_name: 'total',
      column_type: 'real',
    });
    expect(clean.problems).toEqual([]);
  });

  test('missing table, missing column, existing column, taken names', async () => {
    expectError(
      await planFor({ table: 'ghosts', operation: 'add_column', column_name: 'x', column_type: 'text' }),
      'DF101',
      'table',
      /table "ghosts" does not exist/,
    );
    expectError(
      await planFor({ table: 'users', operation: 'rename_column', column_name: 'ghost', new_name: 'x' }),
      'DF102',
      'column_name',
      /column "ghost" does not exist/,
    );
    expectError(
      await planFor({ table: 'users', operation: 'add_column', column_name: 'Email', column_type: 'text' }),
      'DF103',
      'column_name',
      /already exists/,
    );
    expectError(
      await planFor({ table: 'users', operation: 'add_column', column_name: 'email', column_type: 'integer' }),
      'DF120',
      'column_name',
      /column "email" of "users" exists already as text NULL, but this node adds it as integer NULL/,
    );
    expectError(
      await planFor({ table: 'users', operation: 'rename_column', column_name: 'name', new_name: 'status' }),
      'DF103',
      'new_name',
      /already exists/,
    );
    expectError(
      await planFor({ table: 'users', operation: 'rename_table', new_name: 'orders' }),
      'DF104',
      'new_name',
      /already used by/,
    );
    expectError(
      await planFor({ table: 'orders', operation: 'create_table', columns: [{ name: 'id', type: 'integer' }] }),
      'DF120',
      'columns',
      /^table "orders" exists already as \(id integer NOT NULL IDENTITY PRIMARY KEY, user_id integer NULL, total numeric\(10,2\) NULL\), but this node creates it as \(id integer NULL\)/,
    );
    expectError(
      await planFor({ table: 'user_emails', operation: 'create_table', columns: [{ name: 'id', type: 'integer' }] }),
      'DF104',
      'table',
      /already used by/,
    );
    expect(
      (await planFor({ table: 'users', operation: 'drop_constraint', constraint_name: 'nope' })).alreadyApplied,
    ).toBe('table "users" has no constraint "nope": it is dropped already (its constraints: users_pkey)');
  });

  test('names SQLite reserves, CONCURRENTLY, and a table name in the wrong case', async () => {
    expectError(
      await planFor({ table: 'sqlite_notes', operation: 'create_table', columns: [{ name: 'id', type: 'integer' }] }),
      'DF105',
      'table',
      /reserved by the database/,
    );
    expectError(
      await planFor({ table: 'users', operation: 'create_index', index_name: 'sqlite_i', columns: ['name'] }),
      'DF105',
      'index_name',
      /reserved by the database/,
    );
    expectError(
      await planFor({ table: 'Users', operation: 'drop_column', column_name: 'age' }),
      'DF101',
      'table',
      /did you mean "users"\?/,
    );
    const plan = await planFor({ table: 'users', operation: 'create_index', columns: ['name'], concurrently: true });
    expect(plan.problems).toEqual([
      {
        severity: 'warning',
        code: 'DF601',
        field: 'concurrently',
        message: expect.stringMatching(/SQLite has no CONCURRENTLY/),
      },
    ]);
    expect(plan.steps.map((s) => s.sql)).toEqual(['CREATE INDEX "idx_users_name" ON "users" ("name")']);
  });

  test('defaults are checked against the column type', async () => {
    expectError(
      await planFor({
        table: 'orders',
        operation: 'add_column',
        column_name: 'processing_status',
        column_type: 'integer',
        default_value: 'pending',
      }),
      'DF203',
      'default_value',
      /default_value "pending" does not fit integer/,
    );
    expectError(
      await planFor({ table: 'orders', operation: 'set_default', column_name: 'total', default_value: true }),
      'DF203',
      'default_value',
      /does not fit numeric\(10,2\)/,
    );
    expectError(
      await planFor({
        table: 'orders',
        operation: 'add_column',
        column_name: 'due',
        column_type: 'date',
        default_value: 'tomorrow',
      }),
      'DF203',
      'default_value',
      /date string in ISO form/,
    );
    expectError(
      await planFor({
        table: 'orders',
        operation: 'add_column',
        column_name: 'code',
        column_type: 'varchar(2)',
        default_value: 'abc',
      }),
      'DF203',
      'default_value',
      /at most 2 characters/,
    );
    const ok = await planFor({
      table: 'orders',
      operation: 'add_column',
      column_name: 'due',
      column_type: 'date',
      default_value: '2024-01-31',
    });
    expect(ok.problems).toEqual([]);
    expect(ok.steps.map((s) => s.sql)).toEqual([`ALTER TABLE "orders" ADD COLUMN "due" DATE DEFAULT '2024-01-31'`]);
  });

  test('arrays and unknown types are errors on column_type', async () => {
    expectError(
      await planFor({ table: 'orders', operation: 'add_column', column_name: 'tags', column_type: 'text[]' }),
      'DF201',
      'column_type',
      /SQLite has no array column types/,
    );
    expectError(
      await planUnchecked({ table: 'orders', operation: 'add_column', column_name: 'x', column_type: 'money' }),
      'DF201',
      'column_type',
      /unknown type name "money"/,
    );
    expectError(
      await planUnchecked({
        table: 'notes',
        operation: 'create_table',
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'x', type: 'geometry' },
        ],
      }),
      'DF201',
      'columns[1].type',
      /unknown type name "geometry"/,
    );
  });

  test('destructive steps are flagged, additive ones are not', async () => {
    const drop = await planFor({ table: 'users', operation: 'drop_column', column_name: 'name' });
    expect(drop.steps.every((s) => s.destructive)).toBe(true);
    const add = await planFor({ table: 'users', operation: 'add_column', column_name: 'phone', column_type: 'text' });
    expect(add.steps.some((s) => s.destructive)).toBe(false);
  });
});

describe('sqlite planner: injection attempts give problems and never reach SQL', () => {
  const attempts: [string, Record<string, unknown>, string, boolean][] = [
    [
      'column_type',
      { table: 'users', operation: 'add_column', column_name: 'phone', column_type: 'varchar(20); DROP TABLE users' },
      'column_type',
      false,
    ],
    [
      'default {sql}',
      {
        table: 'users',
        operation: 'add_column',
        column_name: 'n',
        column_type: 'integer',
        default_value: { sql: '1); DROP TABLE users; --' },
      },
      'default_value',
      true,
    ],
    [
      'check expression',
      {
        table: 'users',
        operation: 'add_constraint',
        constraint_type: 'check',
        expression: 'age > 0); DROP TABLE users; --',
      },
      'expression',
      true,
    ],
    [
      'index where',
      { table: 'users', operation: 'create_index', columns: ['name'], where: 'age > 0; DELETE FROM users' },
      'where',
      true,
    ],
    [
      'using',
      {
        table: 'users',
        operation: 'alter_column_type',
        column_name: 'age',
        column_type: 'integer',
        using: '(SELECT 1)',
      },
      'using',
      true,
    ],
    [
      'create_table type',
      { table: 'notes', operation: 'create_table', columns: [{ name: 'id', type: 'integer) ; DROP TABLE users; --' }] },
      'columns[0].type',
      false,
    ],
  ];
  for (const [what, raw, field, schemaAccepts] of attempts) {
    test(what, async () => {
      const plan = schemaAccepts ? await planFor(raw) : await planUnchecked(raw);
      expect(plan.steps).toEqual([]);
      expect(plan.problems.filter((p) => p.severity === 'error').map((p) => p.field)).toEqual([field]);
      expect(JSON.stringify(plan.after)).not.toMatch(/DROP TABLE|DELETE FROM/);
      expect((await db.driver.query('SELECT COUNT(*) AS n FROM users')).rows).toEqual([{ n: 3 }]);
    });
  }

  test('a quote in a literal default is escaped', async () => {
    const plan = await planFor({
      table: 'users',
      operation: 'add_column',
      column_name: 'motto',
      column_type: 'text',
      default_value: "it's'); DROP TABLE users; --",
    });
    expect(plan.steps.map((s) => s.sql)).toEqual([
      `ALTER TABLE "users" ADD COLUMN "motto" TEXT DEFAULT 'it''s''); DROP TABLE users; --'`,
    ]);
  });
});

describe('sqlite planner with probeData off (the pass after a preflight plan)', () => {
  /** Runs the steps in one transaction as the engine does; rolls back and rethrows on failure. */
  async function runAtomically(plan: Plan): Promise<void> {
    await db.driver.query('BEGIN IMMEDIATE');
    try {
      for (const s of plan.steps) await db.dialect.executeStep(db.driver, s);
      await db.driver.query('COMMIT');
    } catch (e) {
      await db.driver.query('ROLLBACK');
      throw e;
    }
  }

  const enforced: [string, Record<string, unknown>, RegExp][] = [
    [
      'unique constraint over duplicates',
      { table: 'users', operation: 'add_constraint', constraint_type: 'unique', column_name: 'email' },
      /UNIQUE constraint failed/,
    ],
    [
      'unique index over duplicates',
      { table: 'users', operation: 'create_index', columns: ['email'], unique: true },
      /UNIQUE constraint failed/,
    ],
    [
      'not_null over NULLs',
      { table: 'users', operation: 'add_constraint', constraint_type: 'not_null', column_name: 'status' },
      /constraint failed/,
    ],
    [
      'foreign key over orphans',
      {
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'user_id',
        references: { table: 'users', column: 'id' },
      },
      /foreign key check failed: 1 row\(s\) of "orders"/,
    ],
  ];
  for (const [what, raw, refusal] of enforced) {
    test(`${what}: no plan-time check, and the statements refuse the data, changing nothing`, async () => {
      const params = schemaModificationParams.parse(raw);
      const schema = await db.dialect.introspect(db.driver);
      expect(
        (await db.dialect.planSchemaChange(params, schema, db.driver)).problems.filter((p) => p.severity === 'error'),
      ).toHaveLength(1);
      const plan = await db.dialect.planSchemaChange(params, schema, db.driver, { probeData: false });
      expect(plan.problems).toEqual([]);
      expect(plan.steps.length).toBeGreaterThan(0);
      const failure = await runAtomically(plan).then(
        () => null,
        (e: unknown) => e as DatabaseError,
      );
      expect(failure).toBeInstanceOf(DatabaseError);
      expect(failure?.message).toMatch(refusal);
      expect(isConstraintViolation(failure?.code)).toBe(true);
      expect(await db.dialect.introspect(db.driver)).toEqual(schema);
    });
  }

  test('keeps the checks no statement would make: a NOT NULL column without default on rows, a CHECK over violating rows', async () => {
    const schema = await db.dialect.introspect(db.driver);
    const plan = (raw: Record<string, unknown>) =>
      db.dialect.planSchemaChange(schemaModificationParams.parse(raw), schema, db.driver, { probeData: false });
    expectError(
      await plan({
        table: 'contacts',
        operation: 'add_column',
        column_name: 'email',
        column_type: 'text',
        nullable: false,
      }),
      'DF301',
      'nullable',
      /has rows/,
    );
    expectError(
      await plan({ table: 'orders', operation: 'add_constraint', constraint_type: 'check', expression: 'total < 25' }),
      'DF306',
      'expression',
      /violate it; fix them first/,
    );
  });
});
