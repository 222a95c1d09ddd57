/** Groups a schema diff's changes by table, with a one-line description of each, for the diff panel's tree. */
import type { Change, SchemaDiff, TableDdl } from '../../shared/diff-types.ts';
import { plural } from './format.ts';
import type { Column, Constraint, Index } from '../../shared/schema.ts';

export type Badge = 'added' | 'dropped' | 'changed';

export interface TreeItem {
  kind: 'table' | 'column' | 'index' | 'constraint' | 'trigger' | 'view';
  /** `orders.total_amount`, `orders.orders_user_id`, or a view's name. */
  label: string;
  badge: Badge;
  /** What it is, or for a change, what changed (`type: integer -> bigint`). */
  detail: string;
}

export interface TreeTable {
  table: string;
  /** Set when the table itself was added or dropped. */
  badge: Badge | null;
  items: TreeItem[];
  ddl: TableDdl | null;
}

function describeColumn(c: Column): string {
  return [
    c.type,
    c.nullable ? 'NULL' : 'NOT NULL',
    c.default !== null ? `DEFAULT ${c.default}` : '',
    c.primaryKey ? 'PRIMARY KEY' : '',
    c.identity ? 'IDENTITY' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function describeIndex(i: Index): string {
  return `${i.unique ? 'unique ' : ''}on (${i.columns.join(', ')})${i.where ? ` WHERE ${i.where}` : ''}`;
}

function describeConstraint(k: Constraint): string {
  const cols = `(${k.columns.join(', ')})`;
  const text =
    k.kind === 'check'
      ? `CHECK (${k.expression ?? ''})`
      : k.kind === 'foreign_key' && k.references
        ? `FOREIGN KEY ${cols} REFERENCES ${k.references.table} (${k.references.columns.join(', ')})${k.references.onDelete ? ` ON DELETE ${k.references.onDelete}` : ''}`
        : `${k.kind === 'primary_key' ? 'PRIMARY KEY' : k.kind === 'unique' ? 'UNIQUE' : 'FOREIGN KEY'} ${cols}`;
  return k.validated ? text : `${text} NOT VALID`;
}

const yesNo = (v: boolean) => (v ? 'yes' : 'no');

function columnChanges(c: Extract<Change, { kind: 'column_changed' }>): string {
  return c.fields
    .map((f) => {
      if (f === 'type') return `type: ${c.before.type} -> ${c.after.type}`;
      if (f === 'nullable')
        return `${c.before.nullable ? 'NULL' : 'NOT NULL'} -> ${c.after.nullable ? 'NULL' : 'NOT NULL'}`;
      if (f === 'default') return `default: ${c.before.default ?? 'none'} -> ${c.after.default ?? 'none'}`;
      if (f === 'identity')
        return `identity: ${yesNo(c.before.identity ?? false)} -> ${yesNo(c.after.identity ?? false)}`;
      return `primary key: ${yesNo(c.before.primaryKey)} -> ${yesNo(c.after.primaryKey)}`;
    })
    .join('; ');
}

function item(c: Change): TreeItem {
  switch (c.kind) {
    case 'table_added':
      return { kind: 'table', label: c.table, badge: 'added', detail: plural(c.after.columns.length, 'column') };
    case 'table_dropped':
      return {
        kind: 'table',
        label: c.table,
        badge: 'dropped',
        detail: `${plural(c.before.columns.length, 'column')}, about ${plural(c.before.rowEstimate, 'row')}`,
      };
    case 'column_added':
      return { kind: 'column', label: `${c.table}.${c.column}`, badge: 'added', detail: describeColumn(c.after) };
    case 'column_dropped':
      return { kind: 'column', label: `${c.table}.${c.column}`, badge: 'dropped', detail: describeColumn(c.before) };
    case 'column_changed':
      return { kind: 'column', label: `${c.table}.${c.column}`, badge: 'changed', detail: columnChanges(c) };
    case 'index_added':
      return { kind: 'index', label: `${c.table}.${c.index}`, badge: 'added', detail: describeIndex(c.after) };
    case 'index_dropped':
      return { kind: 'index', label: `${c.table}.${c.index}`, badge: 'dropped', detail: describeIndex(c.before) };
    case 'index_changed':
      return {
        kind: 'index',
        label: `${c.table}.${c.index}`,
        badge: 'changed',
        detail: `${describeIndex(c.before)} -> ${describeIndex(c.after)}`,
      };
    case 'constraint_added':
      return {
        kind: 'constraint',
        label: `${c.table}.${c.constraint}`,
        badge: 'added',
        detail: describeConstraint(c.after),
      };
    case 'constraint_dropped':
      return {
        kind: 'constraint',
        label: `${c.table}.${c.constraint}`,
        badge: 'dropped',
        detail: describeConstraint(c.before),
      };
    case 'constraint_changed':
      return {
        kind: 'constraint',
        label: `${c.table}.${c.constraint}`,
        badge: 'changed',
        detail: `${describeConstraint(c.before)} -> ${describeConstraint(c.after)}`,
      };
    case 'trigger_added':
      return { kind: 'trigger', label: `${c.table}.${c.trigger}`, badge: 'added', detail: c.after.sql };
    case 'trigger_dropped':
      return { kind: 'trigger', label: `${c.table}.${c.trigger}`, badge: 'dropped', detail: c.before.sql };
    case 'trigger_changed':
      return { kind: 'trigger', label: `${c.table}.${c.trigger}`, badge: 'changed', detail: c.after.sql };
    case 'view_added':
      return { kind: 'view', label: c.view, badge: 'added', detail: c.after.sql };
    case 'view_dropped':
      return { kind: 'view', label: c.view, badge: 'dropped', detail: c.before.sql };
    case 'view_changed':
      return { kind: 'view', label: c.view, badge: 'changed', detail: c.after.sql };
  }
}

/** Tables in the order the diff first names them (changes, then DDL-only tables), and the view changes. */
export function diffTree(diff: SchemaDiff): { tables: TreeTable[]; views: TreeItem[] } {
  const tables = new Map<string, TreeTable>();
  const table = (name: string) => {
    let t = tables.get(name);
    if (!t)
      tables.set(
        name,
        (t = { table: name, badge: null, items: [], ddl: diff.tables.find((d) => d.table === name) ?? null }),
      );
    return t;
  };
  const views: TreeItem[] = [];
  for (const c of diff.changes) {
    const it = item(c);
    if (!('table' in c)) views.push(it);
    else if (it.kind === 'table') table(c.table).badge = it.badge;
    else table(c.table).items.push(it);
  }
  for (const d of diff.tables) table(d.table);
  return { tables: [...tables.values()], views };
}
