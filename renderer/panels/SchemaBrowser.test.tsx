// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { Schema } from '../../shared/schema.ts';
import { SchemaBrowser, filterTables } from './SchemaBrowser.tsx';
import { loadRealRuns } from '../../test/load-real-runs.ts';

afterEach(cleanup);

const tableNames = () =>
  screen.queryAllByTestId(/^schema-table-/).map((el) => el.getAttribute('data-testid')!.slice('schema-table-'.length));

describe('SchemaBrowser', () => {
  let schema: Schema;
  beforeAll(async () => {
    ({ schema } = await loadRealRuns('schema'));
  });

  it('lists the real tables with their columns, indexes and constraints', () => {
    render(<SchemaBrowser schema={schema} loading={false} onRefresh={() => {}} />);
    expect(tableNames().sort()).toEqual(['order_notes', 'orders', 'users']);
    expect(screen.getByTestId('schema-browser').textContent).toMatch(/sqlite 3\.\d+\.\d+, 3 tables/);
    const users = screen.getByTestId('schema-table-users');
    const columns = within(users)
      .getAllByTestId('schema-column')
      .map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent));
    expect(columns).toContainEqual(['id', 'integer', 'no', '', 'pk, identity']);
    expect(columns).toContainEqual(['status', 'varchar(20)', 'no', "'active'", '']);
    expect(within(users).getByTestId('schema-indexes').textContent).toContain(
      'index users_created_at on (created_at) WHERE created_at IS NOT NULL',
    );
    const notes = within(screen.getByTestId('schema-table-order_notes')).getByTestId('schema-constraints').textContent!;
    expect(notes).toContain('FOREIGN KEY (order_id) -> orders (id)');
    expect(notes).toContain('CHECK (length(body) > 0)');
    expect(within(screen.getByTestId('schema-table-orders')).getByText(/10 rows/)).toBeTruthy();
  });

  it('filters tables by table or column name and opens the matches', () => {
    render(<SchemaBrowser schema={schema} loading={false} onRefresh={() => {}} />);
    fireEvent.change(screen.getByTestId('schema-filter'), { target: { value: 'ORDER' } });
    expect(tableNames().sort()).toEqual(['order_notes', 'orders']);
    expect(screen.getByTestId('schema-table-orders').querySelector('details')!.open).toBe(true);
    fireEvent.change(screen.getByTestId('schema-filter'), { target: { value: 'email' } });
    expect(tableNames()).toEqual(['users']);
    fireEvent.change(screen.getByTestId('schema-filter'), { target: { value: 'nothing_like_this' } });
    expect(screen.getByTestId('schema-no-match').textContent).toBe('No table or column matches “nothing_like_this”.');
    expect(filterTables(schema.tables, '  ').length).toBe(3);
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
