import { describe, expect, it } from 'vitest';
import { applySchemaChange, chooseConstraintName, defaultConstraintName } from './schema-apply.ts';
import { schemaModificationParams, type SchemaModificationParams } from './nodes/schema-modification.ts';
import { findColumn, findTable, type Schema, type Table } from './schema.ts';

const col = (name: string, type: string, extra: Partial<Table['columns'][number]> = {}) => ({
  name,
  type,
  nullable: true,
  default: null,
  primaryKey: false,
  ...extra,
});

/** The demo database's users and orders, as introspection reports them. */
function demo(): Schema {
  return {
    dialect: 'postgres',
    version: '17.10',
    tables: [
      {
        name: 'users',
        columns: [
          col('id', 'integer', { nullable: false, primaryKey: true }),
          col('name', 'text'),
          col('email', 'varchar(255)'),
          col('deprecated_field', 'text'),
          col('created_at', 'timestamp'),
        ],
        indexes: [
          {
            name: 'users_pkey',
            table: 'users',
            columns: ['id'],
            unique: true,
            where: null,
            constraintBacked: true,
            sql: null,
          },
          {
            name: 'users_email_key',
            table: 'users',
            columns: ['email'],
            unique: true,
            where: null,
            constraintBacked: true,
            sql: null,
          },
          {
            name: 'idx_users_name',
            table: 'users',
            columns: ['name'],
            unique: false,
            where: 'deprecated_field IS NULL',
            constraintBacked: false,
            sql: 'CREATE INDEX idx_users_name ON users (name) WHERE deprecated_field IS NULL',
          },
        ],
        constraints: [
          {
            name: 'users_pkey',
            table: 'users',
            kind: 'primary_key',
            columns: ['id'],
            expression: null,
            references: null,
            validated: true,
          },
          {
            name: 'users_email_key',
            table: 'users',
            kind: 'unique',
            columns: ['email'],
            expression: null,
            references: null,
            validated: true,
          },
          {
            name: 'users_name_check',
            table: 'users',
            kind: 'check',
            columns: [],
            expression: 'length(name) > 0',
            references: null,
            validated: true,
          },
        ],
        rowEstimate: 3,
        ddl: 'CREATE TABLE users (...)',
      },
      {
        name: 'orders',
        columns: [
          col('id', 'integer', { nullable: false, primaryKey: true }),
          col('user_id', 'integer'),
          col('subtotal', 'numeric(10,2)'),
          col('tax', 'numeric(10,2)'),
          col('shipping', 'numeric(10,2)'),
          col('created_at', 'timestamp'),
        ],
        indexes: [
          {
            name: 'orders_pkey',
            table: 'orders',
            columns: ['id'],
            unique: true,
            where: null,
            constraintBacked: true,
            sql: null,
          },
          {
            name: 'idx_orders_user_id',
            table: 'orders',
            columns: ['user_id'],
            unique: false,
            where: null,
            constraintBacked: false,
            sql: 'CREATE INDEX idx_orders_user_id ON orders (user_id)',
          },
        ],
        constraints: [
          {
            name: 'orders_pkey',
            table: 'orders',
            kind: 'primary_key',
            columns: ['id'],
            expression: null,
            references: null,
            validated: true,
          },
          {
            name: 'orders_user_id_fkey',
            table: 'orders',
            kind: 'foreign_key',
            columns: ['user_id'],
            expression: null,
            references: { table: 'users', columns: ['id'], onDelete: 'cascade' },
            validated: true,
          },
        ],
        rowEstimate: 5,
        ddl: 'CREATE TABLE orders (...)',
      },
    ],
    views: [
      {
        name: 'order_totals',
        sql: 'SELECT user_id, sum(subtotal) FROM orders GROUP BY user_id',
        dependsOn: ['orders', 'orders.user_id', 'orders.subtotal'],
      },
    ],
    triggers: [{ name: 'orders_audit', table: 'orders', sql: 'CREATE TRIGGER orders_audit ...' }],
  };
}

