/**
 * The schema after rename_column and rename_table (one ALTER TABLE each, in columns.ts and
 * tables.ts): SQLite rewrites every reference (indexes, CHECKs, views, triggers, other tables'
 * foreign keys) quoting the new name; the planned schema does the same so that it matches what
 * introspection reads afterwards.
 */
import { findTable, type Schema, type Table } from '../../../../shared/schema.ts';
import { madeFrom, tablesReferencing } from '../../../../shared/schema-names.ts';
import { renameReferences } from '../ddl.ts';
import { indexWhere } from '../table-details.ts';
import { withTable, type TablePlan } from './context.ts';
import { dependentTriggers, dependentViews } from './rebuild.ts';
import { renameRefs, type RenameTarget } from './rename-sql.ts';

/** Columns of a table of the schema before the rename, by case-insensitive name. */
function columnsIn(schema: Schema): (table: string) => string[] | undefined {
  return (name) =>
    schema.tables.find((t) => t.name.toLowerCase() === name.toLowerCase())?.columns.map((col) => col.name);
}

/** Views and triggers of the applied schema as SQLite's RENAME rewrites them. */
function renamedSql(c: TablePlan, applied: Schema, target: RenameTarget): Schema {
  const deps = dependentViews(c.schema, c.table.name);
  const views = new Set(deps.map((v) => v.name));
  const triggers = new Set([
    ...c.schema.triggers.filter((t) => t.table.toLowerCase() === c.table.name.toLowerCase()).map((t) => t.name),
    ...dependentTriggers(c.schema, c.table.name, deps).map((t) => t.name),
  ]);
  const before = new Map(c.schema.triggers.map((t) => [t.name, t]));
  const columnsOf = columnsIn(c.schema);
  const next = {
    ...applied,
    views: applied.views.map((v) => (views.has(v.name) ? { ...v, sql: renameRefs(v.sql, target, columnsOf) } : v)),
    triggers: applied.triggers.map((t) =>
      triggers.has(t.name)
        ? { ...t, sql: renameRefs(t.sql, target, columnsOf, before.get(t.name)?.table ?? t.table) }
        : t,
    ),
  };
  madeFrom(next, applied);
  return next;
}

/** Index and CHECK text of the renamed table as SQLite rewrites it. */
function renamedTableText(c: TablePlan, t: Table, target: RenameTarget): Table {
  const before = c.table;
  const columnsOf = columnsIn(c.schema);
  return {
    ...t,
    indexes: t.indexes.map((i) => {
      const old = before.indexes.find((b) => b.sql !== null && b.name === i.name);
      if (!old?.sql) return i;
      const sql = renameRefs(old.sql, target, columnsOf);
      return { ...i, sql, where: i.where === null ? null : indexWhere(sql) };
    }),
    constraints: t.constraints.map((k) => {
      const old = before.constraints.find((b) => b.name === k.name);
      return old?.expression ? { ...k, expression: renameRefs(old.expression, target, columnsOf) } : k;
    }),
  };
}

/** The tables referencing `c.table` with their stored DDL rewritten as SQLite's RENAME does (see renameReferences). */
function withChildDdl(c: TablePlan, applied: Schema, column: string | null, to: string): Schema {
  const children = new Map(
    tablesReferencing(c.schema, c.table.name)
      .filter((o) => o.name !== c.table.name)
      .map((o) => [o.name, renameReferences(o.ddl, c.table.name, column, to)]),
  );
  const next = {
    ...applied,
    tables: applied.tables.map((o) => (children.has(o.name) ? { ...o, ddl: children.get(o.name) as string } : o)),
  };
  madeFrom(next, applied);
  return next;
}

/** `c.after` once the RENAME of `target` ran: the applied model with every reference rewritten as SQLite does. */
export function renamed(c: TablePlan, applied: Schema, target: RenameTarget): void {
  const name = target.column === null ? target.to : c.table.name;
  c.inPlace(
    renamedSql(c, applied, target),
    target.column === null ? { newName: target.to } : { renamedColumn: { from: target.column, to: target.to } },
  );
  const t = findTable(c.after, name) as Table;
  c.after = withChildDdl(c, withTable(c.after, name, renamedTableText(c, t, target)), target.column, target.to);
}
