import { describe, expect, it } from 'vitest';
import { schemaModificationParams } from './nodes/schema-modification.ts';
import { applySchemaChange } from './schema-apply.ts';
import { tableChange, tableNamed, tablesHoldingName, tablesNotIn, tablesReferencing } from './schema-names.ts';
import type { Schema, Table } from './schema.ts';

const table = (name: string, refs: string[] = []): Table => ({
  name,
  columns: [
    { name: 'id', type: 'integer', nullable: false, default: null, primaryKey: true },
    { name: 'parent_id', type: 'integer', nullable: true, default: null, primaryKey: false },
  ],
  indexes: [
    {
      name: `${name}_pkey`,
      table: name,
      columns: ['id'],
      unique: true,
      where: null,
      constraintBacked: true,
      sql: null,
    },
  ],
  constraints: [
    {
      name: `${name}_pkey`,
      table: name,
      kind: 'primary_key',
      columns: ['id'],
      expression: null,
      references: null,
      validated: true,
    },
    ...refs.map((to) => ({
      name: `${name}_${to}_fkey`,
      table: name,
      kind: 'foreign_key' as const,
      columns: ['parent_id'],
      expression: null,
      references: { table: to, columns: ['id'], onDelete: null },
      validated: true,
    })),
  ],
  rowEstimate: 0,
  ddl: '',
});

/** What the index answers, found by a pass over every table instead. */
const scanned = {
  holding: (s: Schema, name: string) =>
    s.tables.filter((t) =>
      [t.name, ...t.indexes.map((i) => i.name), ...t.constraints.map((k) => k.name)].some(
        (n) => n.toLowerCase() === name.toLowerCase(),
      ),
    ),
  referencing: (s: Schema, to: string) => s.tables.filter((t) => t.constraints.some((k) => k.references?.table === to)),
};

describe('the name index of a schema', () => {
  it('answers as a pass over every table does, on the schema read and on each schema made from it', () => {
    const live: Schema = {
      dialect: 'postgres',
      version: '17.10',
      tables: [table('users'), table('orders', ['users']), table('Items', ['orders']), table('notes', ['notes'])],
      views: [],
      triggers: [],
    };
    const steps = [
      { operation: 'create_index', table: 'orders', index_name: 'orders_parent', columns: ['parent_id'] },
      { operation: 'rename_table', table: 'users', new_name: 'people' },
      { operation: 'create_table', table: 'tags', columns: [{ name: 'id', type: 'integer', primary_key: true }] },
      {
        operation: 'add_constraint',
        table: 'tags',
        constraint_type: 'foreign_key',
        column_name: 'id',
        references: { table: 'orders', column: 'id' },
      },
      { operation: 'drop_index', table: 'orders', index_name: 'orders_parent' },
      { operation: 'drop_table', table: 'tags' },
      { operation: 'add_column', table: 'notes', column_name: 'email', column_type: 'text', unique: true },
    ].map((p) => schemaModificationParams.parse(p));
    const names = [
      'users',
      'people',
      'orders',
      'items',
      'ITEMS',
      'tags',
      'tags_pkey',
      'orders_parent',
      'notes_email_key',
    ];
    const schemas = [live];
    for (const p of steps) {
      const [base, next] = [schemas.at(-1)!, applySchemaChange(schemas.at(-1)!, p)];
      // The change the maker noted is the change found by comparing the two.
      expect(tablesNotIn(next, base)).toEqual(next.tables.filter((t) => !base.tables.includes(t)));
      expect(tableChange(next, base).gone).toEqual(base.tables.filter((t) => !next.tables.includes(t)));
      schemas.push(next);
    }
    // Asked in an order other than made: a later schema first, then the ones before it.
    for (const s of [schemas[4]!, ...schemas]) {
      for (const name of names) {
        expect(tablesHoldingName(s, name)).toEqual(scanned.holding(s, name));
        expect(tablesReferencing(s, name)).toEqual(scanned.referencing(s, name));
        expect(tableNamed(s, name)).toBe(s.tables.find((t) => t.name === name));
      }
    }
    expect(tablesHoldingName(schemas[3]!, 'TAGS_PKEY').map((t) => t.name)).toEqual(['tags']);
    expect(tablesReferencing(schemas[4]!, 'orders').map((t) => t.name)).toEqual(['Items', 'tags']);
    expect(tablesHoldingName(schemas.at(-1)!, 'tags')).toEqual([]);
  });

  it('refuses a name an index of another table holds, as the scan did', () => {
    const live: Schema = {
      dialect: 'postgres',
      version: '17.10',
      tables: [table('users'), table('orders')],
      views: [],
      triggers: [],
    };
    const index = schemaModificationParams.parse({
      operation: 'create_index',
      table: 'orders',
      index_name: 'users_pkey',
      columns: ['id'],
    });
    expect(() => applySchemaChange(live, index)).toThrow(/the name "users_pkey" is already used/);
  });
});
