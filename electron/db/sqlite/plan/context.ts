/**
 * The SQLite plan builders: what every operation of the SQLite planner shares beyond the steps and
 * problems (plan-builder.ts): the model applied with SQLite literals, and the two ways a change to
 * a table ends: ALTER statements on the table as it is (`inPlace`) or the table rebuild
 * (`rebuild`), each leaving the schema as introspection will read it afterwards.
 */
import { typeFamily } from '../../../../shared/column-type.ts';
import { applySchemaChange, chooseConstraintName } from '../../../../shared/schema-apply.ts';
import type {
  OperationParams,
  SchemaModificationParams,
  SchemaOperationName,
} from '../../../../shared/nodes/schema-modification.ts';
import { findTable, type Column, type Constraint, type Schema, type Table } from '../../../../shared/schema.ts';
import { madeFrom } from '../../../../shared/schema-names.ts';
import { PlanBuilder } from '../../plan-builder.ts';
import type { RuleFeed } from '../../plan-rules/feed.ts';
import type { LaterChange } from '../../dialect.ts';
import type { Driver } from '../../driver.ts';
import { parseCreateTable } from '../ddl.ts';
import { SyntheticNames } from '../table-details.ts';
import {
  declaredTypeSql,
  literal,
  normalizeDeclaredType,
  quoteIdent as q,
  renderCreateTable,
  jsonCheckSql,
  renderType,
  rowidAlias,
  type TableExtras,
} from '../render.ts';
import { referencedNames } from '../tokens.ts';
import { rebuildSteps } from './rebuild.ts';
import { declaredType } from './values.ts';

export interface PlannerOptions {
  /** ALTER TABLE ... ALTER COLUMN ... SET/DROP NOT NULL and ADD/DROP CONSTRAINT ... CHECK (SQLite 3.53+). */
  alterConstraints: boolean;
  /** Run the data checks the steps enforce themselves (SchemaPlanOptions.probeData). */
  probeData: boolean;
  /** The workflow's later changes (SchemaPlanOptions.later). */
  later?: readonly LaterChange[];
}

/**
 * SQLite ignores ASCII case in names ("Email" and "email" are one column); tables, views and
 * indexes share one namespace; names beginning with sqlite_ are its own. rowid, oid and _rowid_
 * read a table's rowid until a column takes the name: SQLite accepts such a column, and from then
 * on the name reads the column (the planners check it only where a rowid is hidden: not on a
 * WITHOUT ROWID table, not for the INTEGER PRIMARY KEY, which is the rowid).
 */
export const SQLITE_RULES: RuleFeed = {
  sameName: (a, b) => a.toLowerCase() === b.toLowerCase(),
  namespace: ['table', 'view', 'index'],
  reserved: /^sqlite_/i,
  systemColumns: {
    names: ['rowid', 'oid', '_rowid_'],
    why: "SQLite names a table's rowid so, and a column of that name hides the rowid from every query that reads it",
  },
};

export const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** How statements changed a table in place (TablePlan.inPlace). */
interface InPlaceOptions {
  /** The table's new name (rename_table). */
  newName?: string;
  /** The column renamed (rename_column). */
  renamedColumn?: { from: string; to: string };
  /** Names of constraints the statements added, which SQLite keeps under that name. */
  added?: string[];
  /** Only indexes changed: the table's CREATE TABLE text stays as it is. */
  indexOnly?: boolean;
}

/** The builder of every operation: the params, the options, and the schema after once it is known. */
export class SqlitePlan<P extends SchemaModificationParams = SchemaModificationParams> extends PlanBuilder<P> {
  /** The schema as introspection will read it after the steps (the schema as it is until an operation sets it). */
  after: Schema;

  constructor(
    p: P,
    schema: Schema,
    driver: Driver,
    readonly opts: PlannerOptions,
  ) {
    super(p, schema, driver, opts.probeData, SQLITE_RULES);
    this.after = schema;
  }

  /** applySchemaChange with SQLite literals; its refusal becomes an error problem. */
  apply(field?: string): Schema | null {
    try {
      return applySchemaChange(this.schema, this.p, { literal });
    } catch (e) {
      this.error('DF901', field, (e as Error).message);
      return null;
    }
  }
}

