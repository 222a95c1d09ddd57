/**
 * A run reads the whole schema once: the preflight plan's read is the run's schema before, and
 * after each schema change only the tables it changed are read again. What the run reports and
 * records from those reads (the diff, each node's schema before and after) is what full reads give.
 * On SQLite a plan reads the details of the tables it needs only (shared/deferred-tables.ts).
 */
import { afterEach, expect, test } from 'vitest';
import { unreadDetails } from '../../shared/deferred-tables.ts';
import { diffSchemas } from '../../shared/diff.ts';
import type { Schema } from '../../shared/schema.ts';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import { node, workflow } from '../../test/workflows.ts';
import type { Database } from '../db/connect.ts';
import type { Dialect } from '../db/dialect.ts';
import { encodeSnapshot } from '../db/schema-snapshot.ts';
import { runWorkflow } from './run.ts';

let db: (TestDatabase & { cleanup(): Promise<void> }) | null = null;
afterEach(async () => {
  await db?.cleanup();
  db = null;
});

const change = (id: string, params: Record<string, unknown>) => node(id, 'SchemaModificationNode', params);
const changes = workflow([
  change('rename', { table: 'parents', operation: 'rename_table', new_name: 'families' }),
  change('add', { table: 'families', operation: 'add_column', column_name: 'born', column_type: 'text' }),
  change('index', { table: 'families', operation: 'create_index', columns: ['born'], index_name: 'families_born' }),
  change('drop', { table: 'children', operation: 'drop_column', column_name: 'note' }),
  change('create', {
    table: 'newcomer',
    operation: 'create_table',
    columns: [{ name: 'id', type: 'integer', primary_key: true, nullable: false }],
  }),
]);
const SETUP = `
  CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT);
  CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id), note TEXT);
  CREATE TABLE untouched (id INTEGER PRIMARY KEY, v TEXT);
  CREATE VIEW parent_names AS SELECT name FROM parents;
  INSERT INTO parents (id, name) VALUES (1, 'a'), (2, 'b');
`;

/** The database, keeping each whole-schema read (an introspection without a refresh). */
function keptReads(d: Database): { db: Database; reads: Schema[] } {
  const reads: Schema[] = [];
  const introspect: Dialect['introspect'] = async (driver, refresh, options) => {
    const schema = await d.dialect.introspect(driver, refresh, options);
    if (!refresh) reads.push(schema);
    return schema;
  };
  return { db: { ...d, dialect: { ...d.dialect, introspect } }, reads };
}

for (const dialect of DIALECTS) {
  test(`${dialect}: rehearse reads the schema once, and reports the diff full reads give`, async () => {
    db = await createTestDatabase(dialect);
    await db.setup(SETUP);
    const kept = keptReads(db);
    const r = await runWorkflow(changes, kept.db, { mode: 'rehearse', preflight: true });
    expect(r.status).toBe('succeeded');
    expect(kept.reads).toHaveLength(1);
    // The same changes applied to a copy of the database: the same diff.
    const copy = await createTestDatabase(dialect);
    try {
      await copy.setup(SETUP);
      const applied = await runWorkflow(changes, copy, { mode: 'apply', preflight: true });
      expect(applied.status).toBe('succeeded');
      expect(r.diff).toEqual(applied.diff);
      expect(r.diff?.changes.length).toBeGreaterThan(0);
    } finally {
      await copy.cleanup();
    }
  });

  test(`${dialect}: apply records each node's schema before and after as full reads give`, async () => {
    db = await createTestDatabase(dialect);
    await db.setup(SETUP);
    const before = await db.dialect.introspect(db.driver);
    const snapshots = new Map<string, string>();
    const r = await runWorkflow(changes, db, { mode: 'apply', preflight: true, snapshots });
    expect(r.status).toBe('succeeded');
    const after = await db.dialect.introspect(db.driver);
    expect(r.diff).toEqual(diffSchemas(before, after));
    const ids = ['rename', 'add', 'index', 'drop', 'create'];
    expect(r.nodes.rename!.schemaBefore).toBe(encodeSnapshot(before).hash);
    expect(r.nodes.create!.schemaAfter).toBe(encodeSnapshot(after).hash);
    for (let i = 1; i < ids.length; i++) expect(r.nodes[ids[i]!]!.schemaBefore).toBe(r.nodes[ids[i - 1]!]!.schemaAfter);
    expect(new Set(ids.map((id) => r.nodes[id]!.schemaAfter)).size).toBe(ids.length);
  });
}

