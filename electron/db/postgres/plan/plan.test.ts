import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/databases.ts';
import { diffSchemas } from '../../../../shared/diff.ts';
import type { SchemaModificationParams } from '../../../../shared/nodes/schema-modification.ts';
import { findColumn, findTable, type Schema } from '../../../../shared/schema.ts';
import { isConstraintViolation, type Plan } from '../../dialect.ts';
import { DatabaseError } from '../../driver.ts';
import { executeStep } from '../execute.ts';
import { introspect } from '../introspect.ts';
import { planSchemaChange } from './index.ts';
import { RecordingDriver } from '../../../../test/recording-driver.ts';

let db: TestDatabase & { cleanup(): Promise<void> };

const SEED = `
  DROP SCHEMA public CASCADE; CREATE SCHEMA public;
  CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email varchar(255), deprecated_field text, created_at timestamptz DEFAULT now());
  INSERT INTO users (name, email) VALUES ('Ann', 'ann@x'), ('Bob', 'bob@x'), ('Cy', NULL);
  CREATE TABLE orders (id serial PRIMARY KEY, user_id integer, subtotal numeric(10,2), tax numeric(10,2), shipping numeric(10,2),
    total_amount numeric(10,2), code text, created_at timestamptz DEFAULT now());
  INSERT INTO orders (user_id, subtotal, tax, shipping, total_amount, code) VALUES (1, 10, 1, 2, 13, '7'), (2, 5, 0.5, 1, 6.5, '8');
  CREATE TABLE contacts (id serial PRIMARY KEY, name text, company text);
  INSERT INTO contacts (name, company) VALUES ('A', 'X'), ('B', 'Y');
  CREATE TABLE products (id integer, name text, price numeric(10,2));
  INSERT INTO products VALUES (1, 'pen', 2), (2, 'ink', 3);
  CREATE VIEW user_emails AS SELECT id, email FROM users;
`;

beforeAll(async () => {
  db = await createTestDatabase('postgres');
});
afterAll(() => db.cleanup());
beforeEach(() => db.setup(SEED));

const params = (
  p: Omit<SchemaModificationParams, 'table' | 'operation'> & Pick<SchemaModificationParams, 'table' | 'operation'>,
) => p as SchemaModificationParams;
const errors = (plan: Plan) => plan.problems.filter((x) => x.severity === 'error');
const warnings = (plan: Plan) => plan.problems.filter((x) => x.severity === 'warning');

async function plan(p: SchemaModificationParams, schema?: Schema): Promise<Plan> {
  return planSchemaChange(p, schema ?? (await introspect(db.driver)), db.driver);
}

/** Plans, runs the steps (transactional ones in one transaction each run), and checks Plan.after against the live schema. */
async function apply(p: SchemaModificationParams): Promise<{ plan: Plan; live: Schema }> {
  const planned = await plan(p);
  expect(errors(planned)).toEqual([]);
  expect(planned.steps.length).toBeGreaterThan(0);
  let open = false;
  for (const step of planned.steps) {
    if (step.transactional && !open) await db.driver.query('BEGIN');
    if (!step.transactional && open) await db.driver.query('COMMIT');
    open = step.transactional;
    await executeStep(db.driver, step);
  }
  if (open) await db.driver.query('COMMIT');
  const live = await introspect(db.driver);
  expect(diffSchemas(planned.after, live).changes).toEqual([]);
  return { plan: planned, live };
}

const table = (s: Schema, name: string) => findTable(s, name)!;
const col = (s: Schema, t: string, c: string) => findColumn(table(s, t), c);

