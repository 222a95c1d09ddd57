import { describe, expect, it } from 'vitest';
import { diffSchemas } from './diff.ts';
import type { Change } from './diff-types.ts';
import type { Column, Constraint, Index, Schema, Table } from './schema.ts';

const col = (name: string, extra: Partial<Column> = {}): Column => ({
  name,
  type: 'integer',
  nullable: true,
  default: null,
  primaryKey: false,
  ...extra,
});
const idx = (name: string, table: string, columns: string[], extra: Partial<Index> = {}): Index => ({
  name,
  table,
  columns,
  unique: false,
  where: null,
  constraintBacked: false,
  sql: null,
  ...extra,
});
const con = (name: string, table: string, extra: Partial<Constraint> = {}): Constraint => ({
  name,
  table,
  kind: 'check',
  columns: [],
  expression: 'a > 0',
  references: null,
  validated: true,
  ...extra,
});
const tbl = (name: string, extra: Partial<Table> = {}): Table => ({
  name,
  columns: [col('id', { nullable: false, primaryKey: true }), col('a')],
  indexes: [],
  constraints: [],
  rowEstimate: 0,
  ddl: `CREATE TABLE ${name} (id, a)`,
  ...extra,
});
const schema = (tables: Table[], extra: Partial<Schema> = {}): Schema => ({
  dialect: 'sqlite',
  version: '3.53.2',
  tables,
  views: [],
  triggers: [],
  ...extra,
});
const kinds = (changes: Change[]) => changes.map((c) => `${c.kind}:${'table' in c ? c.table : c.view}`);