test('sqlite: a plan reads the details of the tables its nodes change and of those tied to them by foreign keys, no others', async () => {
  db = await createTestDatabase('sqlite');
  await db.setup(SETUP);
  const { db: reading, reads } = keptReads(db);
  const plan = workflow([
    change('add', { table: 'parents', operation: 'add_column', column_name: 'born', column_type: 'text' }),
    change('drop', { table: 'children', operation: 'drop_column', column_name: 'note' }),
  ]);
  const r = await runWorkflow(plan, reading, { mode: 'plan' });
  expect(r.status).toBe('succeeded');
  expect(r.nodes.drop!.sql.map((s) => s.sql).join('\n')).toMatch(/DROP COLUMN "note"/);
  expect(reads).toHaveLength(1);
  expect(reads[0]!.tables.filter((t) => unreadDetails(t)).map((t) => t.name)).toEqual(['untouched']);
});

/** A chain of 40 tables, each with a foreign key to the one before it (the first to itself) and an index. */
const CHAIN = Array.from({ length: 40 }, (_, i) => {
  const t = `c${String(i).padStart(2, '0')}`;
  const parent = `c${String(Math.max(0, i - 1)).padStart(2, '0')}`;
  return (
    `CREATE TABLE ${t} (id INTEGER PRIMARY KEY, parent_id int REFERENCES ${parent} (id), name text NOT NULL, ` +
    `status text DEFAULT 'new', amount numeric(12,2)); CREATE INDEX ${t}_name ON ${t} (name);`
  );
}).join('\n');

test('sqlite: a plan of metrics before and after a change on one table of 40 reads that table and its neighbours', async () => {
  db = await createTestDatabase('sqlite');
  await db.setup(CHAIN);
  const { db: reading, reads } = keptReads(db);
  const metrics = (id: string, compare?: string) =>
    node(id, 'MonitoringNode', {
      capture_metrics: ['query_performance', 'table_size', 'index_usage'],
      tables: ['c10'],
      ...(compare && { compare_with: compare }),
    });
  const plan = workflow(
    [
      metrics('before'),
      change('add', { table: 'c10', operation: 'add_column', column_name: 'notes', column_type: 'text' }),
      metrics('after', 'before'),
    ],
    ['before.result->add.input', 'add.result->after.input'],
  );
  const r = await runWorkflow(plan, reading, { mode: 'plan' });
  expect(r.status, r.error ?? '').toBe('succeeded');
  expect(reads.length).toBeGreaterThan(1);
  for (const read of reads) expect(read.tables.filter((t) => !unreadDetails(t)).length).toBeLessThanOrEqual(3);
});

test.each([
  { operation: 'add_column', column_name: 'notes', column_type: 'text' },
  { operation: 'add_column', column_name: 'code', column_type: 'text', unique: true },
  { operation: 'drop_column', column_name: 'status' },
  { operation: 'rename_column', column_name: 'status', new_name: 'state' },
  { operation: 'alter_column_type', column_name: 'amount', column_type: 'numeric(14,2)' },
  { operation: 'set_default', column_name: 'status', default_value: 'x' },
  { operation: 'drop_default', column_name: 'status' },
  { operation: 'add_constraint', constraint_type: 'unique', columns: ['name'], constraint_name: 'c10_name_uq' },
  { operation: 'add_constraint', constraint_type: 'check', expression: 'amount > 0', constraint_name: 'c10_amount' },
  {
    operation: 'add_constraint',
    constraint_type: 'foreign_key',
    column_name: 'parent_id',
    references: { table: 'c20', column: 'id' },
    constraint_name: 'c10_to_c20',
  },
  { operation: 'drop_constraint', constraint_name: 'c10_parent_id_fkey' },
  { operation: 'create_index', columns: ['amount'], index_name: 'c10_amount_ix' },
  { operation: 'drop_index', index_name: 'c10_name' },
  { operation: 'rename_table', new_name: 'renamed' },
])(
  'sqlite: a plan of $operation $constraint_type on one table of 40 reads it and its neighbours by foreign key',
  async (op) => {
    db = await createTestDatabase('sqlite');
    await db.setup(CHAIN);
    const { db: reading, reads } = keptReads(db);
    const plan = workflow([change('n', { table: 'c10', ...op })]);
    const r = await runWorkflow(plan, reading, { mode: 'plan' });
    expect(r.status, JSON.stringify(r.nodes.n?.error)).toBe('succeeded');
    const read = reads[0]!.tables.filter((t) => !unreadDetails(t)).map((t) => t.name);
    expect(read).toEqual(expect.arrayContaining(['c10', 'c11']));
    expect(read.length).toBeLessThanOrEqual(3);
  },
);