describe('postgres planSchemaChange: every operation, applied and introspected', () => {
  it('add_column nullable: one metadata-only statement', async () => {
    const { plan: p, live } = await apply(
      params({ table: 'orders', operation: 'add_column', column_name: 'notes', column_type: 'text', nullable: true }),
    );
    expect(p.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "orders" ADD COLUMN "notes" text']);
    expect(p.steps[0]).toMatchObject({
      locking: true,
      transactional: true,
      reverse: 'ALTER TABLE "orders" DROP COLUMN "notes"',
    });
    expect(col(live, 'orders', 'notes')).toEqual({
      name: 'notes',
      type: 'text',
      nullable: true,
      default: null,
      primaryKey: false,
    });
  });

  it('add_column NOT NULL with a constant default: one statement, existing rows get the value', async () => {
    const { plan: p, live } = await apply(
      params({
        table: 'orders',
        operation: 'add_column',
        column_name: 'processing_status',
        column_type: 'varchar(50)',
        nullable: false,
        default_value: "it's pending",
      }),
    );
    expect(p.steps.map((s) => s.sql)).toEqual([
      `ALTER TABLE "orders" ADD COLUMN "processing_status" varchar(50) DEFAULT 'it''s pending' NOT NULL`,
    ]);
    expect(p.problems).toEqual([]);
    expect(col(live, 'orders', 'processing_status')).toMatchObject({
      type: 'varchar(50)',
      nullable: false,
      default: "'it''s pending'",
    });
    const { rows } = await db.driver.query<{ s: string }>('SELECT DISTINCT processing_status AS s FROM orders');
    expect(rows).toEqual([{ s: "it's pending" }]);
  });

  it('add_column with typed literals of every family', async () => {
    await apply(
      params({
        table: 'products',
        operation: 'add_column',
        column_name: 'is_active',
        column_type: 'boolean',
        nullable: false,
        default_value: true,
      }),
    );
    await apply(
      params({
        table: 'products',
        operation: 'add_column',
        column_name: 'stock',
        column_type: 'integer',
        default_value: -5,
      }),
    );
    await apply(
      params({
        table: 'products',
        operation: 'add_column',
        column_name: 'weight',
        column_type: 'real',
        default_value: 1.5,
      }),
    );
    await apply(
      params({
        table: 'products',
        operation: 'add_column',
        column_name: 'since',
        column_type: 'date',
        default_value: '2024-01-31',
      }),
    );
    await apply(
      params({
        table: 'products',
        operation: 'add_column',
        column_name: 'seen',
        column_type: 'timestamptz',
        default_value: '2024-01-31 10:00',
      }),
    );
    await apply(
      params({
        table: 'products',
        operation: 'add_column',
        column_name: 'meta',
        column_type: 'jsonb',
        default_value: '{"a":1}',
      }),
    );
    await apply(
      params({
        table: 'products',
        operation: 'add_column',
        column_name: 'tags',
        column_type: 'text[]',
        default_value: '{a,b}',
      }),
    );
    const { live } = await apply(
      params({
        table: 'products',
        operation: 'add_column',
        column_name: 'path',
        column_type: 'text',
        default_value: 'C:\\tmp',
      }),
    );
    expect(table(live, 'products').columns.map((c) => [c.name, c.type, c.default])).toEqual([
      ['id', 'integer', null],
      ['name', 'text', null],
      ['price', 'numeric(10,2)', null],
      ['is_active', 'boolean', 'TRUE'],
      ['stock', 'integer', '-5'],
      ['weight', 'real', '1.5'],
      ['since', 'date', "'2024-01-31'"],
      ['seen', 'timestamptz', expect.stringMatching(/^'2024-01-31 10:00:00/)],
      ['meta', 'jsonb', `'{"a": 1}'`],
      ['tags', 'text[]', "'{a,b}'"],
      ['path', 'text', "'C:\\tmp'"],
    ]);
    const { rows } = await db.driver.query<{ path: string }>('SELECT path FROM products LIMIT 1');
    expect(rows[0]?.path).toBe('C:\\tmp');
  });

  it('add_column with an SQL default: stable ones are metadata only, volatile ones are flagged as a rewrite', async () => {
    const stable = await apply(
      params({
        table: 'users',
        operation: 'add_column',
        column_name: 'last_login',
        column_type: 'timestamptz',
        default_value: { sql: 'CURRENT_TIMESTAMP' },
      }),
    );
    expect(stable.plan.problems).toEqual([]);
    expect(stable.plan.steps[0]?.sql).toBe(
      'ALTER TABLE "users" ADD COLUMN "last_login" timestamp with time zone DEFAULT (CURRENT_TIMESTAMP)',
    );
    expect(col(stable.live, 'users', 'last_login')?.default).toBe('CURRENT_TIMESTAMP');
    const volatile = await apply(
      params({
        table: 'users',
        operation: 'add_column',
        column_name: 'token',
        column_type: 'uuid',
        default_value: { sql: 'gen_random_uuid()' },
      }),
    );
    expect(warnings(volatile.plan)).toEqual([
      expect.objectContaining({ code: 'DF701', field: 'default_value', message: expect.stringContaining('volatile') }),
    ]);
    expect(volatile.plan.steps[0]?.comment).toContain('rewrites the table');
  });

  it('add_column unique: ADD COLUMN, then a unique index attached as the constraint', async () => {
    const { plan: p, live } = await apply(
      params({
        table: 'users',
        operation: 'add_column',
        column_name: 'username',
        column_type: 'varchar(50)',
        unique: true,
      }),
    );
    expect(p.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "users" ADD COLUMN "username" varchar(50)',
      'CREATE UNIQUE INDEX "users_username_key" ON "users" ("username")',
      'ALTER TABLE "users" ADD CONSTRAINT "users_username_key" UNIQUE USING INDEX "users_username_key"',
    ]);
    expect(table(live, 'users').constraints.find((k) => k.name === 'users_username_key')).toMatchObject({
      kind: 'unique',
      columns: ['username'],
    });
  });

  it('drop_column: destructive, gone afterwards', async () => {
    const { plan: p, live } = await apply(
      params({ table: 'users', operation: 'drop_column', column_name: 'deprecated_field' }),
    );
    expect(p.steps).toEqual([
      {
        sql: 'ALTER TABLE "users" DROP COLUMN "deprecated_field"',
        comment: expect.any(String),
        transactional: true,
        locking: true,
        destructive: true,
      },
    ]);
    expect(col(live, 'users', 'deprecated_field')).toBeUndefined();
  });

  it('rename_column and rename_table, each with its reverse', async () => {
    const rc = await apply(
      params({ table: 'contacts', operation: 'rename_column', column_name: 'company', new_name: 'organisation' }),
    );
    expect(rc.plan.steps[0]?.reverse).toBe('ALTER TABLE "contacts" RENAME COLUMN "organisation" TO "company"');
    expect(col(rc.live, 'contacts', 'organisation')).toBeDefined();
    const rt = await apply(params({ table: 'contacts', operation: 'rename_table', new_name: 'people' }));
    expect(rt.plan.steps[0]?.sql).toBe('ALTER TABLE "contacts" RENAME TO "people"');
    expect(findTable(rt.live, 'contacts')).toBeUndefined();
    expect(table(rt.live, 'people').constraints.map((k) => k.name)).toEqual(['contacts_pkey']);
  });

  it('alter_column_type: widening without rewrite, and a conversion with USING', async () => {
    const widen = await apply(
      params({
        table: 'orders',
        operation: 'alter_column_type',
        column_name: 'subtotal',
        column_type: 'numeric(12,2)',
      }),
    );
    expect(widen.plan.steps[0]?.comment).toContain('no rewrite');
    expect(col(widen.live, 'orders', 'subtotal')?.type).toBe('numeric(12,2)');
    const conv = await apply(
      params({
        table: 'orders',
        operation: 'alter_column_type',
        column_name: 'code',
        column_type: 'integer',
        using: 'code::integer',
      }),
    );
    expect(conv.plan.steps[0]?.sql).toBe('ALTER TABLE "orders" ALTER COLUMN "code" TYPE integer USING (code::integer)');
    expect(col(conv.live, 'orders', 'code')?.type).toBe('integer');
  });

  it('set_default and drop_default', async () => {
    const set = await apply(
      params({ table: 'contacts', operation: 'set_default', column_name: 'company', default_value: 'ACME' }),
    );
    expect(set.plan.steps[0]).toMatchObject({
      sql: `ALTER TABLE "contacts" ALTER COLUMN "company" SET DEFAULT 'ACME'`,
      reverse: 'ALTER TABLE "contacts" ALTER COLUMN "company" DROP DEFAULT',
    });
    expect(col(set.live, 'contacts', 'company')?.default).toBe("'ACME'");
    const drop = await apply(params({ table: 'contacts', operation: 'drop_default', column_name: 'company' }));
    expect(drop.plan.steps[0]?.reverse).toBe(`ALTER TABLE "contacts" ALTER COLUMN "company" SET DEFAULT 'ACME'`);
    expect(col(drop.live, 'contacts', 'company')?.default).toBeNull();
  });

  it('add_constraint not_null: CHECK NOT VALID, VALIDATE, SET NOT NULL, DROP the CHECK', async () => {
    const { plan: p, live } = await apply(
      params({
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'not_null',
        column_name: 'total_amount',
      }),
    );
    expect(p.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "orders" ADD CONSTRAINT "orders_total_amount_not_null" CHECK ("total_amount" IS NOT NULL) NOT VALID',
      'ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_total_amount_not_null"',
      'ALTER TABLE "orders" ALTER COLUMN "total_amount" SET NOT NULL',
      'ALTER TABLE "orders" DROP CONSTRAINT "orders_total_amount_not_null"',
    ]);
    expect(p.steps.map((s) => s.locking ?? false)).toEqual([true, false, true, true]);
    expect(col(live, 'orders', 'total_amount')?.nullable).toBe(false);
    expect(table(live, 'orders').constraints.map((k) => k.name)).toEqual(['orders_pkey']);
  });

  it('add_constraint unique (also CONCURRENTLY, outside a transaction)', async () => {
    const { plan: p } = await apply(
      params({ table: 'orders', operation: 'add_constraint', constraint_type: 'unique', columns: ['user_id', 'code'] }),
    );
    expect(p.steps.map((s) => s.sql)).toEqual([
      'CREATE UNIQUE INDEX "orders_user_id_code_key" ON "orders" ("user_id", "code")',
      'ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_code_key" UNIQUE USING INDEX "orders_user_id_code_key"',
    ]);
    const conc = await apply(
      params({
        table: 'users',
        operation: 'add_constraint',
        constraint_type: 'unique',
        column_name: 'email',
        constraint_name: 'users_email_uq',
        concurrently: true,
      }),
    );
    expect(conc.plan.steps[0]).toMatchObject({
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY "users_email_uq" ON "users" ("email")',
      transactional: false,
    });
    expect(table(conc.live, 'users').constraints.find((k) => k.name === 'users_email_uq')?.kind).toBe('unique');
  });

  it('add_constraint check: NOT VALID, then VALIDATE; validated afterwards', async () => {
    const { plan: p, live } = await apply(
      params({
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'check',
        expression: 'subtotal >= 0 AND tax >= 0',
      }),
    );
    expect(p.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "orders" ADD CONSTRAINT "orders_check" CHECK (subtotal >= 0 AND tax >= 0) NOT VALID',
      'ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_check"',
    ]);
    expect(table(live, 'orders').constraints.find((k) => k.name === 'orders_check')).toMatchObject({
      kind: 'check',
      columns: ['subtotal', 'tax'],
      validated: true,
    });
  });

  it('add_constraint foreign_key: NOT VALID with ON DELETE, then VALIDATE', async () => {
    const { plan: p, live } = await apply(
      params({
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'user_id',
        references: { table: 'users', column: 'id', on_delete: 'cascade' },
      }),
    );
    expect(p.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE NOT VALID',
      'ALTER TABLE "orders" VALIDATE CONSTRAINT "orders_user_id_fkey"',
    ]);
    expect(table(live, 'orders').constraints.find((k) => k.kind === 'foreign_key')).toMatchObject({
      references: { table: 'users', columns: ['id'], onDelete: 'cascade' },
      validated: true,
    });
  });

  it('add_constraint primary_key on a nullable column: NOT NULL the cheap way around the index', async () => {
    const { plan: p, live } = await apply(
      params({ table: 'products', operation: 'add_constraint', constraint_type: 'primary_key', column_name: 'id' }),
    );
    expect(p.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "products" ADD CONSTRAINT "products_id_not_null" CHECK ("id" IS NOT NULL) NOT VALID',
      'ALTER TABLE "products" VALIDATE CONSTRAINT "products_id_not_null"',
      'CREATE UNIQUE INDEX "products_pkey" ON "products" ("id")',
      'ALTER TABLE "products" ADD CONSTRAINT "products_pkey" PRIMARY KEY USING INDEX "products_pkey"',
      'ALTER TABLE "products" DROP CONSTRAINT "products_id_not_null"',
    ]);
    expect(col(live, 'products', 'id')).toMatchObject({ nullable: false, primaryKey: true });
  });

  it('drop_constraint, with the statement that would restore it', async () => {
    await db.setup('ALTER TABLE orders ADD CONSTRAINT positive CHECK (subtotal > 0)');
    const { plan: p, live } = await apply(
      params({ table: 'orders', operation: 'drop_constraint', constraint_name: 'positive' }),
    );
    expect(p.steps[0]).toMatchObject({
      sql: 'ALTER TABLE "orders" DROP CONSTRAINT "positive"',
      destructive: true,
      reverse: 'ALTER TABLE "orders" ADD CONSTRAINT "positive" CHECK ((subtotal > (0)::numeric))',
    });
    expect(table(live, 'orders').constraints.map((k) => k.name)).toEqual(['orders_pkey']);
  });

  it('create_index: columns, unique, partial WHERE; CONCURRENTLY runs outside a transaction', async () => {
    const partial = await apply(
      params({ table: 'orders', operation: 'create_index', columns: ['user_id', 'created_at'], where: "code <> 'x'" }),
    );
    expect(partial.plan.steps[0]).toMatchObject({
      sql: `CREATE INDEX "idx_orders_user_id_created_at" ON "orders" ("user_id", "created_at") WHERE (code <> 'x')`,
      locking: true,
    });
    expect(table(partial.live, 'orders').indexes.find((i) => i.name === 'idx_orders_user_id_created_at')?.where).toBe(
      "(code <> 'x'::text)",
    );
    const conc = await apply(
      params({
        table: 'users',
        operation: 'create_index',
        index_name: 'users_name_uq',
        columns: ['name'],
        unique: true,
        concurrently: true,
      }),
    );
    expect(conc.plan.steps[0]).toMatchObject({
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY "users_name_uq" ON "users" ("name")',
      transactional: false,
    });
  });

  it('drop_index, plain and CONCURRENTLY', async () => {
    await db.setup('CREATE INDEX orders_code ON orders (code); CREATE INDEX orders_tax ON orders (tax)');
    const plain = await apply(params({ table: 'orders', operation: 'drop_index', index_name: 'orders_code' }));
    expect(plain.plan.steps[0]).toMatchObject({
      sql: 'DROP INDEX "orders_code"',
      destructive: true,
      locking: true,
      reverse: 'CREATE INDEX orders_code ON public.orders USING btree (code)',
    });
    const conc = await apply(
      params({ table: 'orders', operation: 'drop_index', index_name: 'orders_tax', concurrently: true }),
    );
    expect(conc.plan.steps[0]).toMatchObject({ sql: 'DROP INDEX CONCURRENTLY "orders_tax"', transactional: false });
    expect(table(conc.live, 'orders').indexes.map((i) => i.name)).toEqual(['orders_pkey']);
  });

  it('create_table with column specs, primary key, unique and defaults', async () => {
    const { plan: p, live } = await apply(
      params({
        table: 'preferences',
        operation: 'create_table',
        primary_key: ['id'],
        columns: [
          { name: 'id', type: 'bigint', nullable: false, unique: false, primary_key: false },
          { name: 'user_id', type: 'integer', nullable: false, unique: true, primary_key: false },
          {
            name: 'theme',
            type: 'varchar(20)',
            nullable: true,
            default_value: 'light',
            unique: false,
            primary_key: false,
          },
          {
            name: 'created_at',
            type: 'timestamptz',
            nullable: false,
            default_value: { sql: 'now()' },
            unique: false,
            primary_key: false,
          },
        ],
      }),
    );
    expect(p.steps[0]?.sql).toBe(
      [
        'CREATE TABLE "preferences" (',
        '  "id" bigint NOT NULL,',
        '  "user_id" integer NOT NULL,',
        `  "theme" varchar(20) DEFAULT 'light',`,
        '  "created_at" timestamp with time zone DEFAULT (now()) NOT NULL,',
        '  CONSTRAINT "preferences_pkey" PRIMARY KEY ("id"),',
        '  CONSTRAINT "preferences_user_id_key" UNIQUE ("user_id")',
        ')',
      ].join('\n'),
    );
    expect(p.steps[0]?.locking).toBeUndefined();
    expect(
      table(live, 'preferences').columns.map((c) => [c.name, c.type, c.nullable, c.default, c.primaryKey]),
    ).toEqual([
      ['id', 'bigint', false, null, true],
      ['user_id', 'integer', false, null, false],
      ['theme', 'varchar(20)', true, "'light'", false],
      ['created_at', 'timestamptz', false, 'now()', false],
    ]);
  });

  it('drop_table: destructive; gone afterwards', async () => {
    const { plan: p, live } = await apply(params({ table: 'contacts', operation: 'drop_table' }));
    expect(p.steps[0]).toMatchObject({ sql: 'DROP TABLE "contacts"', destructive: true, locking: true });
    expect(findTable(live, 'contacts')).toBeUndefined();
  });
});

