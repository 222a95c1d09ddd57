// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { Schema, Table } from '../../shared/schema.ts';
import { SchemaBrowser } from './SchemaBrowser.tsx';
import { matchingTables, searchIndex } from './schema/schema-rows.ts';
import {
  droppedSchemaItem,
  fieldDrop,
  schemaNodeParams,
  startSchemaDrag,
  takesSchemaDrop,
} from './schema/schema-drag.ts';
import { nodeDescription } from '../../shared/nodes/index.ts';
import { loadRealRuns } from '../../test/load-real-runs.ts';

afterEach(cleanup);

const tableNames = () =>
  screen.queryAllByTestId(/^schema-table-/).map((el) => el.getAttribute('data-testid')!.slice('schema-table-'.length));
const open = (name: string) => fireEvent.click(within(screen.getByTestId(`schema-table-${name}`)).getByRole('button'));
const filter = (value: string) => fireEvent.change(screen.getByTestId('schema-filter'), { target: { value } });

describe('SchemaBrowser', () => {
  let schema: Schema;
  beforeAll(async () => {
    ({ schema } = await loadRealRuns('schema'));
  });

  it('lists the real tables closed; a table opens to its columns with type, null, default and keys, its indexes and constraints', () => {
    render(<SchemaBrowser schema={schema} loading={false} onRefresh={() => {}} />);
    expect(tableNames().sort()).toEqual(['order_notes', 'orders', 'users']);
    expect(screen.getByTestId('schema-browser').textContent).toMatch(/SQLite 3\.\d+\.\d+, 3 tables/);
    expect(screen.queryAllByTestId('schema-column')).toHaveLength(0);
    open('users');
    const columns = screen.getAllByTestId('schema-column').map((li) => li.getAttribute('title'));
    expect(columns).toContain('id integer NOT NULL (PK, identity)');
    expect(columns).toContain("status varchar(20) NOT NULL DEFAULT 'active'");
    expect(screen.getAllByTestId('schema-index').map((li) => li.getAttribute('title'))).toContain(
      'index users_created_at: INDEX (created_at) WHERE created_at IS NOT NULL',
    );
    open('order_notes');
    const constraints = screen.getAllByTestId('schema-constraint').map((li) => li.textContent!);
    expect(constraints.some((t) => t.includes('FOREIGN KEY (order_id) → orders (id)'))).toBe(true);
    expect(constraints.some((t) => t.includes('CHECK (length(body) > 0)'))).toBe(true);
    expect(screen.getAllByTestId('schema-column').some((li) => li.textContent!.includes('FK → orders.id'))).toBe(true);
    expect(within(screen.getByTestId('schema-table-orders')).getByText(/10 rows/)).toBeTruthy();
  });

  it('filters tables by table or column name and opens the few matches', () => {
    render(<SchemaBrowser schema={schema} loading={false} onRefresh={() => {}} />);
    filter('ORDER');
    expect(tableNames().sort()).toEqual(['order_notes', 'orders']);
    expect(screen.getByTestId('schema-table-orders').getAttribute('aria-expanded')).toBe('true');
    filter('email');
    expect(tableNames()).toEqual(['users']);
    filter('nothing_like_this');
    expect(screen.getByTestId('schema-no-match').textContent).toBe('No table or column matches “nothing_like_this”.');
    expect(matchingTables(searchIndex(schema), '  ').length).toBe(3);
  });

  it("keeps the product's own tables in a collapsed DataFlow group, and draws only the rows in view of 5,000 tables", () => {
    const wide: Table[] = Array.from({ length: 5000 }, (_, i) => ({
      ...schema.tables[0]!,
      name: `t${String(i).padStart(5, '0')}`,
    }));
    const own = ['dataflow_runs', 'dataflow_backup_0a1b2c'].map((name) => ({ ...schema.tables[0]!, name }));
    render(<SchemaBrowser schema={{ ...schema, tables: [...wide, ...own] }} loading={false} onRefresh={() => {}} />);
    expect(screen.getByTestId('schema-group-dataflow').textContent).toMatch(/DataFlow\s*2/);
    expect(tableNames()).not.toContain('dataflow_runs');
    expect(tableNames().length).toBeLessThan(100);
    filter('t04999');
    expect(tableNames()).toEqual(['t04999']);
    filter('');
    fireEvent.click(screen.getByTestId('schema-group-dataflow'));
    expect(tableNames().slice(0, 3)).toEqual(['dataflow_runs', 'dataflow_backup_0a1b2c', 't00000']);
  });

  it('hands a table or a column over by drag: a schema change on it, or its name as text', () => {
    const data = new Map<string, string>();
    const transfer = { setData: (k: string, v: string) => data.set(k, v), getData: (k: string) => data.get(k) ?? '' };
    startSchemaDrag({ dataTransfer: transfer as unknown as DataTransfer }, { table: 'users', column: 'email' });
    expect(data.get('text/plain')).toBe('email');
    const item = droppedSchemaItem(transfer as unknown as DataTransfer)!;
    expect(schemaNodeParams(item)).toEqual({
      operation: 'alter_column_type',
      table: 'users',
      column_name: 'email',
    });
    expect(schemaNodeParams({ table: 'users' })).toEqual({
      operation: 'add_column',
      table: 'users',
    });
  });

  it('fills the inspector field it is dropped on with the name it wants', () => {
    const [table, , column] = nodeDescription('SchemaModificationNode')!.fields;
    const where = nodeDescription('SchemaModificationNode')!.fields.find((f) => f.name === 'where')!;
    const text = { name: 'note', label: 'Note', widget: 'text' } as const;
    const list = { name: 'keys', label: 'Keys', widget: 'list' } as const;
    const params = { operation: 'drop_column', table: 'orders' };
    // A table field takes the table, also from a column; a column field the column, keeping the node's table.
    expect(fieldDrop(table!, params, { table: 'users', column: 'email' })).toEqual({ ...params, table: 'users' });
    expect(fieldDrop(column!, params, { table: 'users', column: 'email' })).toEqual({
      ...params,
      column_name: 'email',
    });
    expect(fieldDrop(column!, { operation: 'drop_column' }, { table: 'users', column: 'email' })).toEqual({
      operation: 'drop_column',
      table: 'users',
      column_name: 'email',
    });
    expect(fieldDrop(column!, params, { table: 'users' })).toBeNull();
    expect(fieldDrop(text, { note: 'x' }, { table: 'users', column: 'email' })).toEqual({ note: 'email' });
    expect(fieldDrop(list, { keys: ['id'] }, { table: 'users', column: 'email' })).toEqual({ keys: ['id', 'email'] });
    expect(fieldDrop(list, { keys: ['email'] }, { table: 'users', column: 'email' })).toBeNull();
    // SQL takes the text where it is dropped (the browser's own drop).
    expect(takesSchemaDrop(where)).toBe(false);
  });

  it('refreshes on request and shows loading and empty states', () => {
    let refreshed = 0;
    const { rerender } = render(<SchemaBrowser schema={null} loading={false} onRefresh={() => refreshed++} />);
    expect(screen.getByTestId('schema-browser').textContent).toContain('Choose a connection');
    fireEvent.click(screen.getByTestId('schema-refresh'));
    expect(refreshed).toBe(1);
    rerender(<SchemaBrowser schema={null} loading onRefresh={() => refreshed++} />);
    expect((screen.getByTestId('schema-refresh') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('schema-refresh').textContent).toBe('Reading…');
    rerender(<SchemaBrowser schema={{ ...schema, tables: [] }} loading={false} onRefresh={() => refreshed++} />);
    expect(screen.getByTestId('schema-no-match').textContent).toBe('The database has no tables.');
  });
});
