import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/databases.ts';
import { diffSchemas } from '../../../../shared/diff.ts';
import {
  schemaModificationParams,
  type SchemaModificationParams,
} from '../../../../shared/nodes/schema-modification.ts';
import { findColumn, findTable, type Schema, type Table } from '../../../../shared/schema.ts';
import type { Plan } from '../../dialect.ts';
import { rowsOf, runPlan } from '../../../../test/sqlite-run-plan.ts';

let db: TestDatabase & { cleanup(): Promise<void> };

const SETUP = `
  CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email VARCHAR(255),
    age INT,
    team_id INTEGER REFERENCES teams (id) ON DELETE CASCADE,
    deprecated_field TEXT,
    CONSTRAINT age_ok CHECK (age >= 0)
  );
  CREATE INDEX users_email ON users (email);
  CREATE INDEX users_email_domain ON users (substr(email, instr(email, '@') + 1));
  CREATE VIEW team_users AS SELECT u.name, t.name AS team, team_id FROM users AS u JOIN teams t ON t.id = u.team_id WHERE u.name <> '';
  CREATE TRIGGER team_renamed AFTER UPDATE OF name ON teams BEGIN UPDATE users SET name = name WHERE team_id = new.id AND new.name <> old.name; END;
  CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, subtotal NUMERIC(10,2), tax NUMERIC(10,2), status TEXT);
  INSERT INTO teams (name) VALUES ('red'), ('blue');
  INSERT INTO users (name, email, age, team_id, deprecated_field) VALUES
    ('ann', 'ann@x.io', 30, 1, 'a'), ('bob', 'bob@x.io', NULL, 2, 'b'), ('cid', NULL, 41, 1, NULL);
  INSERT INTO orders (user_id, subtotal, tax, status) VALUES (1, 10, 1, 'new'), (2, 20, 2, 'new'), (9, 5, 0, NULL);
`;

beforeEach(async () => {
  db = await createTestDatabase('sqlite');
  await db.setup(SETUP);
});
afterEach(async () => {
  await db.cleanup();
});

async function planFor(raw: Record<string, unknown>): Promise<{ plan: Plan; before: Schema }> {
  const params: SchemaModificationParams = schemaModificationParams.parse(raw);
  const before = await db.dialect.introspect(db.driver);
  return { plan: await db.dialect.planSchemaChange(params, before, db.driver), before };
}

/** Plans, runs in one transaction, and checks the plan's `after` is what introspection now reads. */
async function applyOp(raw: Record<string, unknown>): Promise<{ plan: Plan; before: Schema; now: Schema }> {
  const { plan, before } = await planFor(raw);
  expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
  await runPlan(db, plan);
  const now = await db.dialect.introspect(db.driver);
  expect(diffSchemas(plan.after, now).changes).toEqual([]);
  return { plan, before, now };
}