describe('postgres planSchemaChange: plan-time checks', () => {
  it('the contacts example (email varchar(255) NOT NULL UNIQUE, no default) fails at plan time on a table with rows', async () => {
    const p = await plan(
      params({
        table: 'contacts',
        operation: 'add_column',
        column_name: 'email',
        column_type: 'varchar(255)',
        nullable: false,
        unique: true,
      }),
    );
    expect(p.steps).toEqual([]);
    expect(errors(p)).toEqual([
      {
        severity: 'error',
        code: 'DF301',
        field: 'nullable',
        message: expect.stringMatching(/has rows.*default_value/),
      },
    ]);
  });

  it('the same column on an empty table plans fine', async () => {
    await db.setup('DELETE FROM contacts');
    const p = await plan(
      params({
        table: 'contacts',
        operation: 'add_column',
        column_name: 'email',
        column_type: 'varchar(255)',
        nullable: false,
        unique: true,
      }),
    );
    expect(errors(p)).toEqual([]);
    expect(p.steps.map((s) => s.sql)[0]).toBe('ALTER TABLE "contacts" ADD COLUMN "email" varchar(255) NOT NULL');
  });

  it('names the missing table, the missing column and the existing column of another type', async () => {
    expect(errors(await plan(params({ table: 'nope', operation: 'drop_column', column_name: 'x' })))).toEqual([
      expect.objectContaining({
        code: 'DF101',
        field: 'table',
        message: expect.stringContaining('"nope" does not exist'),
      }),
    ]);
    expect(
      errors(await plan(params({ table: 'users', operation: 'rename_column', column_name: 'nope', new_name: 'x' }))),
    ).toEqual([expect.objectContaining({ code: 'DF102', field: 'column_name' })]);
    expect(
      errors(
        await plan(params({ table: 'users', operation: 'add_column', column_name: 'email', column_type: 'text' })),
      ),
    ).toEqual([
      expect.objectContaining({
        code: 'DF120',
        field: 'column_name',
        message: expect.stringContaining(
          'column "email" of "users" exists already as varchar(255) NULL, but this node adds it as text NULL',
        ),
      }),
    ]);
  });

  it('refuses unique on duplicates, not_null on NULLs, a foreign key with orphans', async () => {
    await db.setup(
      `INSERT INTO users (name, email) VALUES ('Ann', 'ann2@x'); INSERT INTO orders (user_id) VALUES (99)`,
    );
    const dup = await plan(
      params({ table: 'users', operation: 'add_constraint', constraint_type: 'unique', column_name: 'name' }),
    );
    expect(errors(dup)).toEqual([
      expect.objectContaining({
        code: 'DF303',
        field: 'column_name',
        message: expect.stringContaining('Ann (2 times)'),
      }),
    ]);
    const nulls = await plan(
      params({ table: 'users', operation: 'add_constraint', constraint_type: 'not_null', column_name: 'email' }),
    );
    expect(errors(nulls)).toEqual([
      expect.objectContaining({
        code: 'DF304',
        field: 'column_name',
        message: expect.stringContaining('1 row(s) of "users" hold NULL'),
      }),
    ]);
    const fk = await plan(
      params({
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'user_id',
        references: { table: 'users', column: 'id' },
      }),
    );
    expect(errors(fk)).toEqual([
      expect.objectContaining({
        code: 'DF305',
        field: 'references',
        message: expect.stringContaining('no match in "users"."id" (e.g. 99)'),
      }),
    ]);
    const badCheck = await plan(
      params({ table: 'orders', operation: 'add_constraint', constraint_type: 'check', expression: 'subtotal > 7' }),
    );
    expect(errors(badCheck)).toEqual([
      expect.objectContaining({ code: 'DF306', field: 'expression', message: expect.stringContaining('violate') }),
    ]);
  });

  it('refuses to drop a column a view reads, naming the view', async () => {
    const p = await plan(params({ table: 'users', operation: 'drop_column', column_name: 'email' }));
    expect(p.steps).toEqual([]);
    expect(errors(p)).toEqual([
      expect.objectContaining({
        code: 'DF401',
        field: 'column_name',
        message: expect.stringContaining('"user_emails"'),
      }),
    ]);
    expect(errors(await plan(params({ table: 'users', operation: 'drop_table' })))).toEqual([
      expect.objectContaining({ code: 'DF401', message: expect.stringContaining('"user_emails"') }),
    ]);
  });

  it('refuses a foreign key to a column without a unique key, and a type change PostgreSQL cannot do automatically', async () => {
    const fk = await plan(
      params({
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'user_id',
        references: { table: 'products', column: 'id' },
      }),
    );
    expect(errors(fk)).toEqual([
      expect.objectContaining({
        code: 'DF117',
        field: 'references',
        message: expect.stringContaining('not a primary key or UNIQUE'),
      }),
    ]);
    const noCast = await plan(
      params({ table: 'contacts', operation: 'alter_column_type', column_name: 'company', column_type: 'integer' }),
    );
    expect(errors(noCast)).toEqual([
      expect.objectContaining({ code: 'DF207', field: 'column_type', message: expect.stringContaining('give using') }),
    ]);
  });

  it('warns when existing values would not convert to the new type', async () => {
    const p = await plan(
      params({
        table: 'contacts',
        operation: 'alter_column_type',
        column_name: 'company',
        column_type: 'integer',
        using: 'company::integer',
      }),
    );
    expect(errors(p)).toEqual([]);
    expect(warnings(p)).toContainEqual(
      expect.objectContaining({ code: 'DF209', field: 'using', message: expect.stringContaining('would not convert') }),
    );
  });

  it('checks literal defaults against the column type', async () => {
    const cases: [string, SchemaModificationParams['default_value'], RegExp][] = [
      ['boolean', 1, /true or false/],
      ['integer', 'abc', /whole number/],
      ['smallint', 70000, /within the range of smallint/],
      ['varchar(3)', 'toolong', /at most 3 characters/],
      ['date', 'not a date', /does not fit date/],
      ['text', 'nul\0byte', /NUL/],
    ];
    for (const [type, value, message] of cases) {
      const p = await plan(
        params({
          table: 'products',
          operation: 'add_column',
          column_name: 'x',
          column_type: type,
          default_value: value,
        }),
      );
      expect(p.steps).toEqual([]);
      expect(errors(p)).toEqual([
        expect.objectContaining({ code: 'DF203', field: 'default_value', message: expect.stringMatching(message) }),
      ]);
    }
  });

  it('refuses a UNIQUE column whose constant default every existing row would share', async () => {
    const p = await plan(
      params({
        table: 'users',
        operation: 'add_column',
        column_name: 'code',
        column_type: 'text',
        default_value: 'x',
        unique: true,
      }),
    );
    expect(errors(p)).toEqual([
      expect.objectContaining({ code: 'DF302', field: 'unique', message: expect.stringContaining('same value') }),
    ]);
  });

  it('plans for older servers: plain SET NOT NULL before 12, a rewrite warning for defaults before 11', async () => {
    const schema = await introspect(db.driver);
    const nn = await planSchemaChange(
      params({
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'not_null',
        column_name: 'total_amount',
      }),
      schema,
      db.driver,
      { serverVersionNum: 110005 },
    );
    expect(nn.steps.map((s) => s.sql)).toEqual(['ALTER TABLE "orders" ALTER COLUMN "total_amount" SET NOT NULL']);
    const pk = await planSchemaChange(
      params({ table: 'products', operation: 'add_constraint', constraint_type: 'primary_key', column_name: 'id' }),
      schema,
      db.driver,
      { serverVersionNum: 110005 },
    );
    expect(pk.steps.map((s) => s.sql)).toEqual([
      'CREATE UNIQUE INDEX "products_pkey" ON "products" ("id")',
      'ALTER TABLE "products" ADD CONSTRAINT "products_pkey" PRIMARY KEY USING INDEX "products_pkey"',
    ]);
    const add = await planSchemaChange(
      params({
        table: 'orders',
        operation: 'add_column',
        column_name: 'flag',
        column_type: 'boolean',
        default_value: false,
      }),
      schema,
      db.driver,
      { serverVersionNum: 100023 },
    );
    expect(add.steps[0]?.comment).toContain('rewrites the table');
    expect(warnings(add)).toEqual([
      expect.objectContaining({
        code: 'DF701',
        field: 'default_value',
        message: expect.stringContaining('before PostgreSQL 11'),
      }),
    ]);
  });

  it('with probeData off, leaves out the checks the statements enforce; the statements then refuse the data and roll back', async () => {
    await db.setup(
      `INSERT INTO users (name, email) VALUES ('Ann', 'ann2@x'); INSERT INTO orders (user_id) VALUES (99)`,
    );
    const cases: [SchemaModificationParams, RegExp][] = [
      [
        params({ table: 'users', operation: 'add_constraint', constraint_type: 'unique', column_name: 'name' }),
        /could not create unique index/,
      ],
      [
        params({ table: 'users', operation: 'create_index', columns: ['name'], unique: true }),
        /could not create unique index/,
      ],
      [
        params({ table: 'users', operation: 'add_constraint', constraint_type: 'not_null', column_name: 'email' }),
        /violated by some row/,
      ],
      [
        params({
          table: 'orders',
          operation: 'add_constraint',
          constraint_type: 'foreign_key',
          column_name: 'user_id',
          references: { table: 'users', column: 'id' },
        }),
        /violates foreign key constraint/,
      ],
    ];
    for (const [p, refusal] of cases) {
      const schema = await introspect(db.driver);
      expect(errors(await planSchemaChange(p, schema, db.driver))).toHaveLength(1);
      const recorder = new RecordingDriver(db.driver);
      const planned = await planSchemaChange(p, schema, recorder, { probeData: false });
      expect(planned.problems).toEqual([]);
      expect(recorder.sql.filter((q) => /HAVING count|IS NULL|NOT EXISTS/.test(q))).toEqual([]);
      await db.driver.query('BEGIN');
      const failure = await (async () => {
        for (const step of planned.steps) await executeStep(db.driver, step);
      })().then(
        () => null,
        (e: unknown) => e as DatabaseError,
      );
      await db.driver.query('ROLLBACK');
      expect(failure).toBeInstanceOf(DatabaseError);
      expect(failure?.message).toMatch(refusal);
      expect(isConstraintViolation(failure?.code)).toBe(true);
      expect(diffSchemas(schema, await introspect(db.driver)).changes).toEqual([]);
    }
  });

  it('plans against a simulated schema: objects that exist only in the plan have no rows to check', async () => {
    const created = await plan(
      params({
        table: 'audit',
        operation: 'create_table',
        columns: [{ name: 'id', type: 'integer', nullable: false, unique: false, primary_key: true }],
      }),
    );
    const next = await plan(
      params({ table: 'audit', operation: 'add_column', column_name: 'note', column_type: 'text', nullable: false }),
      created.after,
    );
    expect(next.problems).toEqual([]);
    const check = await plan(
      params({ table: 'audit', operation: 'add_constraint', constraint_type: 'check', expression: 'length(note) > 0' }),
      next.after,
    );
    expect(check.problems).toEqual([]);
    expect(findTable(check.after, 'audit')?.constraints.find((k) => k.kind === 'check')).toMatchObject({
      columns: ['note'],
      expression: '(length(note) > 0)',
    });
    expect(findTable(await introspect(db.driver), 'audit')).toBeUndefined();
  });
});

