import { describe, expect, it } from 'vitest';
import { unknownJsonNames } from './json-names.ts';
import { NO_SCHEMA, type SchemaView } from './schema-view.ts';

const col = (name: string) => ({ name, type: 'text', default: null });
const view: SchemaView = {
  ...NO_SCHEMA,
  where: 'Demo database',
  before: [
    { name: 'users', columns: [col('id'), col('email'), col('name')] },
    { name: 'users_copy', columns: [col('id'), col('email_address')] },
  ],
};

describe('unknownJsonNames', () => {
  it("flags a Row count's equals_table that is not there, with the closest table, and takes it", () => {
    const params = { table: 'users', check_row_count: { min: 1, equals_table: 'userz' } };
    const [u, ...rest] = unknownJsonNames('ValidationNode', 'check_row_count', params, view);
    expect(rest).toEqual([]);
    expect(u).toMatchObject({ message: 'equals_table: No table "userz" on Demo database.', suggestions: ['users'] });
    expect(u!.take('users')).toEqual({ min: 1, equals_table: 'users' });
    expect(unknownJsonNames('ValidationNode', 'check_row_count', { check_row_count: { min: 1 } }, view)).toEqual([]);
  });

  it("checks a Field mapping's keys against the source table and its values against the target table", () => {
    const params = { source_table: 'users', target_table: 'users_copy', field_mapping: { emial: 'email', id: 'id' } };
    const found = unknownJsonNames('DataMigrationNode', 'field_mapping', params, view);
    expect(found.map((u) => [u.message, u.suggestions])).toEqual([
      ['"emial": No column "emial" in users on Demo database.', ['email']],
      ['"emial": "email": No column "email" in users_copy on Demo database.', ['email_address']],
    ]);
    expect(found[0]!.take('email')).toEqual({ email: 'email', id: 'id' });
    expect(found[1]!.take('email_address')).toEqual({ emial: 'email_address', id: 'id' });
  });

  it("checks References and an index's Columns, not the new columns of create_table", () => {
    const fk = { operation: 'add_constraint', table: 'users', references: { table: 'users_copy', column: 'idd' } };
    expect(unknownJsonNames('SchemaModificationNode', 'references', fk, view).map((u) => u.message)).toEqual([
      'column: No column "idd" in users_copy on Demo database.',
    ]);
    const index = { operation: 'create_index', table: 'users', columns: ['email', 'nme'] };
    const [u] = unknownJsonNames('SchemaModificationNode', 'columns', index, view);
    expect(u!.message).toBe('[1]: No column "nme" in users on Demo database.');
    expect(u!.take('name')).toEqual(['email', 'name']);
    const create = { operation: 'create_table', table: 'audit', columns: [{ name: 'id', type: 'bigint' }] };
    expect(unknownJsonNames('SchemaModificationNode', 'columns', create, view)).toEqual([]);
  });
});
