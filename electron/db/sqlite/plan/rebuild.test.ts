import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/databases.ts';
import { diffSchemas } from '../../../../shared/diff.ts';
import { schemaModificationParams } from '../../../../shared/nodes/schema-modification.ts';
import { findTable, type Schema, type Table } from '../../../../shared/schema.ts';
import type { Dialect } from '../../dialect.ts';
import { DatabaseError } from '../../driver.ts';
import type { SqliteDriver } from '../driver.ts';
import { sqliteDialect } from '../index.ts';
import { rowsOf, runPlan } from '../../../../test/sqlite-run-plan.ts';

let db: TestDatabase & { cleanup(): Promise<void> };

/**
 * `users` has an index, a trigger, a view, a foreign key to `teams` and one from `orders`; a view
 * and a trigger on other tables read it; AUTOINCREMENT's counter is ahead of the largest id.
 */
const FIXTURE = `
  CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL COLLATE NOCASE,
    email TEXT,
    score REAL DEFAULT 0,
    team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL ON UPDATE CASCADE,
    note TEXT,
    legacy TEXT CONSTRAINT legacy_set CHECK (legacy IS NULL OR legacy <> '')
  );
  CREATE INDEX users_email ON users (email) WHERE email IS NOT NULL;
  CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, total REAL);
  CREATE TABLE audit (user_id INTEGER, what TEXT);
  CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN INSERT INTO audit VALUES (new.id, 'insert'); END;
  CREATE VIEW user_names AS SELECT id, name FROM users;
  CREATE VIEW order_owners AS SELECT o.id AS order_id, u.name FROM orders o JOIN users u ON u.id = o.user_id;
  CREATE VIEW big_owners AS SELECT name FROM order_owners;
  CREATE TRIGGER teams_gone AFTER DELETE ON teams BEGIN UPDATE users SET note = 'team gone', team_id = NULL WHERE team_id = old.id; END;
  INSERT INTO teams (id, name) VALUES (1, 'red'), (2, 'blue');
  INSERT INTO users (name, email, score, team_id, note) VALUES
    ('Ann', 'ann@x.io', 1.5, 1, 'x'), ('Bob', NULL, 2, 2, NULL), ('Cid', 'cid@x.io', NULL, 1, 'it''s'), ('Dee', 'dee@x.io', 4, NULL, 'tmp');
  DELETE FROM users WHERE name = 'Dee';
  INSERT INTO orders (user_id, total) VALUES (1, 10), (2, 20), (3, 30);
  DELETE FROM audit;
`;

beforeEach(async () => {
  db = await createTestDatabase('sqlite');
  await db.setup(FIXTURE);
});
afterEach(async () => {
  await db.cleanup();
});