const table = (s: Schema, name: string) => findTable(s, name) as Table;
const isRebuild = (plan: Plan) => plan.steps.some((s) => /^CREATE TABLE "new_/.test(s.sql));

describe('sqlite planSchemaChange: every operation, checked by introspection', () => {
  test('add_column nullable is one ALTER TABLE ADD COLUMN', async () => {
    const { plan, now } = await applyOp({
      table: 'users',
      operation: 'add_column',
      column_name: 'phone_number',
      column_type: 'varchar(20)',
      nullable: true,
    });
    expect(plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "users" ADD COLUMN "phone_number" VARCHAR(20)']);
    expect(plan.steps[0]?.reverse).toBe('ALTER TABLE "users" DROP COLUMN "phone_number"');
    expect(findColumn(table(now, 'users'), 'phone_number')).toEqual({
      name: 'phone_number',
      type: 'varchar(20)',
      nullable: true,
      default: null,
      primaryKey: false,
    });
  });

  test('add_column NOT NULL with a literal default fills existing rows', async () => {
    const { plan } = await applyOp({
      table: 'orders',
      operation: 'add_column',
      column_name: 'processing_status',
      column_type: 'varchar(50)',
      nullable: false,
      default_value: 'pending',
    });
    expect(isRebuild(plan)).toBe(false);
    expect((await rowsOf(db, 'orders')).map((r) => r.processing_status)).toEqual(['pending', 'pending', 'pending']);
  });

  test('add_column boolean default true is stored as 1; decimal keeps its declared name, jsonb is TEXT with a JSON check', async () => {
    await applyOp({
      table: 'orders',
      operation: 'add_column',
      column_name: 'is_active',
      column_type: 'boolean',
      nullable: false,
      default_value: true,
    });
    await applyOp({
      table: 'orders',
      operation: 'add_column',
      column_name: 'total_amount',
      column_type: 'decimal(10,2)',
    });
    const { now } = await applyOp({
      table: 'orders',
      operation: 'add_column',
      column_name: 'preferences',
      column_type: 'jsonb',
    });
    const orders = table(now, 'orders');
    expect(findColumn(orders, 'is_active')).toMatchObject({ type: 'boolean', default: '1', nullable: false });
    expect(findColumn(orders, 'total_amount')?.type).toBe('numeric(10,2)');
    expect(findColumn(orders, 'preferences')?.type).toBe('text');
    expect(orders.constraints.find((k) => k.columns.includes('preferences'))).toMatchObject({
      name: 'orders_preferences_check',
      kind: 'check',
      expression: 'json_valid("preferences")',
    });
    expect((await rowsOf(db, 'orders')).map((r) => r.is_active)).toEqual([1, 1, 1]);
  });

  test('add_column UNIQUE rebuilds the table and keeps every row', async () => {
    const { plan, now } = await applyOp({
      table: 'users',
      operation: 'add_column',
      column_name: 'handle',
      column_type: 'text',
      unique: true,
    });
    expect(isRebuild(plan)).toBe(true);
    expect(table(now, 'users').constraints.find((k) => k.kind === 'unique')?.columns).toEqual(['handle']);
    expect(await rowsOf(db, 'users')).toHaveLength(3);
  });

  test('add_column with an expression default on a table with rows rebuilds; every row gets the value', async () => {
    const { plan } = await applyOp({
      table: 'users',
      operation: 'add_column',
      column_name: 'created_at',
      column_type: 'timestamp',
      default_value: { sql: 'CURRENT_TIMESTAMP' },
    });
    expect(isRebuild(plan)).toBe(true);
    expect((await rowsOf(db, 'users')).every((r) => typeof r.created_at === 'string')).toBe(true);
  });

  test('drop_column of a plain column is ALTER TABLE DROP COLUMN, flagged destructive', async () => {
    const { plan, now } = await applyOp({ table: 'users', operation: 'drop_column', column_name: 'deprecated_field' });
    expect(plan.steps).toEqual([
      expect.objectContaining({ sql: 'ALTER TABLE "users" DROP COLUMN "deprecated_field"', destructive: true }),
    ]);
    expect(findColumn(table(now, 'users'), 'deprecated_field')).toBeUndefined();
  });

  test('drop_column of an indexed or checked column rebuilds without its index and check', async () => {
    const { plan, now } = await applyOp({ table: 'users', operation: 'drop_column', column_name: 'email' });
    expect(isRebuild(plan)).toBe(true);
    expect(plan.steps.some((s) => s.destructive)).toBe(true);
    expect(table(now, 'users').indexes.map((i) => i.name)).toEqual([]);
    const again = await applyOp({ table: 'users', operation: 'drop_column', column_name: 'age' });
    expect(isRebuild(again.plan)).toBe(true);
    expect(table(again.now, 'users').constraints.map((k) => k.name)).toEqual(['users_pkey', 'users_team_id_fkey']);
    expect(await rowsOf(db, 'users')).toHaveLength(3);
  });

  test('drop_column of a missing column plans nothing: it is already applied', async () => {
    const { plan } = await planFor({ table: 'users', operation: 'drop_column', column_name: 'nope', if_exists: true });
    expect(plan.steps).toEqual([]);
    expect(plan.problems).toEqual([]);
    expect(plan.alreadyApplied).toMatch(
      /^table "users" has no column "nope": it is dropped already \(its columns: id, /,
    );
  });

  test('rename_column rewrites its index, CHECK and the foreign keys that reference it', async () => {
    await db.setup('CREATE TABLE memberships (team_name TEXT REFERENCES teams (name))');
    await applyOp({ table: 'users', operation: 'rename_column', column_name: 'age', new_name: 'years' });
    const { plan, now } = await applyOp({
      table: 'teams',
      operation: 'rename_column',
      column_name: 'name',
      new_name: 'title',
    });
    expect(plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "teams" RENAME COLUMN "name" TO "title"']);
    expect(table(now, 'memberships').constraints[0]?.references?.columns).toEqual(['title']);
    expect(table(now, 'users').constraints.find((k) => k.name === 'age_ok')?.expression).toBe('"years" >= 0');
  });

  test('rename_table renames its automatic indexes and the references to it', async () => {
    const { plan, now } = await applyOp({ table: 'teams', operation: 'rename_table', new_name: 'squads' });
    expect(plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "teams" RENAME TO "squads"']);
    expect(table(now, 'squads').indexes.map((i) => i.name)).toEqual(['sqlite_autoindex_squads_1']);
    expect(table(now, 'squads').constraints.map((k) => k.name)).toEqual(['squads_pkey', 'squads_name_key']);
    expect(table(now, 'users').constraints.find((k) => k.kind === 'foreign_key')?.references?.table).toBe('squads');
  });

  test('alter_column_type rebuilds with the new declared type; using converts the values', async () => {
    const { plan, now } = await applyOp({
      table: 'orders',
      operation: 'alter_column_type',
      column_name: 'status',
      column_type: 'varchar(20)',
      using: 'upper(status)',
    });
    expect(isRebuild(plan)).toBe(true);
    expect(findColumn(table(now, 'orders'), 'status')?.type).toBe('varchar(20)');
    expect((await rowsOf(db, 'orders')).map((r) => r.status)).toEqual(['NEW', 'NEW', null]);
  });

  test('set_default and drop_default rebuild and keep the data', async () => {
    const { now } = await applyOp({
      table: 'orders',
      operation: 'set_default',
      column_name: 'status',
      default_value: 'new',
    });
    expect(findColumn(table(now, 'orders'), 'status')?.default).toBe("'new'");
    await db.driver.query('INSERT INTO orders (user_id) VALUES (1)');
    expect((await rowsOf(db, 'orders')).map((r) => r.status)).toEqual(['new', 'new', null, 'new']);
    const dropped = await applyOp({ table: 'orders', operation: 'drop_default', column_name: 'status' });
    expect(findColumn(table(dropped.now, 'orders'), 'status')?.default).toBeNull();
  });

  test('add_constraint not_null uses ALTER COLUMN SET NOT NULL on SQLite 3.53+', async () => {
    const { plan, now } = await applyOp({
      table: 'users',
      operation: 'add_constraint',
      constraint_type: 'not_null',
      column_name: 'team_id',
    });
    expect(plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "users" ALTER COLUMN "team_id" SET NOT NULL']);
    expect(plan.steps[0]?.reverse).toBe('ALTER TABLE "users" ALTER COLUMN "team_id" DROP NOT NULL');
    expect(findColumn(table(now, 'users'), 'team_id')?.nullable).toBe(false);
  });

  test('add_constraint check uses ALTER TABLE ADD CONSTRAINT; drop_constraint of a named check uses DROP CONSTRAINT', async () => {
    const { plan, now } = await applyOp({
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'check',
      expression: 'subtotal >= tax',
      constraint_name: 'tax_le_subtotal',
    });
    expect(plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "orders" ADD CONSTRAINT "tax_le_subtotal" CHECK (subtotal >= tax)',
    ]);
    expect(table(now, 'orders').constraints.find((k) => k.name === 'tax_le_subtotal')).toMatchObject({
      kind: 'check',
      columns: ['subtotal', 'tax'],
    });
    const dropped = await applyOp({
      table: 'orders',
      operation: 'drop_constraint',
      constraint_name: 'tax_le_subtotal',
    });
    expect(dropped.plan.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "orders" DROP CONSTRAINT "tax_le_subtotal"']);
  });

  test('add_constraint check that is NULL on some rows rebuilds (ALTER TABLE ADD CONSTRAINT would reject those rows)', async () => {
    const { plan, now } = await applyOp({
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'check',
      expression: "status <> ''",
      constraint_name: 'status_set',
    });
    expect(isRebuild(plan)).toBe(true);
    expect(table(now, 'orders').constraints.find((k) => k.name === 'status_set')?.expression).toBe("status <> ''");
    expect((await rowsOf(db, 'orders')).map((r) => r.status)).toEqual(['new', 'new', null]);
  });

  test('add_constraint check without a name gets the default name', async () => {
    const { now } = await applyOp({
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'check',
      expression: 'tax >= 0',
      column_name: 'tax',
    });
    expect(table(now, 'orders').constraints.map((k) => k.name)).toContain('orders_tax_check');
  });

  test('add_constraint unique, foreign_key and primary_key rebuild; drop_constraint of them rebuilds back', async () => {
    await db.driver.query('DELETE FROM orders WHERE user_id = 9');
    const u = await applyOp({
      table: 'users',
      operation: 'add_constraint',
      constraint_type: 'unique',
      column_name: 'email',
    });
    expect(table(u.now, 'users').constraints.find((k) => k.kind === 'unique')).toMatchObject({
      name: 'users_email_key',
      columns: ['email'],
    });
    const fk = await applyOp({
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'foreign_key',
      column_name: 'user_id',
      references: { table: 'users', column: 'id', on_delete: 'cascade' },
    });
    expect(table(fk.now, 'orders').constraints.find((k) => k.kind === 'foreign_key')).toMatchObject({
      name: 'orders_user_id_fkey',
      references: { table: 'users', columns: ['id'], onDelete: 'cascade' },
    });
    await db.setup("CREATE TABLE tags (label TEXT NOT NULL, n INT); INSERT INTO tags VALUES ('a', 1), ('b', 2);");
    const pk = await applyOp({
      table: 'tags',
      operation: 'add_constraint',
      constraint_type: 'primary_key',
      columns: ['label'],
    });
    expect(table(pk.now, 'tags').columns[0]).toMatchObject({ name: 'label', primaryKey: true });
    for (const [t, name] of [
      ['orders', 'orders_user_id_fkey'],
      ['users', 'users_email_key'],
      ['tags', 'tags_pkey'],
    ] as const) {
      const d = await applyOp({ table: t, operation: 'drop_constraint', constraint_name: name });
      expect(isRebuild(d.plan)).toBe(true);
      expect(table(d.now, t).constraints.map((k) => k.name)).not.toContain(name);
    }
    expect(await rowsOf(db, 'tags')).toEqual([
      { label: 'a', n: 1 },
      { label: 'b', n: 2 },
    ]);
  });

  test('create_index (unique, partial) and drop_index', async () => {
    const { plan, now } = await applyOp({
      table: 'users',
      operation: 'create_index',
      index_name: 'users_name_live',
      columns: ['name'],
      unique: true,
      where: 'age IS NOT NULL',
    });
    expect(plan.steps.map((s) => s.sql)).toEqual([
      'CREATE UNIQUE INDEX "users_name_live" ON "users" ("name") WHERE age IS NOT NULL',
    ]);
    expect(table(now, 'users').indexes.find((i) => i.name === 'users_name_live')).toMatchObject({
      unique: true,
      where: 'age IS NOT NULL',
      columns: ['name'],
    });
    const d = await applyOp({ table: 'users', operation: 'drop_index', index_name: 'users_name_live' });
    expect(d.plan.steps).toEqual([expect.objectContaining({ sql: 'DROP INDEX "users_name_live"', destructive: true })]);
    const named = await applyOp({ table: 'orders', operation: 'create_index', columns: ['user_id', 'status'] });
    expect(table(named.now, 'orders').indexes.map((i) => i.name)).toEqual(['idx_orders_user_id_status']);
  });

  test('create_table with a primary key, defaults and a unique column; drop_table', async () => {
    const { plan, now } = await applyOp({
      table: 'contacts',
      operation: 'create_table',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'email', type: 'varchar(255)', nullable: false, unique: true },
        { name: 'active', type: 'boolean', nullable: false, default_value: false },
        { name: 'created_at', type: 'timestamptz', default_value: { sql: 'CURRENT_TIMESTAMP' } },
        { name: 'data', type: 'bytea' },
      ],
    });
    expect(plan.steps[0]?.reverse).toBe('DROP TABLE "contacts"');
    const contacts = table(now, 'contacts');
    expect(contacts.columns.map((c) => [c.name, c.type, c.nullable, c.default])).toEqual([
      ['id', 'integer', false, null],
      ['email', 'varchar(255)', false, null],
      ['active', 'boolean', false, '0'],
      ['created_at', 'timestamptz', true, 'CURRENT_TIMESTAMP'],
      ['data', 'blob', true, null],
    ]);
    await db.driver.query("INSERT INTO contacts (email) VALUES ('a@b')");
    expect(await rowsOf(db, 'contacts')).toEqual([
      { id: 1, email: 'a@b', active: 0, created_at: expect.any(String), data: null },
    ]);
    const d = await applyOp({ table: 'contacts', operation: 'drop_table' });
    expect(d.plan.steps).toEqual([expect.objectContaining({ sql: 'DROP TABLE "contacts"', destructive: true })]);
    expect(findTable(d.now, 'contacts')).toBeUndefined();
  });

  test('drop_table of a missing table plans nothing: it is already applied', async () => {
    const { plan } = await planFor({ table: 'ghost', operation: 'drop_table', if_exists: true });
    expect(plan.steps).toEqual([]);
    expect(plan.problems).toEqual([]);
    expect(plan.alreadyApplied).toBe('there is no table "ghost": it is dropped already');
  });

  test('a plan on a schema planned by an earlier node (table not yet in the database) skips the data checks', async () => {
    const params = schemaModificationParams.parse({
      table: 'notes',
      operation: 'create_table',
      columns: [{ name: 'id', type: 'integer', primary_key: true }],
    });
    const live = await db.dialect.introspect(db.driver);
    const first = await db.dialect.planSchemaChange(params, live, db.driver);
    const second = await db.dialect.planSchemaChange(
      schemaModificationParams.parse({
        table: 'notes',
        operation: 'add_column',
        column_name: 'body',
        column_type: 'text',
        nullable: false,
      }),
      first.after,
      db.driver,
    );
    expect(second.problems).toEqual([]);
    expect(second.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "notes" ADD COLUMN "body" TEXT NOT NULL']);
    expect(findColumn(table(second.after, 'notes'), 'body')).toMatchObject({ type: 'text', nullable: false });
  });
});
