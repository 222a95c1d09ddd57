/**
 * SchemaModificationNode: plans the change with the dialect's planner from the current schema
 * (live, or simulated in plan mode), then runs the steps atomically. A change the schema has
 * already, exactly as planned, runs nothing: the node is `already applied` (electron/db/reapply.ts). After a passed preflight plan
 * the planner leaves out the data checks its statements enforce themselves (the preflight ran them
 * moments before); data that breaks the constraint then fails the statement, which rolls back.
 */
import type { SchemaModificationParams } from '../../../shared/nodes/schema-modification.ts';
import { isConstraintViolation } from '../../db/dialect.ts';
import { DatabaseError } from '../../db/driver.ts';
import { problemText } from '../../db/plan-problem.ts';
import { findColumn, findTable, type Schema } from '../../../shared/schema.ts';
import type { Step } from '../../db/dialect.ts';
import { widens } from '../rollback-changes.ts';
import { NodeFailure, type Executor } from '../types.ts';
import { columnBackupSteps } from './prior-backup.ts';

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** The constraint the change adds, the param naming its columns and what to do about rows that break it. */
function requirement(p: SchemaModificationParams): { what: string; field: string; fix: string } {
  const cols = (p.columns ?? (p.column_name ? [p.column_name] : [])).map((c) => (typeof c === 'string' ? c : c.name));
  const named = p.constraint_name ? ` "${p.constraint_name}"` : '';
  const on = `${quoted(cols)} of "${p.table}"`;
  const field = p.columns ? 'columns' : 'column_name';
  if (p.operation === 'create_index' && p.unique)
    return {
      what: `unique index${p.index_name ? ` "${p.index_name}"` : ''} on ${on}`,
      field: 'columns',
      fix: 'remove the duplicate values',
    };
  switch (
    p.operation === 'add_constraint'
      ? p.constraint_type
      : p.operation === 'add_column' && p.unique
        ? 'unique'
        : undefined
  ) {
    case 'not_null':
      return { what: `NOT NULL${named} on ${on}`, field, fix: 'backfill the NULLs (DataBackfillNode)' };
    case 'unique':
      return { what: `UNIQUE${named} on ${on}`, field, fix: 'remove the duplicate values' };
    case 'primary_key':
      return { what: `PRIMARY KEY${named} on ${on}`, field, fix: 'remove the duplicates and NULLs' };
    case 'foreign_key':
      return {
        what: `FOREIGN KEY${named} ${on} -> "${p.references?.table ?? ''}"."${p.references?.column ?? ''}"`,
        field: 'references',
        fix: `fix or delete the rows with no match in "${p.references?.table ?? ''}"`,
      };
    case 'check':
      return { what: `CHECK${named} on "${p.table}"`, field: 'expression', fix: 'fix the rows that violate it' };
    default:
      return { what: `${p.operation} on "${p.table}"`, field: 'table', fix: 'fix the rows that break it' };
  }
}

/** A constraint the data breaks, as a failure naming the constraint, the param and the fix. */
function refusedByData(p: SchemaModificationParams, e: DatabaseError): NodeFailure {
  const r = requirement(p);
  return new NodeFailure(
    `${r.what}: the database refused the change because the data breaks it (${e.message}); its statements were rolled back, and any that had committed undone, so nothing was changed: ${r.fix}, then run again`,
    r.field,
    e.code,
  );
}

/**
 * The tables a change writes: its own (and its new name), those with a foreign key to it (a
 * rename reaches into them), and any whose model the planned schema replaced or left out.
 */
export function changedTables(p: SchemaModificationParams, before: Schema, after: Schema): string[] {
  const out = new Set<string>([p.table]);
  if (p.operation === 'rename_table') out.add(p.new_name);
  const prior = new Map(before.tables.map((t) => [t.name, t]));
  for (const t of before.tables) if (t.constraints.some((k) => k.references?.table === p.table)) out.add(t.name);
  for (const t of after.tables) {
    if (prior.get(t.name) !== t) out.add(t.name);
    prior.delete(t.name);
  }
  for (const name of prior.keys()) out.add(name);
  return [...out];
}

/**
 * The prior backup of a drop_column, or of an alter_column_type that can lose values (the new
 * type does not hold every old value exactly, or a USING expression rewrites them): steps to run
 * before the change, in its transaction (prior-backup.ts).
 */
async function priorBackup(
  ctx: Parameters<Executor<SchemaModificationParams>['run']>[0],
  p: SchemaModificationParams,
  schema: Schema,
): Promise<Step[]> {
  if (p.operation !== 'drop_column' && p.operation !== 'alter_column_type') return [];
  const table = findTable(schema, p.table);
  const column = table && findColumn(table, p.column_name);
  if (!table || !column) return [];
  if (p.operation === 'alter_column_type' && p.using === undefined && widens(column.type, p.column_type)) return [];
  return columnBackupSteps(ctx, table, [column.name], p.operation, p.backup_max_rows);
}

export const schemaModificationExecutor: Executor<SchemaModificationParams> = {
  async run(ctx) {
    const p = ctx.params;
    const schema = await ctx.schema();
    const plan = await ctx.db.dialect.planSchemaChange(p, schema, ctx.db.driver, {
      probeData: !ctx.preflighted,
      later: ctx.laterChanges(),
    });
    const errors = plan.problems.filter((x) => x.severity === 'error');
    if (errors.length > 0) throw new NodeFailure(errors.map(problemText).join('; '), errors[0]!.field);
    for (const w of plan.problems) {
      if (w.severity === 'warning') ctx.warn(problemText(w));
      else if (w.severity === 'info') ctx.note(problemText(w));
    }
    if (plan.alreadyApplied !== undefined) {
      ctx.setOutcome({ kind: 'already_applied', note: plan.alreadyApplied });
      return {
        result: {
          operation: p.operation,
          table: p.table,
          column: p.column_name ?? null,
          sql: [],
          status: 'already_applied',
        },
      };
    }
    const backup = await priorBackup(ctx, p, schema);
    try {
      // A plan writes nothing, so it has no tables to read again.
      await ctx.execute([...backup, ...plan.steps], ctx.mode === 'plan' ? [] : changedTables(p, schema, plan.after));
    } catch (e) {
      if (e instanceof DatabaseError && isConstraintViolation(e.code)) throw refusedByData(p, e);
      throw e;
    }
    ctx.setPlannedSchema(plan.after);
    return {
      result: {
        operation: p.operation,
        table: p.table,
        column: p.column_name ?? null,
        sql: plan.steps.map((s) => s.sql),
        status: ctx.mode === 'plan' ? 'planned' : 'applied',
      },
    };
  },
};
