/** The drop and rename rules read from the nodes' params (SQLite, and workflows without --db). */
import { describe, expect, it } from 'vitest';
import { lintChanges } from './change-rules.ts';

const node = (id: string, params: Record<string, unknown>) => ({ node: id, params, statements: [] });

describe('lintChanges', () => {
  it('reports drops and renames of existing objects, with the row estimate when known', () => {
    const findings = lintChanges(
      [
        node('a', { operation: 'drop_table', table: 'legacy' }),
        node('b', { operation: 'drop_column', table: 'users', column_name: 'nick' }),
        node('c', { operation: 'drop_constraint', table: 'orders', constraint_name: 'orders_total' }),
        node('d', { operation: 'rename_table', table: 'customers', new_name: 'clients' }),
        node('e', { operation: 'rename_column', table: 'users', column_name: 'email', new_name: 'mail' }),
        node('f', { operation: 'add_column', table: 'users', column_name: 'x', column_type: 'text' }),
      ],
      (t) => (t === 'legacy' ? 1200 : null),
    );
    expect(findings.map((f) => [f.node, f.code, f.message])).toEqual([
      ['a', 'DF801', 'dropping "legacy" (about 1,200 rows) deletes its rows for good; queries that read it fail'],
      ['b', 'DF802', 'dropping "users"."nick" deletes its values; code that reads or writes it fails'],
      ['c', 'DF804', 'dropping constraint "orders_total" of "orders": the database stops refusing rows that break it'],
      ['d', 'DF805', 'renaming "customers" to "clients" breaks every deployed query that names "customers"'],
      ['e', 'DF806', 'renaming "users"."email" to "mail" breaks every deployed query that names the old column'],
    ]);
  });

  it('says nothing of what an earlier node created: a new table, its rename, a constraint just added', () => {
    const findings = lintChanges(
      [
        node('t', { operation: 'create_table', table: 'tmp', columns: [{ name: 'id', type: 'integer' }] }),
        node('r', { operation: 'rename_column', table: 'tmp', column_name: 'id', new_name: 'key' }),
        node('m', { operation: 'rename_table', table: 'tmp', new_name: 'tmp2' }),
        node('k', { operation: 'add_constraint', table: 'orders', constraint_name: 'c1', constraint_type: 'check' }),
        node('x', { operation: 'drop_constraint', table: 'orders', constraint_name: 'c1' }),
        node('d', { operation: 'drop_table', table: 'tmp2' }),
      ],
      () => 10,
    );
    expect(findings).toEqual([]);
  });
});
