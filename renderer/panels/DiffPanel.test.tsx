// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { SchemaDiff } from '../../shared/diff-types.ts';
import type { Column, Constraint, Index } from '../../shared/schema.ts';
import { DiffPanel } from './DiffPanel.tsx';
import { loadRealRuns } from '../../test/load-real-runs.ts';
import type { RealRun } from '../../test/real-runs.ts';

afterEach(cleanup);

const col = (name: string, type: string, more: Partial<Column> = {}): Column => ({
  name,
  type,
  nullable: true,
  default: null,
  primaryKey: false,
  ...more,
});
const idx = (name: string, columns: string[], more: Partial<Index> = {}): Index => ({
  name,
  table: 'users',
  columns,
  unique: false,
  where: null,
  constraintBacked: false,
  sql: null,
  ...more,
});
const fk: Constraint = {
  name: 'orders_user_fk',
  table: 'orders',
  kind: 'foreign_key',
  columns: ['user_id'],
  expression: null,
  references: { table: 'users', columns: ['id'], onDelete: 'CASCADE' },
  validated: false,
};

const handDiff: SchemaDiff = {
  changes: [
    {
      kind: 'column_changed',
      table: 'users',
      column: 'status',
      before: col('status', 'varchar(20)'),
      after: col('status', 'varchar(50)', { nullable: false, default: "'pending'" }),
      fields: ['type', 'nullable', 'default'],
    },
    { kind: 'column_dropped', table: 'users', column: 'deprecated_field', before: col('deprecated_field', 'text') },
    {
      kind: 'index_added',
      table: 'users',
      index: 'users_email',
      after: idx('users_email', ['email'], { unique: true, where: 'email IS NOT NULL' }),
    },
    { kind: 'constraint_added', table: 'orders', constraint: 'orders_user_fk', after: fk },
    {
      kind: 'trigger_dropped',
      table: 'orders',
      trigger: 'orders_audit',
      before: {
        name: 'orders_audit',
        table: 'orders',
        sql: 'CREATE TRIGGER orders_audit AFTER UPDATE ON orders BEGIN SELECT 1; END',
      },
    },
    {
      kind: 'table_added',
      table: 'audit_log',
      after: {
        name: 'audit_log',
        columns: [col('id', 'integer', { primaryKey: true })],
        indexes: [],
        constraints: [],
        rowEstimate: 0,
        ddl: 'CREATE TABLE audit_log (id integer PRIMARY KEY)',
      },
    },
    {
      kind: 'view_changed',
      view: 'active_users',
      before: { name: 'active_users', sql: 'CREATE VIEW active_users AS SELECT 1', dependsOn: [] },
      after: { name: 'active_users', sql: 'CREATE VIEW active_users AS SELECT 2', dependsOn: [] },
    },
  ],
  tables: [
    {
      table: 'users',
      before: 'CREATE TABLE users (id integer PRIMARY KEY, status varchar(20), deprecated_field text)',
      after: "CREATE TABLE users (id integer PRIMARY KEY, status varchar(50) NOT NULL DEFAULT 'pending')",
    },
    { table: 'audit_log', before: null, after: 'CREATE TABLE audit_log (id integer PRIMARY KEY)' },
  ],
};

function items(table: string) {
  return within(screen.getByTestId(`diff-table-${table}`))
    .queryAllByTestId('diff-item')
    .map((li) => [li.getAttribute('data-kind'), li.getAttribute('data-badge'), li.textContent]);
}

function ddlCells(table: string, kind: 'added' | 'removed' | 'same') {
  return Array.from(screen.getByTestId(`diff-ddl-${table}`).querySelectorAll(`td.df-ddl-${kind}`)).map(
    (td) => td.textContent,
  );
}

describe('DiffPanel', () => {
  let apply: RealRun;
  beforeAll(async () => {
    ({ apply } = await loadRealRuns('apply'));
  });

  it('shows the real zero-downtime diff: orders.total_amount added, and the column highlighted in the after DDL', () => {
    render(<DiffPanel diff={apply.result.diff} />);
    const [kind, badge, text] = items('orders')[0]!;
    expect([kind, badge]).toEqual(['column', 'added']);
    expect(text).toMatch(/^column orders\.total_amount added numeric\(10,2\) NOT NULL$/);
    expect(screen.getByTestId('diff-tree').textContent).toContain('orders.total_amount');
    expect(ddlCells('orders', 'added')).toEqual([
      expect.stringMatching(/^ {2}"?total_amount"? numeric\(10, ?2\) NOT NULL$/i),
    ]);
    expect(ddlCells('orders', 'removed')).toEqual([]);
    expect(ddlCells('orders', 'same')).toContain('  user_id integer NOT NULL,');
    expect(ddlCells('orders', 'same')).toEqual(
      expect.arrayContaining([
        '  created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP',
        '  created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,',
      ]),
    );
  });

  it('groups every kind of change under its table with what changed, views apart', () => {
    render(<DiffPanel diff={handDiff} />);
    expect(screen.getByTestId('diff-panel').textContent).toContain('7 changes');
    expect(items('users')).toEqual([
      [
        'column',
        'changed',
        "column users.status changed type: varchar(20) -> varchar(50); NULL -> NOT NULL; default: none -> 'pending'",
      ],
      ['column', 'dropped', 'column users.deprecated_field dropped text NULL'],
      ['index', 'added', 'index users.users_email added unique on (email) WHERE email IS NOT NULL'],
    ]);
    expect(items('orders')).toEqual([
      [
        'constraint',
        'added',
        'constraint orders.orders_user_fk added FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID',
      ],
      [
        'trigger',
        'dropped',
        'trigger orders.orders_audit dropped CREATE TRIGGER orders_audit AFTER UPDATE ON orders BEGIN SELECT 1; END',
      ],
    ]);
    expect(within(screen.getByTestId('diff-table-audit_log')).getByText('added').className).toContain('df-badge-added');
    expect(within(screen.getByTestId('diff-views')).getByTestId('diff-item').textContent).toBe(
      'view active_users changed CREATE VIEW active_users AS SELECT 2',
    );
  });

  it('lays out before and after DDL side by side, line by line', () => {
    render(<DiffPanel diff={handDiff} />);
    const rows = Array.from(screen.getByTestId('diff-ddl-users').querySelectorAll('tbody tr')).map((tr) =>
      Array.from(tr.querySelectorAll('td')).map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['1', 'CREATE TABLE users (', '1', 'CREATE TABLE users ('],
      ['2', '  id integer PRIMARY KEY,', '2', '  id integer PRIMARY KEY,'],
      ['3', '  status varchar(20),', '3', "  status varchar(50) NOT NULL DEFAULT 'pending'"],
      ['4', '  deprecated_field text', '', ''],
      ['5', ')', '4', ')'],
    ]);
    expect(ddlCells('users', 'removed')).toEqual(['  status varchar(20),', '  deprecated_field text']);
    expect(ddlCells('users', 'added')).toEqual(["  status varchar(50) NOT NULL DEFAULT 'pending'"]);
    expect(screen.getByTestId('diff-ddl-audit_log').querySelector('th')!.textContent).toBe('before (no table)');
    expect(ddlCells('audit_log', 'added')).toHaveLength(3);
  });

  it('says when there is no diff or no change', () => {
    const { rerender } = render(<DiffPanel diff={null} />);
    expect(screen.getByTestId('diff-panel').textContent).toContain('No diff yet');
    rerender(<DiffPanel diff={{ changes: [], tables: [] }} />);
    expect(screen.getByTestId('diff-empty').textContent).toBe('No schema changes.');
  });
});
