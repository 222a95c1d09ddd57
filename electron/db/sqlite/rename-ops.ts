/**
 * rename_column and rename_table: one ALTER TABLE each. SQLite rewrites every reference (indexes,
 * CHECKs, views, triggers, other tables' foreign keys) quoting the new name; the planned schema
 * does the same so that it matches what introspection reads afterwards.
 */
import { findTable, type Schema, type Table } from '../../../shared/schema.ts';
import { renameReferences } from './ddl.ts';
import { indexWhere } from './introspect.ts';
import { altered, apply, column, err, step, withTable, type Ctx, type Outcome } from './planning.ts';
import { dependentTriggers, dependentViews } from './rebuild.ts';
import { quoteIdent as q } from './render.ts';
import { renameRefs, type RenameTarget } from './rename-sql.ts';

/** Columns of a table of the schema before the rename, by case-insensitive name. */
function columnsIn(schema: Schema): (table: string) => string[] | undefined {
  return (name) =>
    schema.tables.find((t) => t.name.toLowerCase() === name.toLowerCase())?.columns.map((col) => col.name);
}

/** Views and triggers of the applied schema as SQLite's RENAME rewrites them. */
function renamedSql(c: Ctx, applied: Schema, target: RenameTarget): Schema {
  const deps = dependentViews(c.schema, c.table.name);
  const views = new Set(deps.map((v) => v.name));
  const triggers = new Set([
    ...c.schema.triggers.filter((t) => t.table.toLowerCase() === c.table.name.toLowerCase()).map((t) => t.name),
    ...dependentTriggers(c.schema, c.table.name, deps).map((t) => t.name),
  ]);
  const before = new Map(c.schema.triggers.map((t) => [t.name, t]));
  const columnsOf = columnsIn(c.schema);
  return {
    ...applied,
    views: applied.views.map((v) => (views.has(v.name) ? { ...v, sql: renameRefs(v.sql, target, columnsOf) } : v)),
    triggers: applied.triggers.map((t) =>
      triggers.has(t.name)
        ? { ...t, sql: renameRefs(t.sql, target, columnsOf, before.get(t.name)?.table ?? t.table) }
        : t,
    ),
  };
}

/** Index and CHECK text of the renamed table as SQLite rewrites it. */
function renamedTableText(c: Ctx, t: Table, target: RenameTarget): Table {
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

export function renameColumn(c: Ctx): Outcome | null {
  const { p, table } = c;
  const from = p.column_name as string;
  const to = p.new_name as string;
  if (!column(c, from)) return null;
  if (table.columns.some((x) => x.name.toLowerCase() === to.toLowerCase())) {
    c.problems.push(err('new_name', `column "${to}" already exists in table "${table.name}"`));
    return null;
  }
  const applied = apply(c, 'new_name');
  if (!applied) return null;
  const target = { table: table.name, column: from, to };
  const out = altered(c, renamedSql(c, applied, target), [
    step(
      `ALTER TABLE ${q(table.name)} RENAME COLUMN ${q(from)} TO ${q(to)}`,
      `rename column "${from}" of "${table.name}" to "${to}"`,
      {
        reverse: `ALTER TABLE ${q(table.name)} RENAME COLUMN ${q(to)} TO ${q(from)}`,
      },
    ),
  ]);
  const t = findTable(out.after, table.name) as Table;
  return { ...out, after: withChildDdl(c, withTable(out.after, table.name, renamedTableText(c, t, target)), from, to) };
}

export function renameTable(c: Ctx): Outcome | null {
  const { p, table, schema } = c;
  const to = p.new_name as string;
  const clash = [
    ...schema.tables.flatMap((t) => [t.name, ...t.indexes.map((i) => i.name)]),
    ...schema.views.map((v) => v.name),
  ].find((n) => n.toLowerCase() === to.toLowerCase() && n !== table.name);
  if (clash !== undefined) {
    c.problems.push(err('new_name', `the name "${to}" is already used by table, view or index "${clash}"`));
    return null;
  }
  const applied = apply(c, 'new_name');
  if (!applied) return null;
  const target = { table: table.name, column: null, to };
  const out = altered(
    c,
    renamedSql(c, applied, target),
    [
      step(`ALTER TABLE ${q(table.name)} RENAME TO ${q(to)}`, `rename table "${table.name}" to "${to}"`, {
        reverse: `ALTER TABLE ${q(to)} RENAME TO ${q(table.name)}`,
      }),
    ],
    { newName: to },
  );
  const t = findTable(out.after, to) as Table;
  const after = withChildDdl(c, withTable(out.after, to, renamedTableText(c, t, target)), null, to);
  return { ...out, after };
}

/** The tables referencing `c.table` with their stored DDL rewritten as SQLite's RENAME does (see renameReferences). */
function withChildDdl(c: Ctx, applied: Schema, column: string | null, to: string): Schema {
  const children = new Map(
    c.schema.tables
      .filter((o) => o.name !== c.table.name && o.constraints.some((k) => k.references?.table === c.table.name))
      .map((o) => [o.name, renameReferences(o.ddl, c.table.name, column, to)]),
  );
  return {
    ...applied,
    tables: applied.tables.map((o) => (children.has(o.name) ? { ...o, ddl: children.get(o.name) as string } : o)),
  };
}
