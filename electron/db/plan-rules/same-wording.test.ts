/**
 * The plan rules say the same thing on both databases: the same change against the same schema
 * gives, on SQLite and on PostgreSQL, the same problems (code, field and message), and the code
 * each case expects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../../test/databases.ts';
import type { PlanCode } from '../../../shared/plan-codes.ts';
import { schemaModificationParams } from '../../../shared/nodes/schema-modification.ts';
import type { DialectName } from '../../../shared/schema.ts';
import type { PlanProblem } from '../plan-problem.ts';

const SETUP = `
  CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);
  CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, note TEXT);
  CREATE INDEX idx_orders_note ON orders (note);
  CREATE TABLE payments (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));
  CREATE VIEW user_names AS SELECT name FROM users;
  INSERT INTO users (id, name, email) VALUES (1, 'ann', 'a@x'), (2, 'bob', NULL), (3, 'ann', 'c@x');
  INSERT INTO orders (id, user_id, note) VALUES (1, 99, 'first');
`;

/** A change that cannot succeed, and the code both planners give it. */
const CASES: [string, PlanCode, Record<string, unknown>][] = [
  ['a missing table', 'DF101', { table: 'ghosts', operation: 'add_column', column_name: 'x', column_type: 'text' }],
  ['a table in the wrong case', 'DF101', { table: 'Users', operation: 'drop_column', column_name: 'name' }],
  ['a view for a table', 'DF101', { table: 'user_names', operation: 'drop_column', column_name: 'name' }],
  [
    'a missing column',
    'DF102',
    { table: 'users', operation: 'rename_column', column_name: 'ghost', new_name: 'spirit' },
  ],
  [
    'an existing column of another type',
    'DF120',
    { table: 'users', operation: 'add_column', column_name: 'email', column_type: 'integer' },
  ],
  [
    'renaming onto an existing column',
    'DF103',
    { table: 'users', operation: 'rename_column', column_name: 'name', new_name: 'email' },
  ],
  ['renaming onto a table', 'DF104', { table: 'users', operation: 'rename_table', new_name: 'orders' }],
  [
    'creating a table named as a view',
    'DF104',
    { table: 'user_names', operation: 'create_table', columns: [{ name: 'id', type: 'integer' }] },
  ],
  [
    'an index name another table uses',
    'DF104',
    { table: 'users', operation: 'create_index', index_name: 'idx_orders_note', columns: ['name'] },
  ],
  [
    'dropping an index of another table',
    'DF108',
    { table: 'users', operation: 'drop_index', index_name: 'idx_orders_note' },
  ],
  [
    'an index named as a constraint',
    'DF110',
    { table: 'orders', operation: 'drop_constraint', constraint_name: 'idx_orders_note' },
  ],
  [
    'a second primary key',
    'DF111',
    { table: 'users', operation: 'add_constraint', constraint_type: 'primary_key', column_name: 'email' },
  ],
  [
    'a column named twice',
    'DF112',
    {
      table: 'notes',
      operation: 'create_table',
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'id', type: 'text' },
      ],
    },
  ],
  [
    'a primary key over a column the table lacks',
    'DF113',
    { table: 'notes', operation: 'create_table', columns: [{ name: 'id', type: 'integer' }], primary_key: ['nope'] },
  ],
  ...(['ghosts', 'users'] as const).map((table): [string, PlanCode, Record<string, unknown>] => [
    `a foreign key onto ${table}.ghost`,
    table === 'ghosts' ? 'DF115' : 'DF116',
    {
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'foreign_key',
      column_name: 'user_id',
      references: { table, column: 'ghost' },
    },
  ]),
  [
    'a foreign key onto a column that is no key',
    'DF117',
    {
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'foreign_key',
      column_name: 'user_id',
      references: { table: 'users', column: 'name' },
    },
  ],
  [
    'a NOT NULL column without a default on a table with rows',
    'DF301',
    { table: 'users', operation: 'add_column', column_name: 'age', column_type: 'integer', nullable: false },
  ],
  [
    'a UNIQUE column with a constant default on several rows',
    'DF302',
    {
      table: 'users',
      operation: 'add_column',
      column_name: 'code',
      column_type: 'text',
      default_value: 'x',
      unique: true,
    },
  ],
  [
    'a UNIQUE constraint over duplicates',
    'DF303',
    { table: 'users', operation: 'add_constraint', constraint_type: 'unique', column_name: 'name' },
  ],
  [
    'a unique index over duplicates',
    'DF303',
    { table: 'users', operation: 'create_index', columns: ['name'], unique: true },
  ],
  [
    'NOT NULL over NULLs',
    'DF304',
    { table: 'users', operation: 'add_constraint', constraint_type: 'not_null', column_name: 'email' },
  ],
  [
    'a foreign key over rows without a parent',
    'DF305',
    {
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'foreign_key',
      column_name: 'user_id',
      references: { table: 'users', column: 'id' },
    },
  ],
  [
    'a CHECK the rows break',
    'DF306',
    { table: 'users', operation: 'add_constraint', constraint_type: 'check', expression: 'id < 3' },
  ],
  [
    'a CHECK with a subquery',
    'DF205',
    { table: 'users', operation: 'add_constraint', constraint_type: 'check', expression: 'id > (SELECT 1)' },
  ],
  ['dropping a column a view reads', 'DF401', { table: 'users', operation: 'drop_column', column_name: 'name' }],
  ['dropping a table a view reads', 'DF401', { table: 'users', operation: 'drop_table' }],
  [
    'dropping a column a foreign key references',
    'DF402',
    { table: 'users', operation: 'drop_column', column_name: 'id' },
  ],
  [
    'dropping the key a foreign key references',
    'DF402',
    { table: 'users', operation: 'drop_constraint', constraint_name: 'users_pkey' },
  ],
];

