/**
 * The SQLite planner of SchemaModificationNode: per operation, ALTER TABLE where SQLite can make
 * the change in place, otherwise the table rebuild (rebuild.ts). Params are checked first
 * (params.ts: nothing a user typed reaches SQL unchecked), then the data (probes.ts: changes that
 * cannot succeed are errors before anything runs), then the steps are built. `Plan.after` is the
 * schema as introspection will read it once the steps ran.
 */
import type { SchemaModificationParams } from '../../../shared/nodes/schema-modification.ts';
import { findTable, type Schema } from '../../../shared/schema.ts';
import type { Plan, Step } from '../dialect.ts';
import type { Driver } from '../driver.ts';
import { addColumn, alterColumnType, dropColumn, dropDefault, setDefault } from './column-ops.ts';
import { addConstraint, dropConstraint } from './constraint-ops.ts';
import { tableExtras } from './ddl.ts';
import { foreignKeyViolations, isForeignKeyCheck, violationMessage } from './execute.ts';
import { err, hasError, warn, type Ctx, type Outcome, type PlannerOptions, type Problems } from './planning.ts';
import * as probe from './probes.ts';
import { renameColumn, renameTable } from './rename-ops.ts';
import { createIndex, createTable, dropIndex, dropTable } from './table-ops.ts';

export type { PlannerOptions };

/** Plans one SchemaModificationNode operation against `schema`; `driver` is only read. */
export async function planSchemaChange(
  p: SchemaModificationParams,
  schema: Schema,
  driver: Driver,
  opts: PlannerOptions,
): Promise<Plan> {
  const problems: Problems = [];
  const outcome = await plan(p, schema, driver, opts, problems);
  if (outcome && !hasError(problems)) await foreignKeyChecks(outcome.steps, driver, opts, problems);
  if (hasError(problems) || !outcome) return { steps: [], problems, after: schema };
  return { steps: outcome.steps, problems, after: outcome.after };
}

/**
 * For a rebuild: foreign keys must be off on the connection (they are: see driver.ts), and the
 * foreign key checks the rebuild ends with are run now (they only read): rows that already break
 * a foreign key would make the rebuild fail, so they are an error before anything runs (unless
 * `opts.probeData` is off: the rebuild's own checks then fail it, rolling it back).
 */
async function foreignKeyChecks(
  steps: readonly Step[],
  driver: Driver,
  opts: PlannerOptions,
  problems: Problems,
): Promise<void> {
  const checks = steps.filter((x) => isForeignKeyCheck(x.sql));
  if (checks.length === 0) return;
  const { rows } = await driver.query<{ foreign_keys: number }>('PRAGMA foreign_keys');
  if (rows[0]?.foreign_keys === 1) {
    problems.push(
      err(
        'table',
        'foreign keys are ON on this connection: dropping the old table during the rebuild would run ON DELETE actions on the tables that reference it; open the database with foreign keys off (the default of the SQLite driver)',
      ),
    );
    return;
  }
  if (!opts.probeData) return;
  for (const s of checks) {
    const message = violationMessage(await foreignKeyViolations(driver, s.sql).catch(() => []));
    if (message)
      problems.push(
        err(
          'table',
          `the rebuild ends with a foreign key check that would fail: ${message}; fix or delete those rows first`,
        ),
      );
  }
}

/** Names SQLite keeps for itself: a table or index may not be called sqlite_... */
const RESERVED = /^sqlite_/i;

async function plan(
  p: SchemaModificationParams,
  schema: Schema,
  driver: Driver,
  opts: PlannerOptions,
  problems: Problems,
): Promise<Outcome | null> {
  const newNames: [string, string | undefined][] = [
    ['table', p.operation === 'create_table' ? p.table : undefined],
    ['new_name', p.operation === 'rename_table' ? p.new_name : undefined],
    ['index_name', p.operation === 'create_index' ? p.index_name : undefined],
  ];
  for (const [field, name] of newNames) {
    if (name !== undefined && RESERVED.test(name))
      problems.push(err(field, `"${name}": names beginning with sqlite_ are reserved by SQLite; choose another`));
  }
  if (hasError(problems)) return null;
  if (p.concurrently) {
    problems.push(
      warn(
        'concurrently',
        'SQLite has no CONCURRENTLY: the index is built or dropped inside the transaction, and writers wait meanwhile',
      ),
    );
  }
  const table = findTable(schema, p.table);
  if (p.operation === 'create_table') {
    const clash = [
      ...schema.tables.flatMap((t) => [t.name, ...t.indexes.map((i) => i.name)]),
      ...schema.views.map((v) => v.name),
    ].find((n) => n.toLowerCase() === p.table.toLowerCase());
    if (clash !== undefined) {
      problems.push(
        err(
          'table',
          `the name "${p.table}" is already used by table, view or index "${clash}"; choose another name or drop it first`,
        ),
      );
      return null;
    }
    return createTable(p, schema, problems);
  }
  if (!table) {
    if (p.operation === 'drop_table' && p.if_exists) {
      problems.push(warn('table', `table "${p.table}" does not exist; nothing to drop`));
      return { steps: [], after: schema };
    }
    const other = schema.tables.find((t) => t.name.toLowerCase() === p.table.toLowerCase());
    problems.push(err('table', `table "${p.table}" does not exist${other ? `; did you mean "${other.name}"?` : ''}`));
    return null;
  }
  const extras = tableExtras(table.ddl);
  const live = await probe.tableExists(driver, table.name);
  const c: Ctx = { p, schema, driver, opts, problems, table, extras, live };
  switch (p.operation) {
    case 'add_column':
      return addColumn(c);
    case 'drop_column':
      return dropColumn(c);
    case 'rename_column':
      return renameColumn(c);
    case 'alter_column_type':
      return alterColumnType(c);
    case 'set_default':
      return setDefault(c);
    case 'drop_default':
      return dropDefault(c);
    case 'add_constraint':
      return addConstraint(c);
    case 'drop_constraint':
      return dropConstraint(c);
    case 'create_index':
      return createIndex(c);
    case 'drop_index':
      return dropIndex(c);
    case 'drop_table':
      return dropTable(c);
    case 'rename_table':
      return renameTable(c);
  }
}
