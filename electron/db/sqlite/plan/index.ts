/**
 * The SQLite planner of SchemaModificationNode: per operation, ALTER TABLE where SQLite can make
 * the change in place, otherwise the table rebuild (rebuild.ts). The operations live in
 * columns.ts, constraints.ts, indexes.ts and tables.ts, each on the builder of context.ts. Params are checked first
 * (values.ts: nothing a user typed reaches SQL unchecked), then the data (probes.ts: changes that
 * cannot succeed are errors before anything runs), then the steps are built. `Plan.after` is the
 * schema as introspection will read it once the steps ran.
 */
import type { SchemaModificationParams, SchemaOperationName } from '../../../../shared/nodes/schema-modification.ts';
import { findTable, type Schema } from '../../../../shared/schema.ts';
import type { Plan } from '../../dialect.ts';
import type { Driver } from '../../driver.ts';
import { tableExtras } from '../ddl.ts';
import { foreignKeyViolations, isForeignKeyCheck, violationMessage } from '../execute.ts';
import { addColumn, alterColumnType, dropColumn, dropDefault, renameColumn, setDefault } from './columns.ts';
import { addConstraint, dropConstraint } from './constraints.ts';
import { SQLITE_RULES, SqlitePlan, TablePlan, type OperationPlan, type PlannerOptions } from './context.ts';
import { planReapplying } from '../../reapply.ts';
import { createIndex, dropIndex } from './indexes.ts';
import * as names from '../../plan-rules/names.ts';
import * as probe from './probes.ts';
import { createTable, dropTable, renameTable } from './tables.ts';

export type { PlannerOptions };

/** The planner of each operation on an existing table, on a builder whose params the operation types. */
const OPERATIONS: { [O in Exclude<SchemaOperationName, 'create_table'>]: (c: OperationPlan<O>) => Promise<void> } = {
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
  drop_table: dropTable,
  rename_table: renameTable,
};

/**
 * Plans one SchemaModificationNode operation against `schema`; `driver` is only read. A change that
 * is in the schema already is `alreadyApplied` (../../reapply.ts).
 */
export function planSchemaChange(
  p: SchemaModificationParams,
  schema: Schema,
  driver: Driver,
  opts: PlannerOptions,
): Promise<Plan> {
  return planReapplying(
    p,
    schema,
    SQLITE_RULES,
    (params, s, probeData) => planOperation(params, s, driver, { ...opts, probeData }),
    opts.probeData,
    opts.later ?? [],
  );
}

async function planOperation(
  p: SchemaModificationParams,
  schema: Schema,
  driver: Driver,
  opts: PlannerOptions,
): Promise<Plan> {
  const c = await plan(new SqlitePlan(p, schema, driver, opts));
  if (!c.failed()) await foreignKeyChecks(c);
  return c.plan(c.after);
}

/**
 * For a rebuild: foreign keys must be off on the connection (they are: see driver.ts), and the
 * foreign key checks the rebuild ends with are run now (they only read): rows that already break
 * a foreign key would make the rebuild fail, so they are an error before anything runs (unless
 * `opts.probeData` is off: the rebuild's own checks then fail it, rolling it back).
 */
async function foreignKeyChecks(c: SqlitePlan): Promise<void> {
  const checks = c.steps.filter((x) => isForeignKeyCheck(x.sql));
  if (checks.length === 0) return;
  const { rows } = await c.driver.query<{ foreign_keys: number }>('PRAGMA foreign_keys');
  if (rows[0]?.foreign_keys === 1) {
    c.error(
      'DF603',
      'table',
      'foreign keys are ON on this connection: dropping the old table during the rebuild would run ON DELETE actions on the tables that reference it; open the database with foreign keys off (the default of the SQLite driver)',
    );
    return;
  }
  if (!c.probeData) return;
  for (const s of checks) {
    const message = violationMessage(await foreignKeyViolations(c.driver, s.sql).catch(() => []));
    if (message)
      c.error(
        'DF308',
        'table',
        `the rebuild ends with a foreign key check that would fail: ${message}; fix or delete those rows first`,
      );
  }
}

/** Plans on `c`; returns the builder the operation ran on (a TablePlan for an existing table). */
async function plan(c: SqlitePlan): Promise<SqlitePlan> {
  const { p, schema } = c;
  if (p.concurrently) {
    c.warn(
      'DF601',
      'concurrently',
      'SQLite has no CONCURRENTLY: the index is built or dropped inside the transaction, and writers wait meanwhile',
    );
  }
  const table = findTable(schema, p.table);
  if (p.operation === 'create_table') {
    if (!names.nameFree(c, p.table, 'table')) return c;
    const made = new SqlitePlan(p, schema, c.driver, c.opts);
    made.problems.push(...c.problems);
    await createTable(made);
    return made;
  }
  if (!table) {
    if (p.operation === 'drop_table' && p.if_exists) names.nothingToDrop(c, `table "${p.table}"`, 'table');
    else names.table(c, p.table);
    return c;
  }
  const on = new TablePlan(
    p,
    schema,
    c.driver,
    c.opts,
    table,
    tableExtras(table.ddl),
    await probe.tableExists(c.driver, table.name),
  );
  on.problems.push(...c.problems);
  // The table pairs each operation with its planner; TypeScript cannot follow `p.operation` into it.
  await (OPERATIONS[p.operation] as (c: TablePlan) => Promise<void>)(on);
  return on;
}
