/**
 * Idempotent re-apply: before a SchemaModificationNode is planned, whether its effect is already in
 * the schema exactly as the node would make it (a column of the same type, nullability and default;
 * an index of the same definition; a constraint that exists and is valid; a table renamed, dropped
 * or created as the node says). Then the node is `already applied`: it plans no step, and the run
 * goes on. An object of the node's name with another definition is a conflict (DF120) naming both
 * definitions and the fix.
 *
 * "As the node would make it" is the planner's own answer: the node is planned (without data
 * probes) against the schema with the object taken out, and the table it leads to is compared with
 * the live one by the schema diff. Operations that change an existing object in place
 * (alter_column_type, set_default, drop_default, add_constraint not_null) are planned against the
 * schema as it is: a plan whose `after` equals it changes nothing. Drops are applied when the
 * object is gone; renames when the old name is gone and the new one exists. A column an add_column
 * finds is also compared as the workflow's later nodes then change it in place (its type, default,
 * NOT NULL, a constraint or index on it alone): a workflow that adds a column NULL and later makes
 * it NOT NULL is applied when the column is there NOT NULL.
 *
 * Both dialect planners (postgres/plan/index.ts, sqlite/plan/index.ts) plan through `planReapplying`.
 */
import { diffSchemas } from '../../shared/diff.ts';
import type { Change } from '../../shared/diff-types.ts';
import type { SchemaModificationParams } from '../../shared/nodes/schema-modification.ts';
import { madeFrom, tableNamed, tablesHoldingName } from '../../shared/schema-names.ts';
import type { Column, Constraint, Index, Schema, Table } from '../../shared/schema.ts';
import type { LaterChange, Plan } from './dialect.ts';
import { planProblem } from './plan-problem.ts';
import type { RuleFeed } from './plan-rules/feed.ts';

/** Plans the operation against `schema`, with or without the plan-time data probes. */
export type PlanOn = (p: SchemaModificationParams, schema: Schema, probeData: boolean) => Promise<Plan>;

type Found = { applied: string } | { conflict: { field: string; message: string } } | null;

/**
 * The plan of `p` on `schema`: `alreadyApplied` with no step when its effect is there already, a
 * DF120 error when an object of its name is there with another definition, else `planOn`'s plan.
 * `later`: the workflow's nodes after this one (SchemaPlanOptions.later).
 */
export async function planReapplying(
  p: SchemaModificationParams,
  schema: Schema,
  feed: Pick<RuleFeed, 'sameName'>,
  planOn: PlanOn,
  probeData: boolean,
  later: readonly LaterChange[],
): Promise<Plan> {
  const found = await new Reapply(p, schema, feed.sameName, planOn, later).find();
  if (found && 'applied' in found) return { steps: [], problems: [], after: schema, alreadyApplied: found.applied };
  if (found)
    return { steps: [], problems: [planProblem('DF120', found.conflict.field, found.conflict.message)], after: schema };
  return planOn(p, schema, probeData);
}

const q = (name: string) => `"${name}"`;
const list = (names: readonly string[]) => names.join(', ');

/** `varchar(20) NOT NULL DEFAULT 'x' UNIQUE`: a column as a DBA reads its definition. */
export function describeColumn(c: Column, t: Table): string {
  const parts = [c.type, c.nullable ? 'NULL' : 'NOT NULL'];
  if (c.identity) parts.push('IDENTITY');
  if (c.default !== null) parts.push(`DEFAULT ${c.default}`);
  if (c.primaryKey) parts.push('PRIMARY KEY');
  const single = (cols: readonly string[]) => cols.length === 1 && cols[0] === c.name;
  if (
    t.constraints.some((k) => k.kind === 'unique' && single(k.columns)) ||
    t.indexes.some((i) => i.unique && i.where === null && single(i.columns) && !c.primaryKey)
  )
    parts.push('UNIQUE');
  return parts.join(' ');
}

/** `CHECK (age >= 0)`, `FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE cascade`, with NOT VALID when it is not validated. */
export function describeConstraint(k: Constraint): string {
  const cols = `(${list(k.columns)})`;
  const text =
    k.kind === 'check'
      ? `CHECK (${k.expression ?? ''})`
      : k.kind === 'foreign_key'
        ? `FOREIGN KEY ${cols} REFERENCES ${k.references?.table ?? '?'} (${list(k.references?.columns ?? [])})${k.references?.onDelete ? ` ON DELETE ${k.references.onDelete}` : ''}`
        : `${k.kind === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} ${cols}`;
  return k.validated ? text : `${text} NOT VALID`;
}