/** Params as the engine hands them over: parsed by the node's schema. */
const op = (p: Record<string, unknown>): SchemaModificationParams => schemaModificationParams.parse(p);
const apply = (s: Schema, p: Record<string, unknown>) => applySchemaChange(s, op(p));
const table = (s: Schema, name: string) => {
  const t = findTable(s, name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
};
const column = (s: Schema, t: string, c: string) => findColumn(table(s, t), c);

describe('defaultConstraintName', () => {
  it('names constraints and indexes like PostgreSQL does', () => {
    expect(defaultConstraintName('users', 'unique', ['email'])).toBe('users_email_key');
    expect(defaultConstraintName('orders', 'not_null', ['total_amount'])).toBe('orders_total_amount_not_null');
    expect(defaultConstraintName('orders', 'check', ['total_amount'])).toBe('orders_total_amount_check');
    expect(defaultConstraintName('orders', 'check', [])).toBe('orders_check');
    expect(defaultConstraintName('orders', 'foreign_key', ['user_id'])).toBe('orders_user_id_fkey');
    expect(defaultConstraintName('orders', 'primary_key', ['id'])).toBe('orders_pkey');
    expect(defaultConstraintName('orders', 'index', ['user_id', 'created_at'])).toBe('idx_orders_user_id_created_at');
  });

  it('keeps long names within 63 characters, deterministically and distinctly', () => {
    const a = defaultConstraintName('t'.repeat(40), 'unique', ['c'.repeat(30)]);
    const b = defaultConstraintName('t'.repeat(40), 'unique', ['d'.repeat(30)]);
    expect(a.length).toBe(63);
    expect(a).toBe(defaultConstraintName('t'.repeat(40), 'unique', ['c'.repeat(30)]));
    expect(a).not.toBe(b);
  });

  it('chooseConstraintName adds a number when the name is taken', () => {
    expect(chooseConstraintName(demo(), 'users', 'unique', ['name'])).toBe('users_name_key');
    expect(chooseConstraintName(demo(), 'users', 'check', ['name'])).toBe('users_name_check1');
  });
});

describe('applySchemaChange', () => {
  it('never mutates its input', () => {
    const s = demo();
    const copy = structuredClone(s);
    apply(s, { table: 'users', operation: 'drop_column', column_name: 'email' });
    apply(s, { table: 'users', operation: 'rename_table', new_name: 'people' });
    expect(s).toEqual(copy);
  });

  it('add_column: canonical type, nullability, rendered default, descriptive DDL', () => {
    const s = applySchemaChange(
      demo(),
      op({
        table: 'orders',
        operation: 'add_column',
        column_name: 'processing_status',
        column_type: 'VARCHAR( 50 )',
        nullable: false,
        default_value: 'pending',
      }),
      { literal: (v) => `<${String(v)}>` },
    );
    expect(column(s, 'orders', 'processing_status')).toEqual({
      name: 'processing_status',
      type: 'varchar(50)',
      nullable: false,
      default: '<pending>',
      primaryKey: false,
    });
    expect(table(s, 'orders').ddl).toContain('"processing_status" varchar(50) NOT NULL DEFAULT <pending>');
    expect(table(s, 'users').ddl).toBe('CREATE TABLE users (...)');
  });

  it('add_column: default literals without a renderer, SQL defaults as text, null as no default', () => {
    const s1 = apply(demo(), {
      table: 'users',
      operation: 'add_column',
      column_name: 'nick',
      column_type: 'text',
      default_value: "O'Brien",
    });
    expect(column(s1, 'users', 'nick')?.default).toBe("'O''Brien'");
    const s2 = apply(demo(), {
      table: 'users',
      operation: 'add_column',
      column_name: 'is_active',
      column_type: 'bool',
      nullable: false,
      default_value: true,
    });
    expect(column(s2, 'users', 'is_active')).toMatchObject({ type: 'boolean', default: 'true', nullable: false });
    const sqlite = { ...demo(), dialect: 'sqlite' as const };
    expect(
      column(
        apply(sqlite, {
          table: 'users',
          operation: 'add_column',
          column_name: 'b',
          column_type: 'boolean',
          default_value: false,
        }),
        'users',
        'b',
      )?.default,
    ).toBe('FALSE');
    const s3 = apply(demo(), {
      table: 'users',
      operation: 'add_column',
      column_name: 'last_login',
      column_type: 'timestamp',
      default_value: { sql: ' CURRENT_TIMESTAMP ' },
    });
    expect(column(s3, 'users', 'last_login')?.default).toBe('CURRENT_TIMESTAMP');
    const s4 = apply(demo(), {
      table: 'users',
      operation: 'add_column',
      column_name: 'n',
      column_type: 'integer',
      default_value: null,
    });
    expect(column(s4, 'users', 'n')).toMatchObject({ default: null, nullable: true });
  });

  it('add_column with unique adds a unique constraint and its index', () => {
    const s = apply(
      {
        ...demo(),
        tables: [...demo().tables, { ...table(demo(), 'users'), name: 'contacts', indexes: [], constraints: [] }],
      },
      {
        table: 'contacts',
        operation: 'add_column',
        column_name: 'phone',
        column_type: 'varchar(255)',
        nullable: false,
        unique: true,
      },
    );
    const t = table(s, 'contacts');
    expect(t.constraints).toContainEqual({
      name: 'contacts_phone_key',
      table: 'contacts',
      kind: 'unique',
      columns: ['phone'],
      expression: null,
      references: null,
      validated: true,
    });
    expect(t.indexes).toContainEqual({
      name: 'contacts_phone_key',
      table: 'contacts',
      columns: ['phone'],
      unique: true,
      where: null,
      constraintBacked: true,
      sql: null,
    });
  });

  it('add_column rejects a bad type, an existing column and a missing table', () => {
    expect(() =>
      apply(demo(), {
        table: 'users',
        operation: 'add_column',
        column_name: 'x',
        column_type: 'varchar(20); DROP TABLE users',
      }),
    ).toThrow(/is not a column type/);
    expect(() =>
      apply(demo(), { table: 'users', operation: 'add_column', column_name: 'email', column_type: 'text' }),
    ).toThrow('column "email" already exists in table "users"');
    expect(() =>
      apply(demo(), { table: 'nope', operation: 'add_column', column_name: 'x', column_type: 'text' }),
    ).toThrow('add_column on "nope": table "nope" does not exist');
  });

  it('drop_column drops the indexes and constraints that involve the column', () => {
    const s = apply(demo(), { table: 'users', operation: 'drop_column', column_name: 'email' });
    const t = table(s, 'users');
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'name', 'deprecated_field', 'created_at']);
    expect(t.indexes.map((i) => i.name)).toEqual(['users_pkey', 'idx_users_name']);
    expect(t.constraints.map((c) => c.name)).toEqual(['users_pkey', 'users_name_check']);
    const s2 = apply(demo(), { table: 'users', operation: 'drop_column', column_name: 'deprecated_field' });
    expect(table(s2, 'users').indexes.map((i) => i.name)).toEqual(['users_pkey', 'users_email_key']);
    const s3 = apply(demo(), { table: 'users', operation: 'drop_column', column_name: 'name' });
    expect(table(s3, 'users').constraints.map((c) => c.name)).toEqual(['users_pkey', 'users_email_key']);
  });

  it('drop_column refuses a column a foreign key references, and a missing column unless if_exists', () => {
    expect(() => apply(demo(), { table: 'users', operation: 'drop_column', column_name: 'id' })).toThrow(
      /referenced by foreign key "orders_user_id_fkey" of table "orders"/,
    );
    expect(() => apply(demo(), { table: 'users', operation: 'drop_column', column_name: 'nope' })).toThrow(
      /column "nope" of table "users" does not exist; set if_exists/,
    );
    expect(
      apply(demo(), { table: 'users', operation: 'drop_column', column_name: 'nope', if_exists: true }).tables,
    ).toEqual(demo().tables);
  });

  it('drop_column of the primary key column clears primaryKey', () => {
    const s = apply(demo(), { table: 'orders', operation: 'drop_column', column_name: 'id' });
    expect(table(s, 'orders').constraints.map((c) => c.name)).toEqual(['orders_user_id_fkey']);
    expect(table(s, 'orders').columns.some((c) => c.primaryKey)).toBe(false);
  });

  it('rename_column renames it in indexes, constraints, expressions and foreign keys', () => {
    const s = apply(demo(), { table: 'users', operation: 'rename_column', column_name: 'name', new_name: 'full_name' });
    const t = table(s, 'users');
    expect(column(s, 'users', 'full_name')).toBeDefined();
    expect(column(s, 'users', 'name')).toBeUndefined();
    expect(t.indexes.find((i) => i.name === 'idx_users_name')).toMatchObject({
      columns: ['full_name'],
      where: 'deprecated_field IS NULL',
    });
    expect(t.constraints.find((c) => c.name === 'users_name_check')?.expression).toBe('length(full_name) > 0');
    const s2 = apply(demo(), { table: 'users', operation: 'rename_column', column_name: 'id', new_name: 'user_id' });
    expect(table(s2, 'orders').constraints[1]?.references?.columns).toEqual(['user_id']);
    const s3 = apply(demo(), {
      table: 'users',
      operation: 'rename_column',
      column_name: 'deprecated_field',
      new_name: 'OldField',
    });
    expect(table(s3, 'users').indexes[2]?.where).toBe('"OldField" IS NULL');
    expect(table(s3, 'users').indexes[2]?.sql).toBe(
      'CREATE INDEX "idx_users_name" ON "users" ("name") WHERE "OldField" IS NULL',
    );
    expect(() =>
      apply(demo(), { table: 'users', operation: 'rename_column', column_name: 'name', new_name: 'email' }),
    ).toThrow(/already exists/);
    expect(() =>
      apply(demo(), { table: 'users', operation: 'rename_column', column_name: 'nope', new_name: 'x' }),
    ).toThrow(/column "nope" does not exist/);
  });

  it('alter_column_type, set_default and drop_default', () => {
    let s = apply(demo(), {
      table: 'orders',
      operation: 'alter_column_type',
      column_name: 'subtotal',
      column_type: 'decimal(12, 3)',
      using: 'subtotal::numeric',
    });
    expect(column(s, 'orders', 'subtotal')?.type).toBe('numeric(12,3)');
    s = apply(s, { table: 'orders', operation: 'set_default', column_name: 'tax', default_value: 0 });
    expect(column(s, 'orders', 'tax')?.default).toBe('0');
    s = apply(s, { table: 'orders', operation: 'drop_default', column_name: 'tax' });
    expect(column(s, 'orders', 'tax')?.default).toBeNull();
    expect(() =>
      apply(demo(), { table: 'orders', operation: 'alter_column_type', column_name: 'tax', column_type: 'money' }),
    ).toThrow(/unknown type name/);
    expect(() => apply(demo(), { table: 'orders', operation: 'drop_default', column_name: 'nope' })).toThrow(
      /does not exist/,
    );
  });

  it('add_constraint not_null makes the column NOT NULL', () => {
    const s = apply(demo(), {
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'not_null',
      column_name: 'subtotal',
    });
    expect(column(s, 'orders', 'subtotal')?.nullable).toBe(false);
    expect(table(s, 'orders').constraints).toEqual(table(demo(), 'orders').constraints);
  });

  it('add_constraint unique, check, foreign_key and primary_key', () => {
    let s = apply(demo(), {
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'unique',
      columns: ['user_id', 'created_at'],
    });
    expect(table(s, 'orders').constraints.at(-1)).toMatchObject({
      name: 'orders_user_id_created_at_key',
      kind: 'unique',
      columns: ['user_id', 'created_at'],
    });
    expect(table(s, 'orders').indexes.at(-1)).toMatchObject({
      name: 'orders_user_id_created_at_key',
      unique: true,
      constraintBacked: true,
    });
    s = apply(s, {
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'check',
      column_name: 'tax',
      expression: ' tax >= 0 ',
    });
    expect(table(s, 'orders').constraints.at(-1)).toEqual({
      name: 'orders_tax_check',
      table: 'orders',
      kind: 'check',
      columns: ['tax'],
      expression: 'tax >= 0',
      references: null,
      validated: true,
    });
    s = apply(s, {
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'check',
      column_name: 'tax',
      expression: 'tax < 100',
    });
    expect(table(s, 'orders').constraints.at(-1)?.name).toBe('orders_tax_check1');
    s = apply(s, {
      table: 'users',
      operation: 'add_constraint',
      constraint_type: 'foreign_key',
      constraint_name: 'users_self',
      column_name: 'name',
      references: { table: 'users', column: 'email' },
    });
    expect(table(s, 'users').constraints.at(-1)).toMatchObject({
      name: 'users_self',
      kind: 'foreign_key',
      columns: ['name'],
      references: { table: 'users', columns: ['email'], onDelete: null },
    });
    expect(table(s, 'users').ddl).toContain(
      'CONSTRAINT "users_self" FOREIGN KEY ("name") REFERENCES "users" ("email")',
    );
    const noPk = apply(demo(), { table: 'orders', operation: 'drop_constraint', constraint_name: 'orders_pkey' });
    expect(column(noPk, 'orders', 'id')?.primaryKey).toBe(false);
    const pk = apply(noPk, {
      table: 'orders',
      operation: 'add_constraint',
      constraint_type: 'primary_key',
      column_name: 'id',
    });
    expect(column(pk, 'orders', 'id')).toMatchObject({ primaryKey: true, nullable: false });
    expect(table(pk, 'orders').constraints.at(-1)).toMatchObject({ name: 'orders_pkey', kind: 'primary_key' });
    expect(table(pk, 'orders').indexes.at(-1)).toMatchObject({ name: 'orders_pkey', constraintBacked: true });
  });

  it('add_constraint refuses what is absent or in the way', () => {
    expect(() =>
      apply(demo(), {
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'primary_key',
        column_name: 'user_id',
      }),
    ).toThrow(/already has a primary key \("orders_pkey"\)/);
    expect(() =>
      apply(demo(), {
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'user_id',
        references: { table: 'accounts', column: 'id' },
      }),
    ).toThrow(/referenced table "accounts" does not exist/);
    expect(() =>
      apply(demo(), {
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'foreign_key',
        column_name: 'user_id',
        references: { table: 'users', column: 'uid' },
      }),
    ).toThrow(/column "uid" does not exist in table "users"/);
    expect(() =>
      apply(demo(), { table: 'orders', operation: 'add_constraint', constraint_type: 'unique', column_name: 'nope' }),
    ).toThrow(/column "nope" does not exist/);
    expect(() =>
      apply(demo(), {
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'check',
        constraint_name: 'users_pkey',
        expression: 'tax > 0',
      }),
    ).toThrow(/"users_pkey" is already used/);
    expect(() =>
      apply(demo(), { table: 'orders', operation: 'add_constraint', constraint_type: 'not_null', column_name: 'nope' }),
    ).toThrow(/does not exist/);
  });

  it('drop_constraint removes the constraint and its index, or a unique index of that name', () => {
    const s = apply(demo(), { table: 'users', operation: 'drop_constraint', constraint_name: 'users_email_key' });
    expect(table(s, 'users').constraints.map((c) => c.name)).toEqual(['users_pkey', 'users_name_check']);
    expect(table(s, 'users').indexes.map((i) => i.name)).toEqual(['users_pkey', 'idx_users_name']);
    const withIdx = apply(demo(), {
      table: 'users',
      operation: 'create_index',
      index_name: 'users_created_uq',
      columns: ['created_at'],
      unique: true,
    });
    const s2 = apply(withIdx, { table: 'users', operation: 'drop_constraint', constraint_name: 'users_created_uq' });
    expect(table(s2, 'users').indexes).toEqual(table(demo(), 'users').indexes);
    expect(() =>
      apply(demo(), { table: 'users', operation: 'drop_constraint', constraint_name: 'idx_users_name' }),
    ).toThrow(/constraint "idx_users_name" of table "users" does not exist/);
    expect(
      apply(demo(), { table: 'users', operation: 'drop_constraint', constraint_name: 'nope', if_exists: true }),
    ).toEqual(demo());
    const sqlite = demo();
    const users = table(sqlite, 'users');
    users.indexes[1] = { ...users.indexes[1]!, name: 'sqlite_autoindex_users_1' };
    const s3 = apply(sqlite, { table: 'users', operation: 'drop_constraint', constraint_name: 'users_email_key' });
    expect(table(s3, 'users').indexes.map((i) => i.name)).toEqual(['users_pkey', 'idx_users_name']);
  });

  it('create_index and drop_index', () => {
    const s = apply(demo(), {
      table: 'orders',
      operation: 'create_index',
      columns: ['created_at', 'id'],
      where: 'tax > 0',
    });
    expect(table(s, 'orders').indexes.at(-1)).toEqual({
      name: 'idx_orders_created_at_id',
      table: 'orders',
      columns: ['created_at', 'id'],
      unique: false,
      where: 'tax > 0',
      constraintBacked: false,
      sql: 'CREATE INDEX "idx_orders_created_at_id" ON "orders" ("created_at", "id") WHERE tax > 0',
    });
    expect(() =>
      apply(s, {
        table: 'orders',
        operation: 'create_index',
        index_name: 'idx_orders_created_at_id',
        columns: ['tax'],
      }),
    ).toThrow(/already used/);
    expect(() => apply(s, { table: 'orders', operation: 'create_index', columns: ['nope'] })).toThrow(
      /column "nope" does not exist/,
    );
    const d = apply(s, { table: 'orders', operation: 'drop_index', index_name: 'idx_orders_created_at_id' });
    expect(table(d, 'orders').indexes).toEqual(table(demo(), 'orders').indexes);
    expect(() => apply(demo(), { table: 'orders', operation: 'drop_index', index_name: 'orders_pkey' })).toThrow(
      /belongs to constraint "orders_pkey"; use drop_constraint/,
    );
    expect(() => apply(demo(), { table: 'orders', operation: 'drop_index', index_name: 'idx_users_name' })).toThrow(
      /belongs to table "users", not "orders"/,
    );
    expect(() => apply(demo(), { table: 'orders', operation: 'drop_index', index_name: 'nope' })).toThrow(
      /index "nope" does not exist/,
    );
    expect(apply(demo(), { table: 'orders', operation: 'drop_index', index_name: 'nope', if_exists: true })).toEqual(
      demo(),
    );
  });

  it('create_table builds columns, primary key and unique constraints', () => {
    const s = apply(demo(), {
      table: 'user_preferences',
      operation: 'create_table',
      primary_key: ['id'],
      columns: [
        { name: 'id', type: 'bigint' },
        { name: 'user_id', type: 'int', nullable: false, unique: true },
        { name: 'prefs', type: 'jsonb', default_value: { sql: "'{}'::jsonb" } },
      ],
    });
    const t = table(s, 'user_preferences');
    expect(t.columns).toEqual([
      { name: 'id', type: 'bigint', nullable: false, default: null, primaryKey: true },
      { name: 'user_id', type: 'integer', nullable: false, default: null, primaryKey: false },
      { name: 'prefs', type: 'jsonb', nullable: true, default: "'{}'::jsonb", primaryKey: false },
    ]);
    expect(t.constraints.map((c) => [c.name, c.kind])).toEqual([
      ['user_preferences_pkey', 'primary_key'],
      ['user_preferences_user_id_key', 'unique'],
    ]);
    expect(t.indexes.map((i) => i.name)).toEqual(['user_preferences_pkey', 'user_preferences_user_id_key']);
    expect(t.rowEstimate).toBe(0);
    expect(t.ddl).toBe(
      [
        'CREATE TABLE "user_preferences" (',
        '  "id" bigint NOT NULL,',
        '  "user_id" integer NOT NULL,',
        `  "prefs" jsonb DEFAULT '{}'::jsonb,`,
        '  CONSTRAINT "user_preferences_pkey" PRIMARY KEY ("id"),',
        '  CONSTRAINT "user_preferences_user_id_key" UNIQUE ("user_id")',
        ')',
      ].join('\n'),
    );
    const flagged = apply(demo(), {
      table: 'tags',
      operation: 'create_table',
      columns: [{ name: 'tag', type: 'text', primary_key: true }],
    });
    expect(table(flagged, 'tags').constraints[0]).toMatchObject({ name: 'tags_pkey', columns: ['tag'] });
  });

  it('create_table refuses duplicates and inconsistent keys', () => {
    expect(() =>
      apply(demo(), { table: 'users', operation: 'create_table', columns: [{ name: 'id', type: 'int' }] }),
    ).toThrow(/"users" already exists/);
    expect(() =>
      apply(demo(), { table: 'order_totals', operation: 'create_table', columns: [{ name: 'id', type: 'int' }] }),
    ).toThrow(/already exists/);
    expect(() =>
      apply(demo(), {
        table: 't',
        operation: 'create_table',
        columns: [
          { name: 'a', type: 'int' },
          { name: 'a', type: 'text' },
        ],
      }),
    ).toThrow(/column "a" appears twice/);
    expect(() =>
      apply(demo(), {
        table: 't',
        operation: 'create_table',
        primary_key: ['b'],
        columns: [{ name: 'a', type: 'int' }],
      }),
    ).toThrow(/primary_key column "b"/);
    expect(() =>
      apply(demo(), {
        table: 't',
        operation: 'create_table',
        primary_key: ['a'],
        columns: [
          { name: 'a', type: 'int' },
          { name: 'b', type: 'int', primary_key: true },
        ],
      }),
    ).toThrow(/disagrees/);
    expect(() =>
      apply(demo(), { table: 't', operation: 'create_table', columns: [{ name: 'a', type: 'int4 --' }] }),
    ).toThrow(/is not a column type/);
  });

  it('drop_table removes the table and its triggers, unless a foreign key references it', () => {
    const s = apply(demo(), { table: 'orders', operation: 'drop_table' });
    expect(s.tables.map((t) => t.name)).toEqual(['users']);
    expect(s.triggers).toEqual([]);
    expect(() => apply(demo(), { table: 'users', operation: 'drop_table' })).toThrow(
      /referenced by foreign key "orders_user_id_fkey"/,
    );
    expect(() => apply(demo(), { table: 'nope', operation: 'drop_table' })).toThrow(
      /table "nope" does not exist; set if_exists/,
    );
    expect(apply(demo(), { table: 'nope', operation: 'drop_table', if_exists: true })).toEqual(demo());
  });

  it('rename_table renames every reference to the table', () => {
    const s = apply(demo(), { table: 'users', operation: 'rename_table', new_name: 'people' });
    const t = table(s, 'people');
    expect(findTable(s, 'users')).toBeUndefined();
    expect(t.indexes.every((i) => i.table === 'people')).toBe(true);
    expect(t.indexes[2]?.sql).toBe('CREATE INDEX "idx_users_name" ON "people" ("name") WHERE deprecated_field IS NULL');
    expect(t.constraints.every((c) => c.table === 'people')).toBe(true);
    expect(table(s, 'orders').constraints[1]?.references?.table).toBe('people');
    const o = apply(demo(), { table: 'orders', operation: 'rename_table', new_name: 'purchases' });
    expect(o.triggers[0]?.table).toBe('purchases');
    expect(o.views[0]?.dependsOn).toEqual(['purchases', 'purchases.user_id', 'purchases.subtotal']);
    expect(() => apply(demo(), { table: 'users', operation: 'rename_table', new_name: 'orders' })).toThrow(
      /"orders" already exists/,
    );
  });

  it('chains operations the way plan mode carries the schema', () => {
    let s = demo();
    for (const p of [
      {
        table: 'orders',
        operation: 'add_column',
        column_name: 'total_amount',
        column_type: 'decimal(10,2)',
        nullable: true,
      },
      { table: 'orders', operation: 'add_constraint', constraint_type: 'not_null', column_name: 'total_amount' },
      {
        table: 'orders',
        operation: 'add_constraint',
        constraint_type: 'check',
        column_name: 'total_amount',
        expression: 'total_amount >= 0',
      },
      { table: 'orders', operation: 'rename_column', column_name: 'total_amount', new_name: 'total' },
    ])
      s = apply(s, p);
    expect(column(s, 'orders', 'total')).toEqual({
      name: 'total',
      type: 'numeric(10,2)',
      nullable: false,
      default: null,
      primaryKey: false,
    });
    expect(table(s, 'orders').constraints.at(-1)).toMatchObject({
      name: 'orders_total_amount_check',
      columns: ['total'],
      expression: 'total >= 0',
    });
  });
});