describe('postgres planSchemaChange: user text never reaches SQL unchecked', () => {
  const attempts: [string, SchemaModificationParams, string][] = [
    [
      'column_type',
      params({
        table: 'users',
        operation: 'add_column',
        column_name: 'phone',
        column_type: 'varchar(20); DROP TABLE users',
      }),
      'column_type',
    ],
    [
      'sql default',
      params({
        table: 'users',
        operation: 'add_column',
        column_name: 'phone',
        column_type: 'text',
        default_value: { sql: '1); DROP TABLE users; --' },
      }),
      'default_value',
    ],
    [
      'CHECK expression',
      params({
        table: 'users',
        operation: 'add_constraint',
        constraint_type: 'check',
        expression: 'true) NOT VALID; DROP TABLE users; --',
      }),
      'expression',
    ],
    [
      'index WHERE',
      params({ table: 'users', operation: 'create_index', columns: ['name'], where: "name <> '' ; DROP TABLE users" }),
      'where',
    ],
    [
      'USING',
      params({
        table: 'users',
        operation: 'alter_column_type',
        column_name: 'name',
        column_type: 'text',
        using: 'name); DROP TABLE users; --',
      }),
      'using',
    ],
    [
      'create_table type',
      params({
        table: 't2',
        operation: 'create_table',
        columns: [{ name: 'a', type: 'int); DROP TABLE users; --', nullable: true, unique: false, primary_key: false }],
      }),
      'columns',
    ],
    [
      'side effects in a default',
      params({
        table: 'users',
        operation: 'add_column',
        column_name: 'phone',
        column_type: 'text',
        default_value: { sql: 'pg_terminate_backend(1)::text' },
      }),
      'default_value',
    ],
  ];
  for (const [what, p, field] of attempts) {
    it(`rejects an injection through ${what} before any SQL carries it`, async () => {
      const recorder = new RecordingDriver(db.driver);
      const planned = await planSchemaChange(p, await introspect(db.driver), recorder);
      expect(planned.steps).toEqual([]);
      expect(errors(planned)).toEqual([expect.objectContaining({ field })]);
      expect(recorder.sql.filter((s) => /DROP TABLE|pg_terminate_backend/i.test(s))).toEqual([]);
      expect(findTable(await introspect(db.driver), 'users')).toBeDefined();
    });
  }
});