/** `UNIQUE INDEX ON users (email) WHERE ...`. */
export function describeIndex(i: Index): string {
  return `${i.unique ? 'UNIQUE ' : ''}INDEX ON ${i.table} (${list(i.columns)})${i.where ? ` WHERE ${i.where}` : ''}`;
}

function describeTable(t: Table): string {
  return `(${t.columns.map((c) => `${c.name} ${describeColumn(c, t)}`).join(', ')})`;
}

class Reapply {
  constructor(
    readonly p: SchemaModificationParams,
    readonly schema: Schema,
    readonly sameName: (a: string, b: string) => boolean,
    readonly planOn: PlanOn,
    readonly later: readonly LaterChange[],
  ) {}

  /** The table of exactly that name (as the planners look it up). */
  table(name: string, schema = this.schema): Table | undefined {
    return tableNamed(schema, name);
  }

  /** Whether a table of that name is there, by the database's own comparison (SQLite ignores case). */
  anyTable(name: string): boolean {
    return tablesHoldingName(this.schema, name).some((t) => this.sameName(t.name, name));
  }

  /** The column of exactly that name. */
  column(t: Table, name: string): Column | undefined {
    return t.columns.find((c) => c.name === name);
  }

  anyColumn(t: Table, name: string): boolean {
    return t.columns.some((c) => this.sameName(c.name, name));
  }

  /** The schema with `t` replaced by `by` (or taken out). */
  replace(t: Table, by: Table | null): Schema {
    const next = { ...this.schema, tables: this.schema.tables.flatMap((x) => (x === t ? (by ? [by] : []) : [x])) };
    madeFrom(next, this.schema);
    return next;
  }

  /** What `after` (a plan's) changes of table `t` compared with the schema as it is, the changes kept by `keep`. */
  changes(planned: Plan, t: string, keep: (c: Change) => boolean = () => true): Change[] {
    return diffSchemas(this.schema, planned.after, { tables: [t] }).changes.filter(keep);
  }

  /** Plans on `schema` without data probes; null when the plan has an error (the real plan reports it). */
  async planned(schema: Schema): Promise<Plan | null> {
    const plan = await this.planOn(this.p, schema, false);
    return plan.problems.some((x) => x.severity === 'error') ? null : plan;
  }

  async find(): Promise<Found> {
    const p = this.p;
    const t = this.table(p.table);
    switch (p.operation) {
      case 'create_table':
        return t ? this.createdTable(t) : null;
      case 'drop_table':
        return this.anyTable(p.table) || this.schema.views.some((v) => this.sameName(v.name, p.table))
          ? null
          : { applied: `there is no table ${q(p.table)}: it is dropped already` };
      case 'rename_table':
        return !this.anyTable(p.table) && this.table(p.new_name)
          ? { applied: `there is no table ${q(p.table)} and there is a table ${q(p.new_name)}: it is renamed already` }
          : null;
      case 'drop_index':
        return this.droppedIndex(p.index_name, t);
    }
    if (!t) return null;
    switch (p.operation) {
      case 'add_column':
        return this.addedColumn(t, p.column_name);
      case 'drop_column':
        return this.anyColumn(t, p.column_name)
          ? null
          : {
              applied: `table ${q(t.name)} has no column ${q(p.column_name)}: it is dropped already (its columns: ${list(t.columns.map((c) => c.name))})`,
            };
      case 'rename_column':
        return !this.anyColumn(t, p.column_name) && this.column(t, p.new_name)
          ? {
              applied: `table ${q(t.name)} has a column ${q(p.new_name)} and none named ${q(p.column_name)}: it is renamed already`,
            }
          : null;
      case 'alter_column_type':
      case 'set_default':
      case 'drop_default':
        return this.unchanged(t, p.column_name);
      case 'add_constraint':
        return p.constraint_type === 'not_null' ? this.unchanged(t, p.column_name) : this.addedConstraint(t);
      case 'drop_constraint':
        return t.constraints.some((k) => this.sameName(k.name, p.constraint_name)) ||
          t.indexes.some((i) => this.sameName(i.name, p.constraint_name))
          ? null
          : {
              applied: `table ${q(t.name)} has no constraint ${q(p.constraint_name)}: it is dropped already (its constraints: ${list(t.constraints.map((k) => k.name)) || 'none'})`,
            };
      case 'create_index':
        return this.createdIndex(t);
    }
  }