describe('diffSchemas', () => {
  it('reports a column becoming (or ceasing to be) numbered by the database as an identity change', () => {
    const before = schema([tbl('t', { columns: [col('id', { nullable: false, primaryKey: true }), col('a')] })]);
    const after = schema([
      tbl('t', { columns: [col('id', { nullable: false, primaryKey: true, identity: true }), col('a')] }),
    ]);
    expect(diffSchemas(before, after).changes).toEqual([
      {
        kind: 'column_changed',
        table: 't',
        column: 'id',
        before: col('id', { nullable: false, primaryKey: true }),
        after: col('id', { nullable: false, primaryKey: true, identity: true }),
        fields: ['identity'],
      },
    ]);
    expect(diffSchemas(after, structuredClone(after)).changes).toEqual([]);
  });

  it('is empty for equal schemas', () => {
    const s = schema([tbl('t', { indexes: [idx('i', 't', ['a'])], constraints: [con('c', 't')] })], {
      views: [{ name: 'v', sql: 'SELECT 1', dependsOn: [] }],
    });
    const d = diffSchemas(s, structuredClone(s));
    expect(d).toEqual({ changes: [], tables: [] });
  });

  it('reports tables added and dropped, with their DDL', () => {
    const d = diffSchemas(schema([tbl('old')]), schema([tbl('new')]));
    expect(d.changes).toEqual([
      { kind: 'table_added', table: 'new', after: tbl('new') },
      { kind: 'table_dropped', table: 'old', before: tbl('old') },
    ]);
    expect(d.tables).toEqual([
      { table: 'new', before: null, after: 'CREATE TABLE new (id, a)' },
      { table: 'old', before: 'CREATE TABLE old (id, a)', after: null },
    ]);
  });

  it('reports columns added, dropped and changed field by field', () => {
    const before = schema([tbl('t', { columns: [col('id', { primaryKey: true }), col('a'), col('b'), col('gone')] })]);
    const after = schema([
      tbl('t', {
        columns: [
          col('id'),
          col('a', { type: 'bigint', nullable: false }),
          col('b', { default: "'x'" }),
          col('added', { type: 'text' }),
        ],
        ddl: 'CREATE TABLE t (changed)',
      }),
    ]);
    const d = diffSchemas(before, after);
    expect(d.changes).toEqual([
      { kind: 'column_dropped', table: 't', column: 'gone', before: col('gone') },
      {
        kind: 'column_changed',
        table: 't',
        column: 'id',
        before: col('id', { primaryKey: true }),
        after: col('id'),
        fields: ['primaryKey'],
      },
      {
        kind: 'column_changed',
        table: 't',
        column: 'a',
        before: col('a'),
        after: col('a', { type: 'bigint', nullable: false }),
        fields: ['type', 'nullable'],
      },
      {
        kind: 'column_changed',
        table: 't',
        column: 'b',
        before: col('b'),
        after: col('b', { default: "'x'" }),
        fields: ['default'],
      },
      { kind: 'column_added', table: 't', column: 'added', after: col('added', { type: 'text' }) },
    ]);
    expect(d.tables).toEqual([{ table: 't', before: 'CREATE TABLE t (id, a)', after: 'CREATE TABLE t (changed)' }]);
  });

  it('reports indexes added, dropped and changed (columns, unique, where, SQL)', () => {
    const before = schema([
      tbl('t', {
        indexes: [
          idx('a_i', 't', ['a']),
          idx('b_i', 't', ['a']),
          idx('c_i', 't', ['a'], { sql: 'CREATE INDEX c_i ON t(a)' }),
          idx('same', 't', ['a'], { sql: 'CREATE INDEX  same ON t(a)' }),
        ],
      }),
    ]);
    const after = schema([
      tbl('t', {
        indexes: [
          idx('b_i', 't', ['a'], { unique: true }),
          idx('c_i', 't', ['a'], { sql: 'CREATE INDEX c_i ON t USING hash (a)' }),
          idx('d_i', 't', ['id'], { where: 'a > 0' }),
          idx('same', 't', ['a'], { sql: 'CREATE INDEX same ON t(a)\n' }),
        ],
      }),
    ]);
    const d = diffSchemas(before, after);
    expect(d.changes.map((c) => `${c.kind}:${'index' in c ? c.index : ''}`)).toEqual([
      'index_dropped:a_i',
      'index_changed:b_i',
      'index_changed:c_i',
      'index_added:d_i',
    ]);
    const where = diffSchemas(
      after,
      schema([
        tbl('t', {
          indexes: [
            ...after.tables[0]!.indexes.slice(0, 2),
            idx('d_i', 't', ['id'], { where: 'a > 1' }),
            after.tables[0]!.indexes[3]!,
          ],
        }),
      ]),
    );
    expect(where.changes).toMatchObject([
      { kind: 'index_changed', index: 'd_i', before: { where: 'a > 0' }, after: { where: 'a > 1' } },
    ]);
  });

  it('reports constraints added, dropped and changed, including validation', () => {
    const before = schema([
      tbl('t', { constraints: [con('c1', 't'), con('c2', 't', { validated: false }), con('c3', 't')] }),
    ]);
    const after = schema([
      tbl('t', {
        constraints: [
          con('c2', 't'),
          con('c3', 't', { expression: 'a > 1' }),
          con('fk', 't', {
            kind: 'foreign_key',
            expression: null,
            columns: ['a'],
            references: { table: 't', columns: ['id'], onDelete: null },
          }),
        ],
      }),
    ]);
    const d = diffSchemas(before, after);
    expect(d.changes.map((c) => `${c.kind}:${'constraint' in c ? c.constraint : ''}`)).toEqual([
      'constraint_dropped:c1',
      'constraint_changed:c2',
      'constraint_changed:c3',
      'constraint_added:fk',
    ]);
    expect(d.changes[1]).toMatchObject({ before: { validated: false }, after: { validated: true } });
  });

  it('reports views and triggers added, dropped and changed', () => {
    const before = schema([tbl('t')], {
      views: [
        { name: 'v1', sql: 'SELECT a FROM t', dependsOn: ['t'] },
        { name: 'v2', sql: 'SELECT 1', dependsOn: [] },
      ],
      triggers: [
        { name: 'tr1', table: 't', sql: 'CREATE TRIGGER tr1 ...' },
        { name: 'tr2', table: 't', sql: 'CREATE TRIGGER tr2 A' },
      ],
    });
    const after = schema([tbl('t')], {
      views: [
        { name: 'v1', sql: 'SELECT a, id FROM t', dependsOn: ['t'] },
        { name: 'v3', sql: 'SELECT 3', dependsOn: [] },
      ],
      triggers: [
        { name: 'tr2', table: 't', sql: 'CREATE TRIGGER tr2 B' },
        { name: 'tr3', table: 't', sql: 'CREATE TRIGGER tr3 ...' },
      ],
    });
    const d = diffSchemas(before, after);
    expect(d.changes.map((c) => `${c.kind}:${'trigger' in c ? c.trigger : 'view' in c ? c.view : ''}`)).toEqual([
      'trigger_dropped:tr1',
      'trigger_changed:tr2',
      'trigger_added:tr3',
      'view_changed:v1',
      'view_dropped:v2',
      'view_added:v3',
    ]);
    expect(d.tables).toEqual([{ table: 't', before: 'CREATE TABLE t (id, a)', after: 'CREATE TABLE t (id, a)' }]);
  });

  it("ignores the product's own tables", () => {
    const d = diffSchemas(
      schema([]),
      schema([tbl('dataflow_migrations'), tbl('dataflow_migration_lock')], {
        triggers: [{ name: 'x', table: 'dataflow_migrations', sql: '' }],
      }),
    );
    expect(d.changes).toEqual([]);
  });

  it('limits the diff to the tables given (either side), their triggers and the views reading them', () => {
    const before = schema([tbl('a'), tbl('b'), tbl('gone')], {
      views: [
        { name: 'va', sql: 'SELECT 1', dependsOn: ['a.id'] },
        { name: 'vb', sql: 'SELECT 1', dependsOn: ['b'] },
      ],
    });
    const after = schema([tbl('a', { columns: [col('id')] }), tbl('b', { columns: [col('id')] }), tbl('c')], {
      views: [
        { name: 'va', sql: 'SELECT 2', dependsOn: ['a.id'] },
        { name: 'vb', sql: 'SELECT 2', dependsOn: ['b'] },
      ],
      triggers: [
        { name: 'ta', table: 'a', sql: 'x' },
        { name: 'tb', table: 'b', sql: 'x' },
      ],
    });
    expect(kinds(diffSchemas(before, after, { tables: ['a', 'gone', 'c'] }).changes)).toEqual([
      'column_dropped:a',
      'column_changed:a',
      'trigger_added:a',
      'table_added:c',
      'table_dropped:gone',
      'view_changed:va',
    ]);
    expect(diffSchemas(before, after, { tables: ['a', 'gone', 'c'] }).tables.map((t) => t.table)).toEqual([
      'a',
      'c',
      'gone',
    ]);
    expect(kinds(diffSchemas(before, after).changes)).toEqual([
      'column_dropped:a',
      'column_changed:a',
      'trigger_added:a',
      'column_dropped:b',
      'column_changed:b',
      'trigger_added:b',
      'table_added:c',
      'table_dropped:gone',
      'view_changed:va',
      'view_changed:vb',
    ]);
    expect(diffSchemas(before, after, { tables: [] }).changes).toEqual([]);
  });

  it('is deterministic whatever the input order', () => {
    const before = schema([tbl('b'), tbl('a')]);
    const after = schema([tbl('z'), tbl('c')]);
    expect(kinds(diffSchemas(before, after).changes)).toEqual([
      'table_dropped:a',
      'table_dropped:b',
      'table_added:c',
      'table_added:z',
    ]);
  });
});
