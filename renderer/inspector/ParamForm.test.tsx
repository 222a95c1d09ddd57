// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { useState } from 'react';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { NODE_TYPES } from '../../shared/nodes/index.ts';
import { ParamForm } from './ParamForm.tsx';

afterEach(cleanup);

let latest: Record<string, unknown> = {};

function Harness({ type, initial }: { type: string; initial: Record<string, unknown> }) {
  const [params, setParams] = useState(initial);
  latest = params;
  return <ParamForm nodeId="n1" type={type} params={params} onChange={setParams} />;
}

const field = (name: string) => screen.queryByTestId(`field-${name}`);
const errorsOf = (name: string) => screen.queryAllByTestId(`field-error-${name}`).map((e) => e.textContent);
const type = (name: string, value: string) =>
  fireEvent.change(screen.getByTestId(`field-${name}`), { target: { value } });

interface Case {
  /** Starting params (as the palette creates them, or a guide example). */
  initial: Record<string, unknown>;
  /** A field edited, with the value typed and the param that must result. */
  edit: [field: string, typed: string, expected: unknown];
  /** A field that shows an inline error for the starting params (or after `breaks`), and a text of it. */
  error: [field: string, message: RegExp];
  breaks?: [field: string, typed: string];
  /** Show-when: a field hidden at first, the edit that shows it. */
  showWhen?: { initial?: Record<string, unknown>; hidden: string; set: [field: string, value: string]; hides?: string };
}

const CASES: Record<string, Case> = {
  SchemaModificationNode: {
    initial: { operation: 'add_column' },
    edit: ['column_type', 'varchar(50)', 'varchar(50)'],
    error: ['table', /is required/],
    showWhen: { hidden: 'constraint_type', set: ['operation', 'add_constraint'], hides: 'nullable' },
  },
  MigrationNode: {
    initial: { status: 'pending' },
    edit: ['migration_name', 'user_table_v2', 'user_table_v2'],
    error: ['migration_name', /expected string|is required/],
    showWhen: { initial: { migration_name: 'm', action: 'check_status' }, hidden: 'status', set: ['action', 'record'] },
  },
  SwitchNode: {
    initial: { input: ':migration_status', cases: { pending: 'apply_migration' } },
    edit: ['cases', '{"pending": "a", "completed": "b"}', { pending: 'a', completed: 'b' }],
    error: ['cases', /needs at least one case/],
    breaks: ['cases', '{}'],
  },
  TransactionScopeNode: {
    initial: { rollback_on_error: true },
    edit: ['isolation_level', 'serializable', 'serializable'],
    error: ['timeout', /too small|positive|>0/i],
    breaks: ['timeout', '-1'],
  },
  ValidationNode: {
    initial: { check_column_exists: true, column: 'test_field' },
    edit: ['table', 'test_users', 'test_users'],
    error: ['table', /is required by the checks given/],
  },
  DataMigrationNode: {
    initial: { source_table: 'users', target_table: 'users' },
    edit: ['field_mapping', '{"email": "email_address"}', { email: 'email_address' }],
    error: ['field_mapping', /required|expected record/],
  },
  DataBackfillNode: {
    initial: { table: 'orders', update_field: 'total_amount' },
    edit: ['calculation', 'subtotal + tax + shipping', 'subtotal + tax + shipping'],
    error: ['batch_size', /too small|positive|>0/i],
    breaks: ['batch_size', '0'],
  },
  MonitoringNode: {
    initial: { capture_metrics: ['table_size', 'row_count'] },
    edit: ['compare_with', 'pre_migration_metrics', 'pre_migration_metrics'],
    error: ['compare_with', /must be a node id/],
    breaks: ['compare_with', '1 bad'],
    showWhen: { hidden: 'queries', set: ['capture_metrics', 'query_performance'] },
  },
  PythonCodeNode: {
    initial: {},
    edit: ['code', "result = {'message': 'ok'}", "result = {'message': 'ok'}"],
    error: ['code', /is required/],
  },
  CodeNode: {
    initial: {},
    edit: ['code', 'result = 1', 'result = 1'],
    error: ['code', /is required/],
  },
};

describe('inspector form of every node type', () => {
  it('covers every node type of the catalogue', () => {
    expect(Object.keys(CASES).sort()).toEqual(NODE_TYPES.map((d) => d.type).sort());
  });

  for (const desc of NODE_TYPES) {
    const c = CASES[desc.type]!;
    describe(desc.type, () => {
      it('renders a labelled input for each visible field', () => {
        render(<Harness type={desc.type} initial={c.initial} />);
        const form = screen.getByTestId('param-form');
        for (const f of desc.fields.filter((f) => !f.showWhen))
          expect(within(form).getByLabelText(f.label)).toBeTruthy();
      });

      it('edits a field into the params', () => {
        render(<Harness type={desc.type} initial={c.initial} />);
        const [name, typed, expected] = c.edit;
        const el = field(name)!;
        if (el.tagName === 'SELECT') fireEvent.change(el, { target: { value: typed } });
        else type(name, typed);
        expect(latest[name]).toEqual(expected);
      });

      it('shows the validation error inline at its field', () => {
        render(<Harness type={desc.type} initial={c.initial} />);
        if (c.breaks) type(...c.breaks);
        const [name, message] = c.error;
        expect(errorsOf(name).join('\n')).toMatch(message);
        expect(screen.getByTestId(`field-row-${name}`).className).toContain('invalid');
      });

      if (c.showWhen) {
        const sw = c.showWhen;
        it(`shows ${sw.hidden} only when ${sw.set[0]} is ${sw.set[1]}`, () => {
          render(<Harness type={desc.type} initial={sw.initial ?? c.initial} />);
          expect(field(sw.hidden)).toBeNull();
          if (sw.hides) expect(field(sw.hides)).not.toBeNull();
          const control = field(sw.set[0])!;
          if (control.tagName === 'SELECT') fireEvent.change(control, { target: { value: sw.set[1] } });
          else fireEvent.click(screen.getByTestId(`field-${sw.set[0]}-${sw.set[1]}`));
          expect(field(sw.hidden)).not.toBeNull();
          if (sw.hides) expect(field(sw.hides)).toBeNull();
        });
      }
    });
  }
});