const dbs = new Map<DialectName, TestDatabase & { cleanup(): Promise<void> }>();

beforeAll(async () => {
  for (const dialect of DIALECTS) {
    const db = await createTestDatabase(dialect);
    await db.setup(SETUP);
    dbs.set(dialect, db);
  }
});
afterAll(async () => {
  for (const db of dbs.values()) await db.cleanup();
});

async function problems(dialect: DialectName, raw: Record<string, unknown>): Promise<PlanProblem[]> {
  const db = dbs.get(dialect)!;
  const plan = await db.dialect.planSchemaChange(
    schemaModificationParams.parse(raw),
    await db.dialect.introspect(db.driver),
    db.driver,
  );
  return plan.problems;
}

describe('plan rules: the same problem, code and wording on SQLite and PostgreSQL', () => {
  for (const [what, code, raw] of CASES) {
    it(`${code}: ${what}`, async () => {
      const sqlite = await problems('sqlite', raw);
      const postgres = await problems('postgres', raw);
      expect(sqlite).toEqual(postgres);
      expect(sqlite.map((p) => p.code)).toEqual([code]);
    });
  }

  const APPLIED: [string, Record<string, unknown>][] = [
    ['a dropped column', { table: 'users', operation: 'drop_column', column_name: 'ghost' }],
    ['a dropped index', { table: 'orders', operation: 'drop_index', index_name: 'nope' }],
    [
      'a dropped constraint',
      { table: 'users', operation: 'drop_constraint', constraint_name: 'nope', if_exists: true },
    ],
    ['a dropped table', { table: 'ghosts', operation: 'drop_table' }],
    ['a default there is not', { table: 'users', operation: 'drop_default', column_name: 'name' }],
    ['an existing column', { table: 'users', operation: 'add_column', column_name: 'email', column_type: 'text' }],
  ];
  for (const [what, raw] of APPLIED) {
    it(`already applied: ${what}, with the same note`, async () => {
      const plan = async (dialect: DialectName) => {
        const db = dbs.get(dialect)!;
        return db.dialect.planSchemaChange(
          schemaModificationParams.parse(raw),
          await db.dialect.introspect(db.driver),
          db.driver,
        );
      };
      const [sqlite, postgres] = [await plan('sqlite'), await plan('postgres')];
      expect(sqlite.alreadyApplied).toMatch(/already/);
      expect(sqlite.alreadyApplied).toEqual(postgres.alreadyApplied);
      expect([sqlite.steps, sqlite.problems, postgres.steps, postgres.problems]).toEqual([[], [], [], []]);
    });
  }

  it('DF113 names the field primary_key, not columns, for a primary key over a missing column', async () => {
    const raw = {
      table: 'notes',
      operation: 'create_table',
      columns: [{ name: 'id', type: 'integer' }],
      primary_key: ['id', 'nope'],
    };
    for (const dialect of ['sqlite', 'postgres'] as const)
      expect(await problems(dialect, raw)).toEqual([
        expect.objectContaining({
          code: 'DF113',
          field: 'primary_key',
          message: 'primary_key column "nope" is not one of the columns',
        }),
      ]);
  });
});
