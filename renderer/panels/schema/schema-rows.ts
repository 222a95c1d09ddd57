/**
 * The schema browser's rows: what a virtualised list of a 5,000-table schema draws, computed from
 * the schema, the filter and which tables are open. Two groups: the product's own tables
 * (`dataflow_*` bookkeeping and prior backups, shared/schema.ts `isInternalTable`) in a "DataFlow"
 * group that comes first and starts collapsed, then the user's tables. An open table adds one row per column, index and
 * constraint, each with its full text. Every row has the same height, so the list draws only
 * the rows in view.
 */
import {
  isInternalTable,
  type Column,
  type Constraint,
  type Index,
  type Schema,
  type Table,
} from '../../../shared/schema.ts';

export type SchemaRow =
  | { kind: 'group'; group: GroupName; count: number; open: boolean }
  | { kind: 'table'; table: Table; open: boolean }
  | { kind: 'column'; table: Table; column: Column; keys: string[] }
  | { kind: 'index'; table: Table; index: Index }
  | { kind: 'constraint'; table: Table; constraint: Constraint };

export type GroupName = 'tables' | 'dataflow';

/** Each table with the lower-case text a filter looks in (its name, then its columns' names), built once per schema. */
export interface SearchIndex {
  tables: readonly Table[];
  text: readonly string[];
}

export function searchIndex(schema: Schema): SearchIndex {
  return {
    tables: schema.tables,
    text: schema.tables.map((t) => [t.name, ...t.columns.map((c) => c.name)].join('\u0000').toLowerCase()),
  };
}

/** The tables whose name, or one of whose columns' names, contains `filter` (case-insensitive), in schema order. */
export function matchingTables(index: SearchIndex, filter: string): Table[] {
  const f = filter.trim().toLowerCase();
  if (!f) return [...index.tables];
  return index.tables.filter((_t, i) => index.text[i]!.includes(f));
}

/** How many matches a filter opens by itself (more stay closed: the list would be all details). */
export const OPEN_MATCHES = 20;

/** PK, FK -> table.column, UNIQUE, and the indexes a column is the first key of. */
function keysOf(t: Table, c: Column): string[] {
  const keys: string[] = [];
  if (c.primaryKey) keys.push('PK');
  if (c.identity) keys.push('identity');
  for (const k of t.constraints) {
    const at = k.columns.indexOf(c.name);
    if (at < 0) continue;
    if (k.kind === 'foreign_key' && k.references)
      keys.push(`FK → ${k.references.table}.${k.references.columns[at] ?? k.references.columns[0] ?? ''}`);
    if (k.kind === 'unique') keys.push('UNIQUE');
  }
  for (const i of t.indexes) if (i.columns[0] === c.name) keys.push(`${i.unique ? 'unique index' : 'index'} ${i.name}`);
  return keys;
}

export interface RowOptions {
  filter: string;
  /** Tables the user opened (by name); closed ones the filter opened are in `closed`. */
  opened: ReadonlySet<string>;
  closed: ReadonlySet<string>;
  /** Groups the user toggled from their default (tables open, DataFlow closed). */
  toggled: ReadonlySet<GroupName>;
}

/** The rows to draw, in order. */
export function schemaRows(index: SearchIndex, options: RowOptions): SchemaRow[] {
  const matches = matchingTables(index, options.filter);
  const filtering = options.filter.trim() !== '';
  const autoOpen = filtering && matches.length <= OPEN_MATCHES;
  const rows: SchemaRow[] = [];
  // The DataFlow group first: collapsed it is one row, where the end of 5,000 tables is far away.
  const groups: [GroupName, Table[]][] = [
    ['dataflow', matches.filter((t) => isInternalTable(t.name))],
    ['tables', matches.filter((t) => !isInternalTable(t.name))],
  ];
  for (const [group, tables] of groups) {
    if (group === 'dataflow' && tables.length === 0) continue;
    const open = (group === 'tables') !== options.toggled.has(group) || (filtering && group === 'dataflow');
    rows.push({ kind: 'group', group, count: tables.length, open });
    if (!open) continue;
    for (const table of tables) {
      const isOpen = (options.opened.has(table.name) || autoOpen) && !options.closed.has(table.name);
      rows.push({ kind: 'table', table, open: isOpen });
      if (!isOpen) continue;
      for (const column of table.columns) rows.push({ kind: 'column', table, column, keys: keysOf(table, column) });
      for (const i of table.indexes) rows.push({ kind: 'index', table, index: i });
      for (const k of table.constraints) rows.push({ kind: 'constraint', table, constraint: k });
    }
  }
  return rows;
}

/** `CHECK (...)`, `FOREIGN KEY (a) → t (id) ON DELETE cascade`, `PRIMARY KEY (id)`, `UNIQUE (a, b)`, NOT VALID when so. */
export function constraintText(k: Constraint): string {
  const cols = `(${k.columns.join(', ')})`;
  const text =
    k.kind === 'check'
      ? `CHECK (${k.expression ?? ''})`
      : k.kind === 'foreign_key' && k.references
        ? `FOREIGN KEY ${cols} → ${k.references.table} (${k.references.columns.join(', ')})${k.references.onDelete ? ` ON DELETE ${k.references.onDelete}` : ''}`
        : `${k.kind === 'primary_key' ? 'PRIMARY KEY' : k.kind === 'unique' ? 'UNIQUE' : k.kind.toUpperCase()} ${cols}`;
  return k.validated ? text : `${text} NOT VALID`;
}

/** `UNIQUE INDEX (a, b) WHERE ...`. */
export function indexText(i: Index): string {
  return `${i.unique ? 'UNIQUE INDEX' : 'INDEX'} (${i.columns.join(', ')})${i.where ? ` WHERE ${i.where}` : ''}`;
}