describe('inspector widgets', () => {
  it('keeps broken JSON as a draft with its error, and leaves the param alone', () => {
    render(<Harness type="SwitchNode" initial={{ input: ':s', cases: { a: 'b' } }} />);
    type('cases', '{"a": ');
    expect(screen.getByTestId('field-draft-error-cases').textContent).toMatch(/not valid JSON/);
    expect(latest.cases).toEqual({ a: 'b' });
    expect((field('cases') as HTMLTextAreaElement).value).toBe('{"a": ');
  });

  it('reads a bare word in a JSON field as a string, and clears the param when emptied', () => {
    render(
      <Harness
        type="SchemaModificationNode"
        initial={{ table: 'orders', operation: 'add_column', column_name: 's', column_type: 'text' }}
      />,
    );
    type('default_value', 'pending');
    expect(latest.default_value).toBe('pending');
    type('default_value', '');
    expect('default_value' in latest).toBe(false);
  });

  it('has a tri-state boolean showing the schema default', () => {
    render(<Harness type="MonitoringNode" initial={{ capture_metrics: ['row_count'] }} />);
    const sel = field('alert_on_degradation') as HTMLSelectElement;
    expect(sel.options[0]!.textContent).toBe('(default: no)');
    fireEvent.change(sel, { target: { value: 'true' } });
    expect(latest.alert_on_degradation).toBe(true);
  });

  it('offers identity on add_column, labelled, with what it writes on each database', () => {
    render(<Harness type="SchemaModificationNode" initial={{ table: 'legacy', operation: 'add_column' }} />);
    const sel = field('identity') as HTMLSelectElement;
    expect(screen.getByLabelText('Identity (numbered by the database)')).toBe(sel);
    expect(screen.getByText(/GENERATED BY DEFAULT AS IDENTITY on PostgreSQL, the INTEGER PRIMARY KEY/)).toBeTruthy();
    fireEvent.change(sel, { target: { value: 'true' } });
    expect(latest).toEqual({ table: 'legacy', operation: 'add_column', identity: true });
    type('operation', 'drop_column');
    expect(field('identity')).toBeNull();
  });

  it('edits all params at once in the raw JSON view, refusing non-objects', () => {
    render(<Harness type="PythonCodeNode" initial={{ code: 'result = 1' }} />);
    fireEvent.click(screen.getByTestId('inspector-raw-toggle'));
    const raw = screen.getByTestId('inspector-raw');
    fireEvent.change(raw, { target: { value: '[1]' } });
    expect(screen.getByTestId('inspector-raw-error').textContent).toMatch(/JSON object/);
    fireEvent.change(raw, { target: { value: '{"code": "result = 2", "timeout": 500}' } });
    expect(latest).toEqual({ code: 'result = 2', timeout: 500 });
  });

  it('keeps an integer beyond 2^53 typed in a JSON field or the raw view exact, and shows its digits', () => {
    render(
      <Harness
        type="SchemaModificationNode"
        initial={{ table: 't', operation: 'add_column', column_name: 'b', column_type: 'bigint' }}
      />,
    );
    type('default_value', '9007199254740993');
    expect(latest.default_value).toBe(9007199254740993n);
    expect((field('default_value') as HTMLTextAreaElement).value).toBe('9007199254740993');
    fireEvent.click(screen.getByTestId('inspector-raw-toggle'));
    const raw = screen.getByTestId('inspector-raw') as HTMLTextAreaElement;
    expect(raw.value).toContain('"default_value": 9007199254740993\n');
    fireEvent.change(raw, { target: { value: raw.value.replace('9007199254740993', '-9223372036854775808') } });
    expect(latest.default_value).toBe(-9223372036854775808n);
  });

  it('keeps the error of a field the operation hides in view', () => {
    render(
      <Harness type="MigrationNode" initial={{ migration_name: 'm', status: 'pending', action: 'check_status' }} />,
    );
    expect(field('status')).toBeNull();
    // The field by its form label, the param key in small print.
    const problem = screen.getByTestId('inspector-problems');
    expect(problem.querySelector('.problem-field')?.textContent).toBe('Status');
    expect(problem.querySelector('.problem-key')?.textContent).toBe('status');
    expect(problem.textContent).toMatch(/is not used by action check_status/);
  });
});