  /** alter_column_type, set_default, drop_default, not_null: planned on the schema as it is, the column unchanged. */
  async unchanged(t: Table, name: string): Promise<Found> {
    const c = this.column(t, name);
    if (!c) return null;
    const planned = await this.planned(this.schema);
    if (!planned || this.changes(planned, t.name).length > 0) return null;
    return { applied: `column ${q(c.name)} of ${q(t.name)} is already ${describeColumn(c, t)}` };
  }

  async addedColumn(t: Table, name: string): Promise<Found> {
    const c = this.column(t, name);
    if (!c) return null;
    const own = (cols: readonly string[]) => cols.length === 1 && cols[0] === c.name;
    const keys = new Set(t.constraints.filter((k) => k.kind !== 'check' && own(k.columns)).map((k) => k.name));
    const without: Table = {
      ...t,
      columns: t.columns.filter((x) => x !== c),
      constraints: t.constraints.filter((k) => !keys.has(k.name)),
      indexes: t.indexes.filter((i) => !keys.has(i.name) && !(i.constraintBacked && own(i.columns))),
    };
    const planned = await this.planned(this.replace(t, without));
    if (!planned) return null;
    const touches = (x: Change) =>
      ('column' in x && x.column === c.name) ||
      ('constraint' in x && own((x.kind === 'constraint_added' ? x.after : x.before).columns)) ||
      ('index' in x && own((x.kind === 'index_added' ? x.after : x.before).columns));
    const made = this.table(t.name, planned.after)!;
    if (this.changes(planned, t.name, touches).length === 0)
      return { applied: `column ${q(c.name)} of ${q(t.name)} exists already as ${describeColumn(c, t)}` };
    const then = await this.thenChanged(planned, t.name, c.name);
    if (then && this.changes(then.plan, t.name, touches).length === 0)
      return {
        applied: `column ${q(c.name)} of ${q(t.name)} exists already as ${describeColumn(c, t)}, as this node adds it and ${then.nodes.length === 1 ? 'node' : 'nodes'} ${list(then.nodes.map(q))} of this workflow then ${then.nodes.length === 1 ? 'changes' : 'change'} it`,
      };
    return {
      conflict: {
        field: 'column_name',
        message: `column ${q(c.name)} of ${q(t.name)} exists already as ${describeColumn(c, t)}, but this node adds it as ${describeColumn(this.column(made, c.name)!, made)}; change the existing column to match (alter_column_type, set_default, drop_default, add_constraint), or give this node's column another name`,
      },
    };
  }

  /**
   * `planned` (this node's add_column of `column` on `table`) followed by the plans of the later
   * changes of that column (laterOnColumn), each planned on what the one before leads to; null
   * when there is none, or one of their plans has an error.
   */
  async thenChanged(planned: Plan, table: string, column: string): Promise<{ plan: Plan; nodes: string[] } | null> {
    const changes = laterOnColumn(this.later, table, column, this.sameName);
    if (changes.length === 0) return null;
    let plan = planned;
    for (const { params } of changes) {
      plan = await this.planOn(params, plan.after, false);
      if (plan.problems.some((x) => x.severity === 'error')) return null;
    }
    return { plan, nodes: changes.map((c) => c.node) };
  }

  async addedConstraint(t: Table): Promise<Found> {
    const p = this.p as Extract<SchemaModificationParams, { operation: 'add_constraint' }>;
    const named = p.constraint_name;
    const candidates = t.constraints.filter(
      (k) => k.kind === p.constraint_type && (named === undefined || k.name === named),
    );
    let theirs: { existing: Constraint; planned: Constraint | undefined } | undefined;
    for (const k of candidates) {
      const same = (cols: readonly string[]) => cols.join('\0') === k.columns.join('\0');
      const without: Table = {
        ...t,
        columns: t.columns.map((c) => (k.kind === 'primary_key' && c.primaryKey ? { ...c, primaryKey: false } : c)),
        constraints: t.constraints.filter((x) => x !== k),
        indexes: t.indexes.filter((i) => i.name !== k.name && !(i.constraintBacked && i.unique && same(i.columns))),
      };
      const planned = await this.planned(this.replace(t, without));
      if (!planned) continue;
      if (this.changes(planned, t.name).length === 0)
        return { applied: `table ${q(t.name)} has ${describeConstraint(k)} already, as constraint ${q(k.name)}` };
      theirs ??= {
        existing: k,
        planned: this.table(t.name, planned.after)?.constraints.find((x) => x.name === k.name),
      };
    }
    if (named === undefined || !theirs) return null;
    return {
      conflict: {
        field: 'constraint_name',
        message: `constraint ${q(theirs.existing.name)} of ${q(t.name)} exists already as ${describeConstraint(theirs.existing)}, but this node adds ${theirs.planned ? describeConstraint(theirs.planned) : 'another definition'}; drop_constraint the existing one first, or give this node's constraint another name`,
      },
    };
  }