/** The builder of an operation on an existing table. */
export class TablePlan<P extends SchemaModificationParams = SchemaModificationParams> extends SqlitePlan<P> {
  constructor(
    p: P,
    schema: Schema,
    driver: Driver,
    opts: PlannerOptions,
    /** The table the operation is on, as it is. */
    readonly table: Table,
    readonly extras: TableExtras,
    /** False when the table exists only in the planned schema (an earlier node creates it): data checks are skipped. */
    readonly live: boolean,
  ) {
    super(p, schema, driver, opts);
  }

  /**
   * Whether to run a data check that the planned statement enforces itself (duplicates, rows
   * without a parent, NULLs before NOT NULL): on a live table, unless the caller turned them off.
   */
  get checksEnforced(): boolean {
    return this.live && this.probeData;
  }

  /**
   * The change is made by the ALTER statements added: `after` is the applied model, with SQLite's
   * own automatic indexes (unchanged by ALTER, renamed with the table) and, unless the table
   * definition stays as it is (`indexOnly`), its ddl as the equivalent CREATE TABLE.
   */
  inPlace(applied: Schema, opts: InPlaceOptions = {}): void {
    this.after = inPlaceSchema(this, applied, opts);
  }

  /** The change is made by rebuilding the table as the applied model's version of it. */
  rebuild(applied: Schema, reason: string, opts: { sources?: Map<string, string>; destructive?: boolean } = {}): void {
    const model = findTable(applied, this.table.name) as Table;
    const next = normalize(
      { ...model, indexes: model.indexes.filter((i) => !i.constraintBacked) },
      new Set(model.constraints.map((k) => k.name)),
      this.extras.withoutRowid,
    );
    const sources =
      opts.sources ??
      new Map(
        next.columns.filter((x) => this.table.columns.some((o) => o.name === x.name)).map((x) => [x.name, q(x.name)]),
      );
    try {
      next.columns.forEach((x) => declaredTypeSql(x.type));
    } catch (e) {
      this.error(
        'DF201',
        'table',
        `table "${this.table.name}" must be rebuilt for this change, but ${(e as Error).message}`,
      );
      return;
    }
    const r = rebuildSteps({
      schema: this.schema,
      before: this.table,
      after: next,
      extras: this.extras,
      sources,
      reason,
      destructive: opts.destructive ?? false,
    });
    this.steps.push(...r.steps);
    this.after = withTable(applied, this.table.name, r.table);
  }
}

/**
 * `schema` with table `name` replaced by `table` (which may carry a new name), noted as made from
 * `schema` (its name index is that change over `schema`'s, not a new index of every table).
 */
export function withTable(schema: Schema, name: string, table: Table): Schema {
  const next = {
    ...schema,
    tables: [...schema.tables.filter((t) => t.name !== name && t.name !== table.name), table].sort(byName),
  };
  madeFrom(next, schema);
  return next;
}

/**
 * A model table as introspection reads it back after ALTER statements: CHECK columns are the
 * columns its expression names, ON DELETE NO ACTION is no action (null), constraints SQLite
 * holds without a name get the synthetic name of the table they are now in, and the rowid alias
 * (unless the table is WITHOUT ROWID) is the one identity column.
 */
export function normalize(t: Table, explicit: ReadonlySet<string>, withoutRowid: boolean): Table {
  const names = new SyntheticNames(
    t.name,
    t.constraints.filter((k) => explicit.has(k.name)).map((k) => k.name),
  );
  const columnNames = t.columns.map((x) => x.name);
  const constraints = t.constraints.map((k): Constraint => {
    const columns = k.kind === 'check' ? referencedNames(k.expression ?? '', columnNames) : k.columns;
    const references = k.references
      ? { ...k.references, onDelete: k.references.onDelete === 'no action' ? null : k.references.onDelete }
      : null;
    return {
      ...k,
      table: t.name,
      columns,
      references,
      name: explicit.has(k.name) ? k.name : names.synthetic(k.kind, columns),
    };
  });
  const alias = rowidAlias(t, { withoutRowid });
  const columns = t.columns.map((col): Column => {
    const { identity: _, ...plain } = col;
    return col.name === alias ? { ...plain, identity: true } : plain;
  });
  return { ...t, columns, constraints };
}

