// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { useState } from 'react';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ParamForm } from './ParamForm.tsx';
import type { SchemaView } from './schema-view.ts';

afterEach(cleanup);

const USERS = {
  name: 'users',
  columns: [
    { name: 'id', type: 'integer', default: null },
    { name: 'email', type: 'text', default: null },
  ],
};
const ORDERS = { name: 'orders', columns: [{ name: 'id', type: 'integer', default: null }] };
const VIEW: SchemaView = {
  before: [ORDERS, USERS],
  after: null,
  pending: true,
  columnTypes: ['text', 'varchar(255)', 'integer'],
  where: 'Demo database',
  problems: [],
};

let latest: Record<string, unknown> = {};
function Harness({ initial, view = VIEW }: { initial: Record<string, unknown>; view?: SchemaView }) {
  const [params, setParams] = useState(initial);
  latest = params;
  return <ParamForm nodeId="n1" type="SchemaModificationNode" params={params} onChange={setParams} schema={view} />;
}

const combo = (name: string) => screen.getByTestId(`field-${name}`) as HTMLInputElement;
const options = (name: string) =>
  Array.from(screen.queryByTestId(`field-${name}-listbox`)?.querySelectorAll('[role=option]') ?? []).map((o) =>
    o.getAttribute('data-value'),
  );

describe('schema-aware fields', () => {
  it('offers the tables as an accessible combobox: Down opens, Down/Up move, Enter takes, Escape closes', () => {
    render(<Harness initial={{ operation: 'drop_column' }} />);
    const table = combo('table');
    expect(table.getAttribute('role')).toBe('combobox');
    expect(table.getAttribute('aria-expanded')).toBe('false');
    fireEvent.keyDown(table, { key: 'ArrowDown' });
    expect(table.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('listbox', { name: 'Table' })).toBeTruthy();
    expect(options('table')).toEqual(['orders', 'users']);
    fireEvent.keyDown(table, { key: 'ArrowDown' });
    expect(table.getAttribute('aria-activedescendant')).toBe('field-table-listbox-1');
    fireEvent.keyDown(table, { key: 'ArrowUp' });
    fireEvent.keyDown(table, { key: 'ArrowUp' });
    expect(within(screen.getByRole('listbox')).getByRole('option', { selected: true }).getAttribute('data-value')).toBe(
      'users',
    );
    fireEvent.keyDown(table, { key: 'Enter' });
    expect(latest.table).toBe('users');
    expect(table.getAttribute('aria-expanded')).toBe('false');
    fireEvent.change(table, { target: { value: 'ord' } });
    expect(options('table')).toEqual(['orders']);
    fireEvent.keyDown(table, { key: 'Escape' });
    expect(table.getAttribute('aria-expanded')).toBe('false');
    expect(latest.table).toBe('ord');
  });

  it('offers the columns of the chosen table with their types', () => {
    render(<Harness initial={{ operation: 'drop_column', table: 'users' }} />);
    fireEvent.keyDown(combo('column_name'), { key: 'ArrowDown' });
    expect(options('column_name')).toEqual(['id', 'email']);
    expect(screen.getByTestId('field-column_name-listbox').textContent).toContain('emailtext');
    fireEvent.mouseDown(screen.getByRole('option', { name: /email/ }));
    expect(latest.column_name).toBe('email');
  });

  it('flags a table that does not exist at once, with the closest name to click', () => {
    render(<Harness initial={{ operation: 'drop_column', table: 'userz', column_name: 'email' }} />);
    const flag = screen.getByTestId('field-unknown-table');
    expect(flag.textContent).toBe('No table "userz" on Demo database. Did you mean users?');
    expect(combo('table').getAttribute('aria-invalid')).toBe('true');
    expect(combo('table').getAttribute('aria-describedby')).toBe('field-unknown-table');
    fireEvent.click(screen.getByTestId('field-unknown-table-take-users'));
    expect(latest.table).toBe('users');
    expect(screen.queryByTestId('field-unknown-table')).toBeNull();
  });

  it('flags a column the table does not have; a new name (add_column, create_table) is not flagged', () => {
    render(<Harness initial={{ operation: 'drop_column', table: 'users', column_name: 'emial' }} />);
    expect(screen.getByTestId('field-unknown-column_name').textContent).toMatch(
      /No column "emial" in users on Demo database\. Did you mean email\?/,
    );
    fireEvent.change(combo('operation'), { target: { value: 'add_column' } });
    expect(screen.queryByTestId('field-unknown-column_name')).toBeNull();
    fireEvent.change(combo('operation'), { target: { value: 'create_table' } });
    fireEvent.change(combo('table'), { target: { value: 'invoices' } });
    expect(screen.queryByTestId('field-unknown-table')).toBeNull();
  });

  it('picks the column type from the database types, and checks a typed one', () => {
    render(<Harness initial={{ operation: 'add_column', table: 'users', column_name: 'tier' }} />);
    fireEvent.keyDown(combo('column_type'), { key: 'ArrowDown' });
    expect(options('column_type')).toEqual(['text', 'varchar(255)', 'integer']);
    fireEvent.change(combo('column_type'), { target: { value: 'varchar(40)' } });
    expect(screen.queryAllByTestId('field-error-column_type')).toEqual([]);
    fireEvent.change(combo('column_type'), { target: { value: 'strnig' } });
    expect(screen.getByTestId('field-error-column_type').textContent).toMatch(/unknown type name "strnig"/);
  });

  it("takes the default as typed ('bronze') and shows the DEFAULT the plan rendered", () => {
    const initial = { operation: 'add_column', table: 'users', column_name: 'tier', column_type: 'text' };
    const { rerender } = render(<Harness initial={initial} />);
    fireEvent.change(combo('default_value'), { target: { value: "'bronze'" } });
    expect(latest.default_value).toBe('bronze');
    expect(screen.getByTestId('field-rendered-default_value').textContent).toBe('DEFAULT …');
    const planned: SchemaView = {
      ...VIEW,
      pending: false,
      after: [{ ...USERS, columns: [...USERS.columns, { name: 'tier', type: 'text', default: "'bronze'" }] }],
    };
    rerender(<Harness initial={initial} view={planned} />);
    expect(screen.getByTestId('field-rendered-default_value').textContent).toBe("DEFAULT 'bronze'");
  });

  it("shows the plan's problem of a node at its field", () => {
    const view: SchemaView = {
      ...VIEW,
      pending: false,
      problems: [{ nodeId: 'n1', severity: 'error', field: 'default_value', message: 'does not fit integer' }],
    };
    render(
      <Harness
        initial={{
          operation: 'add_column',
          table: 'users',
          column_name: 'n',
          column_type: 'integer',
          default_value: 'x',
        }}
        view={view}
      />,
    );
    expect(screen.getByTestId('field-error-default_value').textContent).toBe('does not fit integer');
  });
});
