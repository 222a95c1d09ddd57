import { describe, expect, it } from 'vitest';
import type { Column, Schema, Table } from '../schema.ts';
import { validateWorkflow } from '../workflow.ts';
import { compareModels } from './models.ts';
import { importPython } from './parse.ts';

const col = (name: string, type: string, nullable = true, primaryKey = false): Column => ({
  name,
  type,
  nullable,
  default: null,
  primaryKey,
});
/** The conventional id as the database numbers it (an identity column, SQLite's rowid alias). */
const id = (): Column => ({ ...col('id', 'integer', false, true), identity: true });
const table = (name: string, columns: Column[], rowEstimate = 0): Table => ({
  name,
  columns,
  indexes: [],
  constraints: [],
  rowEstimate,
  ddl: '',
});
const schema = (dialect: Schema['dialect'], tables: Table[]): Schema => ({
  dialect,
  version: '0',
  tables,
  views: [],
  triggers: [],
});

function models(python: string) {
  const r = importPython(python);
  expect(r.problems).toEqual([]);
  return r.models;
}

const USER = models(`@db.model
class User:
    name: str
    email: str
    phone_number: Optional[str] = None
    active: bool = True

@db.model
class OrderItem:
    quantity: int
    attrs: dict
`);

describe('compareModels', () => {
  it('creates missing tables with id, the fields and timestamps, between a pending and a completed MigrationNode', () => {
    const { workflow, warnings, changes } = compareModels(USER, schema('postgres', []));
    expect(warnings).toEqual([]);
    expect(changes).toEqual(['create table users', 'create table order_items']);
    expect(validateWorkflow(workflow)).toEqual([]);
    expect(workflow.nodes.map((n) => n.id)).toEqual([
      'track_models',
      'create_users',
      'create_order_items',
      'complete_models',
    ]);
    expect(workflow.connections.map((c) => `${c.source}->${c.target}`)).toEqual([
      'track_models->create_users',
      'create_users->create_order_items',
      'create_order_items->complete_models',
    ]);
    const migration = workflow.nodes[0]!.params.migration_name;
    expect(migration).toMatch(/^models_[0-9a-f]{8}$/);
    expect(workflow.nodes[0]!.params).toEqual({ migration_name: migration, status: 'pending' });
    expect(workflow.nodes[3]!.params).toEqual({ migration_name: migration, status: 'completed' });
    expect(workflow.nodes[1]!.params).toEqual({
      table: 'users',
      operation: 'create_table',
      columns: [
        { name: 'id', type: 'integer', nullable: false, unique: false, primary_key: true, identity: true },
        { name: 'name', type: 'text', nullable: false, unique: false, primary_key: false },
        { name: 'email', type: 'text', nullable: false, unique: false, primary_key: false },
        { name: 'phone_number', type: 'text', nullable: true, unique: false, primary_key: false },
        { name: 'active', type: 'boolean', nullable: false, default_value: true, unique: false, primary_key: false },
        {
          name: 'created_at',
          type: 'timestamp',
          nullable: false,
          default_value: { sql: 'CURRENT_TIMESTAMP' },
          unique: false,
          primary_key: false,
        },
        {
          name: 'updated_at',
          type: 'timestamp',
          nullable: false,
          default_value: { sql: 'CURRENT_TIMESTAMP' },
          unique: false,
          primary_key: false,
        },
      ],
    });
    expect(workflow.nodes.map((n) => n.position.x)).toEqual([0, 300, 600, 900]);
  });

  it('adds missing columns (implicit timestamps nullable) and warns about drops and type changes', () => {
    const live = schema('postgres', [
      table(
        'users',
        [
          id(),
          col('name', 'varchar(100)', false),
          col('email', 'integer', false),
          col('deprecated_field', 'text'),
          col('created_at', 'timestamptz'),
        ],
        10,
      ),
    ]);
    const { workflow, warnings, changes } = compareModels(USER.slice(0, 1), live);
    expect(changes).toEqual([
      'add column users.phone_number text',
      'add column users.active boolean NOT NULL',
      'add column users.updated_at timestamp',
    ]);
    expect(workflow.nodes.slice(1, -1).map((n) => n.params)).toEqual([
      { table: 'users', operation: 'add_column', column_name: 'phone_number', column_type: 'text', nullable: true },
      {
        table: 'users',
        operation: 'add_column',
        column_name: 'active',
        column_type: 'boolean',
        nullable: false,
        default_value: true,
      },
      { table: 'users', operation: 'add_column', column_name: 'updated_at', column_type: 'timestamp', nullable: true },
    ]);
    expect(warnings).toEqual([
      'users.email is integer in the database but text in model User; not changed (a type change can lose data): rerun with --allow-destructive to alter it',
      'users.deprecated_field is not in model User; kept (dropping loses its data): rerun with --allow-destructive to drop it',
    ]);
    expect(validateWorkflow(workflow)).toEqual([]);
  });

  it('drops and alters with allowDestructive', () => {
    const live = schema('postgres', [
      table('users', [
        id(),
        col('name', 'text', false),
        col('email', 'integer', false),
        col('phone_number', 'text'),
        col('active', 'boolean', false),
        col('deprecated_field', 'text'),
        col('created_at', 'timestamp'),
        col('updated_at', 'timestamp'),
      ]),
    ]);
    const { workflow, changes } = compareModels(USER.slice(0, 1), live, { allowDestructive: true });
    expect(changes).toEqual(['alter column users.email from integer to text', 'drop column users.deprecated_field']);
    expect(workflow.nodes.slice(1, -1).map((n) => n.params)).toEqual([
      { table: 'users', operation: 'alter_column_type', column_name: 'email', column_type: 'text' },
      { table: 'users', operation: 'drop_column', column_name: 'deprecated_field' },
    ]);
  });

  it('gives an empty workflow when the schema matches, SQLite storing bool, timestamps and JSON its own way', () => {
    const live = schema('sqlite', [
      table('users', [
        id(),
        col('name', 'text', false),
        col('email', 'varchar(255)', false),
        col('phone_number', 'text'),
        col('active', 'integer', false),
        col('created_at', 'text', false),
        col('updated_at', 'text', false),
      ]),
      table('order_items', [
        id(),
        col('quantity', 'bigint', false),
        col('attrs', 'text', false),
        col('created_at', 'timestamp', false),
        col('updated_at', 'timestamp', false),
      ]),
      table('unrelated', [col('x', 'text')]),
    ]);
    const result = compareModels(USER, live);
    expect(result).toEqual({
      workflow: expect.objectContaining({ nodes: [], connections: [] }),
      warnings: [],
      changes: [],
    });
    const pg = compareModels(USER, { ...live, dialect: 'postgres' });
    expect(pg.warnings.map((w) => w.split(' ')[0])).toEqual([
      'users.active',
      'users.created_at',
      'users.updated_at',
      'order_items.attrs',
    ]);
  });

  it('warns about NOT NULL columns without a default on a table with rows, a missing id and nullability', () => {
    const [user] = models('@db.model\nclass User:\n    name: str\n    nick: Optional[str]\n');
    const live = schema('postgres', [
      table('users', [col('nick', 'text', false), col('created_at', 'timestamp'), col('updated_at', 'timestamp')], 5),
    ]);
    const { warnings, changes } = compareModels([user!], live);
    expect(changes).toEqual(['add column users.name text NOT NULL']);
    expect(warnings).toEqual([
      'users.id: the table has no "id" column and a primary key cannot be added in place; recreate the table to match model User',
      'users.name: NOT NULL without a default fails on a table with rows (about 5); give field "name" a default or make it Optional',
      'users.nick is NOT NULL in the database but nullable in model User; not changed',
    ]);
  });

  it('creates id as an identity column, and warns when a live id is not numbered by the database', () => {
    const [user] = models('@db.model\nclass Customer:\n    name: str\n');
    const created = compareModels([user!], schema('postgres', []));
    expect(created.workflow.nodes[1]!.params.columns).toContainEqual({
      name: 'id',
      type: 'integer',
      nullable: false,
      unique: false,
      primary_key: true,
      identity: true,
    });
    const live = schema('postgres', [
      table('customers', [
        col('id', 'integer', false, true),
        col('name', 'text', false),
        col('created_at', 'timestamp', false),
        col('updated_at', 'timestamp', false),
      ]),
    ]);
    expect(compareModels([user!], live).warnings).toEqual([
      'customers.id is not numbered by the database (model Customer expects an identity column), so an INSERT must give "id"; not changed: an existing column cannot be made an identity column here',
    ]);
  });

  it('names the migration after the changes, so the same changes give the same name', () => {
    const a = compareModels(USER, schema('sqlite', []));
    const b = compareModels(USER, schema('sqlite', []));
    const c = compareModels(USER.slice(0, 1), schema('sqlite', []));
    expect(a.workflow.nodes[0]!.params.migration_name).toBe(b.workflow.nodes[0]!.params.migration_name);
    expect(a.workflow.nodes[0]!.params.migration_name).not.toBe(c.workflow.nodes[0]!.params.migration_name);
  });
});