/** Names written in the table's CREATE TABLE text (constraints SQLite keeps under that name). */
export function explicitNames(table: Table): Set<string> {
  return new Set((parseCreateTable(table.ddl)?.constraints ?? []).flatMap((k) => (k.name ? [k.name] : [])));
}

/** The schema after statements that change `c.table` in place (see TablePlan.inPlace). */
function inPlaceSchema(c: TablePlan, applied: Schema, opts: InPlaceOptions): Schema {
  const name = opts.newName ?? c.table.name;
  const model = findTable(applied, name) as Table;
  const explicit = new Set([...explicitNames(c.table), ...(opts.added ?? [])]);
  const renamed = (n: string) =>
    opts.newName ? n.replace(`sqlite_autoindex_${c.table.name}_`, `sqlite_autoindex_${name}_`) : n;
  const backed = c.table.indexes
    .filter((i) => i.constraintBacked)
    .map((i) => {
      const columns = i.columns.map((col) => (col === opts.renamedColumn?.from ? opts.renamedColumn.to : col));
      return { ...i, name: renamed(i.name), table: name, columns };
    });
  const table = normalize(
    { ...model, indexes: [...model.indexes.filter((i) => !i.constraintBacked), ...backed].sort(byName) },
    explicit,
    c.extras.withoutRowid,
  );
  if (opts.indexOnly) return withTable(applied, c.table.name, { ...table, ddl: c.table.ddl });
  let ddl = model.ddl;
  try {
    ddl = renderCreateTable(
      table,
      name,
      opts.renamedColumn ? renameExtras(c.extras, opts.renamedColumn.from, opts.renamedColumn.to) : c.extras,
    );
  } catch {
    // A declared type the renderer refuses: keep the model's descriptive DDL.
  }
  return withTable(applied, c.table.name, { ...table, ddl });
}

/** Extras keyed by column with column `from` called `to`. */
function renameExtras(e: TableExtras, from: string, to: string): TableExtras {
  const ren = <V>(m: Map<string, V>) => new Map([...m].map(([k, v]) => [k === from ? to : k, v]));
  return {
    ...e,
    autoincrement: e.autoincrement === from ? to : e.autoincrement,
    collations: ren(e.collations),
    generated: ren(e.generated),
  };
}

/**
 * The applied model with columns `names` of table `table` given SQLite's declared spelling of
 * their types: an identity column INTEGER (the rowid alias), a json or jsonb column TEXT with a
 * CHECK (json_valid(col)) that keeps it to JSON (unless it has that CHECK already).
 */
export function sqliteTypes(applied: Schema, table: string, names: readonly string[]): Schema {
  const t = findTable(applied, table);
  if (!t) return applied;
  const constraints = [...t.constraints];
  const columns = t.columns.map((col) => {
    if (!names.includes(col.name)) return col;
    // An identity column is the rowid alias, which SQLite numbers only when declared INTEGER.
    if (col.identity) return { ...col, type: 'integer' };
    const parsed = declaredType(col.type);
    if (!parsed) return col;
    const expression = jsonCheckSql(col.name);
    if (typeFamily(parsed) === 'json' && !constraints.some((k) => k.kind === 'check' && k.expression === expression)) {
      const name = chooseConstraintName(withTable(applied, table, { ...t, constraints }), table, 'check', [col.name]);
      constraints.push({
        name,
        table,
        kind: 'check',
        columns: [col.name],
        expression,
        references: null,
        validated: true,
      });
    }
    return { ...col, type: normalizeDeclaredType(renderType(parsed)) };
  });
  return withTable(applied, table, { ...t, columns, constraints });
}

/** The CHECK (json_valid(col)) sqliteTypes gave column `column` of table `table`, if any. */
export function jsonCheckOf(schema: Schema, table: string, column: string): Constraint | undefined {
  const expression = jsonCheckSql(column);
  return findTable(schema, table)?.constraints.find((k) => k.kind === 'check' && k.expression === expression);
}

/** The builder of operation `O` on an existing table, its params typed by the operation. */
export type OperationPlan<O extends SchemaOperationName> = TablePlan<OperationParams<O>>;
