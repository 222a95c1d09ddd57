/**
 * The one schema diff: compares two neutral schema models (usually introspected before and after
 * a run) and lists what changed as plain `Change` data, plus the before/after DDL of each changed
 * table. The product's own tables (`isInternalTable`) are never part of it.
 *
 * Order is deterministic: tables by name (per table: the table, its columns in column order, its
 * indexes, constraints and triggers by name), then views by name.
 */
import type { Change, ColumnField, SchemaDiff } from './diff-types.ts';
import { groupBy } from './group-by.ts';
import { isInternalTable } from './schema.ts';
import type { Column, Constraint, Index, Schema, Table, Trigger, View } from './schema.ts';

export interface DiffOptions {
  /** Only these tables (and their triggers, and the views that read them); a table counts if either side has it. */
  tables?: readonly string[];
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const norm = (sql: string) => sql.trim().replace(/\s+/g, ' ');

function indexChanged(a: Index, b: Index): boolean {
  return (
    !same([a.columns, a.unique, a.where, a.constraintBacked], [b.columns, b.unique, b.where, b.constraintBacked]) ||
    (a.sql !== null && b.sql !== null && norm(a.sql) !== norm(b.sql))
  );
}

function constraintChanged(a: Constraint, b: Constraint): boolean {
  return !same(
    [a.kind, a.columns, a.expression, a.references, a.validated],
    [b.kind, b.columns, b.expression, b.references, b.validated],
  );
}

function columnFields(a: Column, b: Column): ColumnField[] {
  return (['type', 'nullable', 'default', 'primaryKey', 'identity'] as const).filter(
    (f) => (a[f] ?? false) !== (b[f] ?? false),
  );
}

/** Pairs items of two lists by name, in name order. */
function pair<T extends { name: string }>(before: readonly T[], after: readonly T[]): [T | undefined, T | undefined][] {
  const names = [...new Set([...before, ...after].map((x) => x.name))].sort();
  return names.map((n) => [before.find((x) => x.name === n), after.find((x) => x.name === n)]);
}

function diffTable(b: Table, a: Table): Change[] {
  const table = a.name;
  const out: Change[] = [];
  for (const col of b.columns) {
    const now = a.columns.find((c) => c.name === col.name);
    if (!now) out.push({ kind: 'column_dropped', table, column: col.name, before: col });
  }
  for (const col of a.columns) {
    const was = b.columns.find((c) => c.name === col.name);
    if (!was) out.push({ kind: 'column_added', table, column: col.name, after: col });
    else {
      const fields = columnFields(was, col);
      if (fields.length > 0)
        out.push({ kind: 'column_changed', table, column: col.name, before: was, after: col, fields });
    }
  }
  for (const [x, y] of pair(b.indexes, a.indexes)) {
    if (x && !y) out.push({ kind: 'index_dropped', table, index: x.name, before: x });
    else if (!x && y) out.push({ kind: 'index_added', table, index: y.name, after: y });
    else if (x && y && indexChanged(x, y))
      out.push({ kind: 'index_changed', table, index: y.name, before: x, after: y });
  }
  for (const [x, y] of pair(b.constraints, a.constraints)) {
    if (x && !y) out.push({ kind: 'constraint_dropped', table, constraint: x.name, before: x });
    else if (!x && y) out.push({ kind: 'constraint_added', table, constraint: y.name, after: y });
    else if (x && y && constraintChanged(x, y))
      out.push({ kind: 'constraint_changed', table, constraint: y.name, before: x, after: y });
  }
  return out;
}

function diffTriggers(table: string, before: Trigger[], after: Trigger[]): Change[] {
  const out: Change[] = [];
  for (const [x, y] of pair(before, after)) {
    if (x && !y) out.push({ kind: 'trigger_dropped', table, trigger: x.name, before: x });
    else if (!x && y) out.push({ kind: 'trigger_added', table, trigger: y.name, after: y });
    else if (x && y && (x.table !== y.table || norm(x.sql) !== norm(y.sql)))
      out.push({ kind: 'trigger_changed', table, trigger: y.name, before: x, after: y });
  }
  return out;
}

/** The items of `list` by name (the first of a name, as a search of the list finds it). */
function firstByName<T extends { name: string }>(list: readonly T[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const x of list) if (!out.has(x.name)) out.set(x.name, x);
  return out;
}

/** True when a view reads one of `tables` (by its name or its `dependsOn` entries `table` / `table.column`). */
function viewInScope(v: View, tables: ReadonlySet<string>): boolean {
  return tables.has(v.name) || v.dependsOn.some((d) => tables.has(d) || tables.has(d.split('.')[0] ?? d));
}

/** What changed from `before` to `after`, limited to `options.tables` when given. */
export function diffSchemas(before: Schema, after: Schema, options: DiffOptions = {}): SchemaDiff {
  const filter = options.tables ? new Set(options.tables) : null;
  const inScope = (name: string) => !isInternalTable(name) && (!filter || filter.has(name));
  const names = [before, after]
    .flatMap((s) => [...s.tables.map((t) => t.name), ...s.triggers.map((t) => t.table)])
    .filter(inScope);
  const tablesOf = (s: Schema) => firstByName(s.tables);
  const triggersOf = (s: Schema) => groupBy(s.triggers, (t) => t.table);
  const [beforeTables, afterTables] = [tablesOf(before), tablesOf(after)];
  const [beforeTriggers, afterTriggers] = [triggersOf(before), triggersOf(after)];
  const changes: Change[] = [];
  const ddl: SchemaDiff['tables'] = [];
  for (const name of [...new Set(names)].sort()) {
    const b = beforeTables.get(name);
    const a = afterTables.get(name);
    const own: Change[] = [];
    if (b && !a) own.push({ kind: 'table_dropped', table: name, before: b });
    else if (!b && a) own.push({ kind: 'table_added', table: name, after: a });
    // A schema read again after a change shares the tables it did not read again: the same object is unchanged.
    else if (b && a && b !== a) own.push(...diffTable(b, a));
    const triggers = diffTriggers(
      name,
      [...(beforeTriggers.get(name) ?? [])].sort(byName),
      [...(afterTriggers.get(name) ?? [])].sort(byName),
    );
    if (own.length + triggers.length === 0) continue;
    changes.push(...own, ...triggers);
    if (a || b) ddl.push({ table: name, before: b?.ddl ?? null, after: a?.ddl ?? null });
  }
  const views = (s: Schema) => (filter ? s.views.filter((v) => viewInScope(v, filter)) : s.views);
  for (const [x, y] of pair(views(before), views(after))) {
    if (x && !y) changes.push({ kind: 'view_dropped', view: x.name, before: x });
    else if (!x && y) changes.push({ kind: 'view_added', view: y.name, after: y });
    else if (x && y && norm(x.sql) !== norm(y.sql))
      changes.push({ kind: 'view_changed', view: y.name, before: x, after: y });
  }
  return { changes, tables: ddl };
}
