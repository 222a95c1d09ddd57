/**
 * The PostgreSQL planner: one SchemaModificationNode operation -> the cheapest correct DDL steps,
 * the problems found at plan time, and the schema after (shared/schema-apply.ts, refined with the
 * text PostgreSQL itself will store).
 *
 * Every user value is checked before it reaches SQL: types by the type grammar, literals by their
 * column's type family, SQL text by `checkExpression`, then compiled by PostgreSQL on a scratch
 * TEMP table (scratch.ts). Data checks run as read-only probes (probe.ts) against the live table;
 * in plan mode a table or column that exists only in the simulated schema has no rows to check.
 * The operations live in columns.ts, constraints.ts, indexes.ts and tables.ts, each on the PgPlan
 * builder of context.ts.
 */
import type { SchemaModificationParams, SchemaOperationName } from '../../../../shared/nodes/schema-modification.ts';
import { applySchemaChange } from '../../../../shared/schema-apply.ts';
import { tableNamed, tablesNotIn } from '../../../../shared/schema-names.ts';
import type { Schema } from '../../../../shared/schema.ts';
import type { LaterChange, Plan } from '../../dialect.ts';
import type { Driver } from '../../driver.ts';
import { addColumn, alterColumnType, dropColumn, dropDefault, renameColumn, setDefault } from './columns.ts';
import { addConstraint, dropConstraint } from './constraints.ts';
import { PgPlan, pgRules, type OperationPlan } from './context.ts';
import { planReapplying } from '../../reapply.ts';
import { modelLiteral } from './values.ts';
import { createIndex, dropIndex } from './indexes.ts';
import { createTable, dropTable, renameTable } from './tables.ts';

export interface PlanOptions {
  /** `server_version_num` of the server (170010); by default derived from `schema.version`. */
  serverVersionNum?: number;
  /** How long a plan-time data check may wait for a lock (default 2000 ms). */
  probeLockTimeoutMs?: number;
  /** Run the data checks the steps enforce themselves (default true; see SchemaPlanOptions in dialect.ts). */
  probeData?: boolean;
  /** The workflow's later changes (SchemaPlanOptions.later in dialect.ts). */
  later?: readonly LaterChange[];
}

/** `17.10` -> 170010, `9.6.3` -> 90603. */
export function versionNum(version: string): number {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map((p) => parseInt(p, 10) || 0);
  return major >= 10 ? major * 10000 + minor : major * 10000 + minor * 100 + patch;
}

/** The planner of each operation, on a builder whose params the operation types. */
const OPERATIONS: { [O in SchemaOperationName]: (ctx: OperationPlan<O>) => Promise<void> } = {
  add_column: addColumn,
  drop_column: dropColumn,
  rename_column: renameColumn,
  alter_column_type: alterColumnType,
  set_default: setDefault,
  drop_default: dropDefault,
  add_constraint: addConstraint,
  drop_constraint: dropConstraint,
  create_index: createIndex,
  drop_index: dropIndex,
  create_table: createTable,
  drop_table: dropTable,
  rename_table: renameTable,
};

/**
 * Plans one operation against `schema` (live, or simulated in plan mode). `driver` is used only
 * for read-only probes and rolled-back scratch compilation; nothing it does persists. With an
 * error among the problems, the plan has no steps and `after` is `schema`; a change that is in the
 * schema already is `alreadyApplied` (../../reapply.ts).
 */
export function planSchemaChange(
  params: SchemaModificationParams,
  schema: Schema,
  driver: Driver,
  options: PlanOptions = {},
): Promise<Plan> {
  const version = options.serverVersionNum ?? versionNum(schema.version);
  return planReapplying(
    params,
    schema,
    pgRules(version),
    (p, s, probeData) => planOperation(p, s, driver, { ...options, probeData }),
    options.probeData ?? true,
    options.later ?? [],
  );
}

async function planOperation(
  params: SchemaModificationParams,
  schema: Schema,
  driver: Driver,
  options: PlanOptions,
): Promise<Plan> {
  const ctx = new PgPlan(
    params,
    schema,
    driver,
    options.serverVersionNum ?? versionNum(schema.version),
    options.probeLockTimeoutMs ?? 2000,
    options.probeData ?? true,
  );
  // The table pairs each operation with its planner; TypeScript cannot follow `params.operation` into it.
  await (OPERATIONS[params.operation] as (ctx: PgPlan) => Promise<void>)(ctx);
  if (ctx.failed()) return ctx.plan(schema);
  try {
    const after = applySchemaChange(schema, ctx.model, { literal: modelLiteral });
    for (const patch of ctx.patches) patch(after);
    forgetDescriptiveIndexSql(schema, after);
    return ctx.plan(after);
  } catch (e) {
    ctx.error('DF901', undefined, (e as Error).message);
    return ctx.plan(schema);
  }
}

/**
 * Index `sql` in the model is descriptive; PostgreSQL reports its own text (pg_get_indexdef) once
 * the index exists. An index whose text the model rewrote is left without one until then.
 */
function forgetDescriptiveIndexSql(before: Schema, after: Schema): void {
  // Only the tables the change copied can hold rewritten text: the others are shared with `before`.
  for (const t of tablesNotIn(after, before)) {
    const known = new Map((tableNamed(before, t.name)?.indexes ?? []).map((i) => [i.name, i.sql]));
    for (const i of t.indexes) if (i.sql !== null && known.get(i.name) !== i.sql) i.sql = null;
  }
}