async function rebuild(
  raw: Record<string, unknown>,
  dialect: Dialect = db.dialect,
): Promise<{ before: Schema; now: Schema }> {
  const before = await dialect.introspect(db.driver);
  const plan = await dialect.planSchemaChange(schemaModificationParams.parse(raw), before, db.driver);
  expect(plan.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(plan.steps.some((s) => /^CREATE TABLE "new_users"/.test(s.sql))).toBe(true);
  expect(plan.steps.every((s) => s.transactional)).toBe(true);
  await runPlan(db, plan);
  const now = await dialect.introspect(db.driver);
  expect(diffSchemas(plan.after, now).changes).toEqual([]);
  return { before, now };
}

/** Everything around `users` is present and working after the rebuild. */
async function expectIntact(before: Schema, now: Schema, keptColumns: string[]): Promise<void> {
  const users = findTable(now, 'users') as Table;
  expect(users.indexes.find((i) => i.name === 'users_email')?.sql).toBe(
    'CREATE INDEX users_email ON users (email) WHERE email IS NOT NULL',
  );
  expect(now.views.map((v) => v.name).sort()).toEqual(['big_owners', 'order_owners', 'user_names']);
  expect(now.triggers.map((t) => t.name).sort()).toEqual(['teams_gone', 'users_audit']);
  expect(users.constraints.find((k) => k.kind === 'foreign_key')?.references).toEqual({
    table: 'teams',
    columns: ['id'],
    onDelete: 'set null',
  });
  expect(findTable(now, 'orders')?.constraints.find((k) => k.kind === 'foreign_key')?.references?.table).toBe('users');
  expect(users.ddl).toMatch(/"name" TEXT NOT NULL COLLATE "NOCASE"/);
  expect(users.ddl).toMatch(/ON DELETE SET NULL ON UPDATE CASCADE/);

  // every row and value kept (unchanged columns), rowids included
  const rows = (
    await db.driver.query(`SELECT rowid AS rid, ${keptColumns.map((c) => `"${c}"`).join(', ')} FROM users ORDER BY id`)
  ).rows;
  expect(rows).toEqual([
    { rid: 1, ...pick({ id: 1, name: 'Ann', email: 'ann@x.io', score: 1.5, team_id: 1, note: 'x' }, keptColumns) },
    { rid: 2, ...pick({ id: 2, name: 'Bob', email: null, score: 2, team_id: 2, note: null }, keptColumns) },
    { rid: 3, ...pick({ id: 3, name: 'Cid', email: 'cid@x.io', score: null, team_id: 1, note: "it's" }, keptColumns) },
  ]);
  expect(findTable(before, 'users')?.rowEstimate).toBe(3);

  // the views read, the triggers fire, AUTOINCREMENT continues after the deleted id 4, COLLATE NOCASE holds
  expect((await db.driver.query('SELECT name FROM big_owners ORDER BY name')).rows).toEqual([
    { name: 'Ann' },
    { name: 'Bob' },
    { name: 'Cid' },
  ]);
  await db.driver.query("INSERT INTO users (name, team_id) VALUES ('Eve', 1)");
  expect((await db.driver.query("SELECT id FROM users WHERE name = 'eve'")).rows).toEqual([{ id: 5 }]);
  expect(await rowsOf(db, 'audit')).toEqual([{ user_id: 5, what: 'insert' }]);
  await db.driver.query('DELETE FROM teams WHERE id = 2');
  expect((await db.driver.query("SELECT note FROM users WHERE name = 'Bob'")).rows).toEqual([{ note: 'team gone' }]);

  // the foreign keys into and out of users are enforced once foreign keys are on
  const raw = (db.driver as SqliteDriver).db;
  raw.pragma('foreign_keys = ON');
  try {
    expect(() => raw.prepare('INSERT INTO orders (user_id, total) VALUES (999, 1)').run()).toThrow(/FOREIGN KEY/);
    expect(() => raw.prepare("INSERT INTO users (name, team_id) VALUES ('Fay', 999)").run()).toThrow(/FOREIGN KEY/);
    raw.prepare('DELETE FROM users WHERE id = 1').run();
    expect(raw.prepare('SELECT COUNT(*) AS n FROM orders WHERE user_id = 1').get()).toEqual({ n: 0 });
  } finally {
    raw.pragma('foreign_keys = OFF');
  }
}

function pick(row: Record<string, unknown>, cols: string[]): Record<string, unknown> {
  return Object.fromEntries(cols.map((c) => [c, row[c]]));
}

const ALL = ['id', 'name', 'email', 'score', 'team_id', 'note'];

describe('sqlite table rebuild keeps every row, index, trigger, view and foreign key', () => {
  test('alter_column_type', async () => {
    const { before, now } = await rebuild({
      table: 'users',
      operation: 'alter_column_type',
      column_name: 'score',
      column_type: 'numeric(6,2)',
    });
    expect(findTable(now, 'users')?.columns.find((c) => c.name === 'score')?.type).toBe('numeric(6,2)');
    await expectIntact(before, now, ALL);
  });

  test('set_default and drop_default', async () => {
    const set = await rebuild({ table: 'users', operation: 'set_default', column_name: 'note', default_value: 'none' });
    await expectIntact(
      set.before,
      set.now,
      ALL.filter((c) => c !== 'note'),
    );
    expect((await db.driver.query("SELECT note FROM users WHERE name = 'Eve'")).rows).toEqual([{ note: 'none' }]);
    const dropped = await rebuild({ table: 'users', operation: 'drop_default', column_name: 'score' });
    expect(findTable(dropped.now, 'users')?.columns.find((c) => c.name === 'score')?.default).toBeNull();
  });

  test('add_column unique', async () => {
    const { before, now } = await rebuild({
      table: 'users',
      operation: 'add_column',
      column_name: 'handle',
      column_type: 'varchar(40)',
      unique: true,
    });
    await expectIntact(before, now, ALL);
  });

  test('drop_column of a checked column', async () => {
    const { before, now } = await rebuild({ table: 'users', operation: 'drop_column', column_name: 'legacy' });
    expect(findTable(now, 'users')?.constraints.map((k) => k.name)).not.toContain('legacy_set');
    expect(findTable(now, 'users')?.columns.map((c) => c.name)).toEqual(ALL);
    await expectIntact(before, now, ALL);
  });

  test('add_constraint unique', async () => {
    const u = await rebuild({
      table: 'users',
      operation: 'add_constraint',
      constraint_type: 'unique',
      columns: ['email'],
    });
    await expectIntact(u.before, u.now, ALL);
  });

  test('add_constraint not_null and check on SQLite before 3.53 rebuild', async () => {
    const old = sqliteDialect('3.45.1');
    expect(old.capabilities.canAlterNotNull).toBe(false);
    await db.setup('UPDATE users SET score = 0 WHERE score IS NULL');
    const nn = await rebuild(
      { table: 'users', operation: 'add_constraint', constraint_type: 'not_null', column_name: 'score' },
      old,
    );
    expect(findTable(nn.now, 'users')?.columns.find((c) => c.name === 'score')?.nullable).toBe(false);
    const ck = await rebuild(
      {
        table: 'users',
        operation: 'add_constraint',
        constraint_type: 'check',
        expression: 'score >= 0',
        constraint_name: 'score_ok',
      },
      old,
    );
    expect(findTable(ck.now, 'users')?.constraints.find((k) => k.name === 'score_ok')?.expression).toBe('score >= 0');
    await expectIntact(
      nn.before,
      ck.now,
      ALL.filter((c) => c !== 'score'),
    );
  });

  test('drop_constraint of the foreign key, then add_constraint foreign_key back', async () => {
    const d = await rebuild({ table: 'users', operation: 'drop_constraint', constraint_name: 'users_team_id_fkey' });
    expect(findTable(d.now, 'users')?.constraints.some((k) => k.kind === 'foreign_key')).toBe(false);
    const a = await rebuild({
      table: 'users',
      operation: 'add_constraint',
      constraint_type: 'foreign_key',
      column_name: 'team_id',
      references: { table: 'teams', column: 'id', on_delete: 'set null' },
    });
    expect(findTable(a.now, 'users')?.constraints.find((k) => k.kind === 'foreign_key')?.name).toBe(
      'users_team_id_fkey',
    );
    const now = findTable(a.now, 'users') as Table;
    expect(now.ddl).not.toMatch(/ON UPDATE CASCADE/);
  });

  test('a STRICT, WITHOUT ROWID table keeps its options, its generated column and its rows', async () => {
    await db.setup(`
      CREATE TABLE metrics (k TEXT PRIMARY KEY, v INTEGER NOT NULL, doubled INTEGER GENERATED ALWAYS AS (v * 2) STORED) STRICT, WITHOUT ROWID;
      INSERT INTO metrics (k, v) VALUES ('a', 1), ('b', 2);
    `);
    const before = await db.dialect.introspect(db.driver);
    const plan = await db.dialect.planSchemaChange(
      schemaModificationParams.parse({
        table: 'metrics',
        operation: 'set_default',
        column_name: 'v',
        default_value: 7,
      }),
      before,
      db.driver,
    );
    expect(plan.problems).toEqual([]);
    await runPlan(db, plan);
    const now = await db.dialect.introspect(db.driver);
    expect(diffSchemas(plan.after, now).changes).toEqual([]);
    expect(findTable(now, 'metrics')?.ddl).toMatch(
      /"doubled" INTEGER GENERATED ALWAYS AS \(v \* 2\) STORED[\s\S]*\) WITHOUT ROWID, STRICT$/,
    );
    await db.driver.query("INSERT INTO metrics (k) VALUES ('c')");
    expect((await db.driver.query('SELECT k, v, doubled FROM metrics ORDER BY k')).rows).toEqual([
      { k: 'a', v: 1, doubled: 2 },
      { k: 'b', v: 2, doubled: 4 },
      { k: 'c', v: 7, doubled: 14 },
    ]);
    const strict = await db.dialect.planSchemaChange(
      schemaModificationParams.parse({
        table: 'metrics',
        operation: 'add_column',
        column_name: 'label',
        column_type: 'varchar(10)',
      }),
      now,
      db.driver,
    );
    expect(strict.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'DF202',
        field: 'column_type',
        message: expect.stringMatching(/STRICT/),
      }),
    ]);
  });

  test('a rebuild is refused while foreign keys are on (dropping the old table would cascade)', async () => {
    const raw = (db.driver as SqliteDriver).db;
    raw.pragma('foreign_keys = ON');
    try {
      const plan = await db.dialect.planSchemaChange(
        schemaModificationParams.parse({
          table: 'users',
          operation: 'set_default',
          column_name: 'note',
          default_value: 'n',
        }),
        await db.dialect.introspect(db.driver),
        db.driver,
      );
      expect(plan.steps).toEqual([]);
      expect(plan.problems).toEqual([
        { severity: 'error', code: 'DF603', field: 'table', message: expect.stringMatching(/foreign keys are ON/) },
      ]);
    } finally {
      raw.pragma('foreign_keys = OFF');
    }
  });

  test('a foreign key broken while the plan waited makes the final check fail and roll everything back', async () => {
    const before = await db.dialect.introspect(db.driver);
    const plan = await db.dialect.planSchemaChange(
      schemaModificationParams.parse({
        table: 'users',
        operation: 'set_default',
        column_name: 'note',
        default_value: 'n',
      }),
      before,
      db.driver,
    );
    expect(plan.problems).toEqual([]);
    await db.driver.query('INSERT INTO orders (user_id, total) VALUES (77, 1)');
    const failure = await runPlan(db, plan).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DatabaseError);
    expect(failure).toMatchObject({
      code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
      message: expect.stringMatching(/1 row\(s\) of "orders" \(rowid 4\) reference rows missing from "users"/),
    });
    const after = await db.dialect.introspect(db.driver);
    expect(diffSchemas(before, after).changes).toEqual([]);
    expect(findTable(after, 'users')?.ddl).toBe(findTable(before, 'users')?.ddl);
  });
});