  async createdIndex(t: Table): Promise<Found> {
    const p = this.p as Extract<SchemaModificationParams, { operation: 'create_index' }>;
    const named = p.index_name;
    const candidates = t.indexes.filter(
      (i) =>
        !i.constraintBacked &&
        (named !== undefined
          ? i.name === named
          : i.columns.length === p.columns.length && i.columns.every((c, n) => c === p.columns[n])),
    );
    for (const i of candidates) {
      const planned = await this.planned(this.replace(t, { ...t, indexes: t.indexes.filter((x) => x !== i) }));
      if (!planned) continue;
      if (this.changes(planned, t.name).length === 0)
        return { applied: `index ${q(i.name)} exists already as ${describeIndex(i)}` };
      if (named === undefined) continue;
      const made = this.table(t.name, planned.after)?.indexes.find((x) => x.name === i.name);
      return {
        conflict: {
          field: 'index_name',
          message: `index ${q(i.name)} exists already as ${describeIndex(i)}, but this node creates ${made ? describeIndex(made) : 'another definition'}; drop_index the existing one first, or give this node's index another name`,
        },
      };
    }
    return null;
  }

  droppedIndex(name: string, t: Table | undefined): Found {
    const anywhere = tablesHoldingName(this.schema, name).some(
      (x) =>
        x.indexes.some((i) => this.sameName(i.name, name)) || x.constraints.some((k) => this.sameName(k.name, name)),
    );
    if (anywhere) return null;
    const own = t?.indexes.filter((i) => !i.constraintBacked).map((i) => i.name) ?? [];
    const others = t ? ` (the indexes of ${q(t.name)}: ${list(own) || 'none'})` : '';
    return { applied: `there is no index ${q(name)}: it is dropped already${others}` };
  }

  async createdTable(t: Table): Promise<Found> {
    const planned = await this.planned(this.replace(t, null));
    if (!planned) return null;
    if (this.changes(planned, t.name).length === 0)
      return { applied: `table ${q(t.name)} exists already as ${describeTable(t)}` };
    const made = this.table(t.name, planned.after);
    return {
      conflict: {
        field: 'columns',
        message: `table ${q(t.name)} exists already as ${describeTable(t)}, but this node creates it as ${made ? describeTable(made) : 'another definition'}; change the existing table to match, drop it first, or give this node's table another name`,
      },
    };
  }
}

/** The operations that change a column where it stands, which a later node may make to a column this node adds. */
const IN_PLACE = new Set(['alter_column_type', 'set_default', 'drop_default', 'add_constraint', 'create_index']);

/**
 * The later changes (SchemaPlanOptions.later) an add_column of `column` on `table` is compared
 * with: those that change that column where it stands (its type, default, NOT NULL, a constraint
 * or index on it alone), up to the first that renames or drops the table or the column. Names
 * compare with `sameName`.
 */
export function laterOnColumn(
  later: readonly LaterChange[],
  table: string,
  column: string,
  sameName: (a: string, b: string) => boolean,
): LaterChange[] {
  const out: LaterChange[] = [];
  for (const change of later) {
    const lp = change.params;
    if (!sameName(lp.table, table)) continue;
    if (lp.operation === 'drop_table' || lp.operation === 'rename_table') break;
    const cols = lp.columns?.map((c) => (typeof c === 'string' ? c : c.name)) ?? [];
    const own =
      (lp.column_name !== undefined && sameName(lp.column_name, column)) ||
      (cols.length === 1 && sameName(cols[0]!, column));
    if (own && (lp.operation === 'drop_column' || lp.operation === 'rename_column')) break;
    if (own && IN_PLACE.has(lp.operation)) out.push(change);
  }
  return out;
}
