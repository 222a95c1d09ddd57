/**
 * The prior backup a node keeps of what it destroys or overwrites (electron/db/backups.ts): the
 * limit that applies (the node's `backup_max_rows`, else the run's), the steps that copy a whole
 * column before a drop or a lossy retype, and the backup a batch walk adds each batch to.
 */
import type { Table } from '../../../shared/schema.ts';
import { chooseBatchKey } from '../../db/data-sql.ts';
import { newBackupId, openWalkBackup } from '../../db/backups.ts';
import * as sql from '../../db/backup-sql.ts';
import type { Step } from '../../db/dialect.ts';
import type { NodeContext } from '../types.ts';

/** The rows a backup of this node may hold. */
function limitOf(ctx: NodeContext, own: number | undefined): number {
  return own ?? ctx.backupMaxRows;
}

/** Whether to back up `rows` rows of `what`: false (with a warning naming the fix) above the limit. */
function withinLimit(ctx: NodeContext, own: number | undefined, rows: number, what: string): boolean {
  const limit = limitOf(ctx, own);
  if (limit === 0) return false;
  if (rows <= limit) return true;
  ctx.warn(
    `no prior backup of ${what}: about ${rows} row(s) exceed the backup limit of ${limit}, so a rollback of this run cannot restore them; ` +
      `to keep one, raise field "backup_max_rows" (Prior backup up to (rows)) on the node, or the run's limit (dataflow run --backup-max-rows)`,
  );
  return false;
}

async function registrySteps(ctx: NodeContext): Promise<Step[]> {
  const q = ctx.db.dialect.existingTablesSql([sql.BACKUPS_TABLE]);
  return (await ctx.query(q.sql, q.params)).rows.length > 0 ? [] : [sql.createRegistryStep(ctx.db.dialect)];
}

/**
 * The steps that copy the key and the values of `columns` of every row of `table` into a new
 * backup, to run in the same transaction as the drop or retype; none for an empty table, over
 * the limit (warned), or without a key to restore by (warned).
 */
export async function columnBackupSteps(
  ctx: NodeContext,
  table: Table,
  columns: string[],
  kind: 'drop_column' | 'alter_column_type',
  own: number | undefined,
): Promise<Step[]> {
  if (table.rowEstimate === 0 && ctx.mode !== 'plan') return [];
  const what = columns.map((c) => `"${table.name}"."${c}"`).join(', ');
  if (!withinLimit(ctx, own, table.rowEstimate, what)) return [];
  const key = chooseBatchKey(table);
  if (!key || columns.includes(key.column)) {
    ctx.warn(
      `no prior backup of ${what}: table "${table.name}" has no primary key or unique NOT NULL column to restore the values by, so a rollback of this run cannot restore them`,
    );
    return [];
  }
  const values: sql.BackupValues = {
    backupId: newBackupId(),
    runId: ctx.runId,
    workflow: ctx.workflow.name,
    nodeId: ctx.node.id,
    kind,
    walkKey: null,
    table: table.name,
    keyColumn: key.column,
    columns,
    createdAt: new Date().toISOString(),
  };
  const d = ctx.db.dialect;
  return [...(await registrySteps(ctx)), ...sql.startBackupSteps(d, values, true), sql.copyAllStep(d, values)];
}

/** True when a node of this run that ran before added `column` to `table` (add_column, create_table). */
function addedInThisRun(ctx: NodeContext, table: string, column: string): boolean {
  return ctx.workflow.nodes.some((n) => {
    const p = n.params;
    if (
      n.type !== 'SchemaModificationNode' ||
      p.table !== table ||
      ctx.results.get(n.id)?.status !== 'succeeded' ||
      ctx.results.get(n.id)?.outcome
    )
      return false;
    if (p.operation === 'add_column') return p.column_name === column;
    return (
      p.operation === 'create_table' &&
      Array.isArray(p.columns) &&
      p.columns.some((c) => (c as { name?: unknown }).name === column)
    );
  });
}

/** The backup a batch walk keeps: the steps its first batch of this run runs, and the step its walk's end runs. */
export interface WalkBackup {
  backupId: string;
  start: Step[];
  finish: Step;
}

/**
 * The backup of a walk that writes `columns` of `table` (the rows `total` it will walk): a new one,
 * or, when the walk resumes, the one it started (a resumed walk adds to it). Null over the limit
 * (warned), and in plan mode for an empty walk.
 */
export async function walkBackup(
  ctx: NodeContext,
  table: Table,
  keyColumn: string,
  columns: string[],
  kind: 'backfill' | 'copy',
  walkKey: string,
  total: number,
  resuming: boolean,
  own: number | undefined,
): Promise<WalkBackup | null> {
  // A column this run added holds nothing the run must give back: its rollback drops it.
  if (columns.every((c) => addedInThisRun(ctx, table.name, c))) return null;
  const what = columns.map((c) => `"${table.name}"."${c}"`).join(', ');
  if (!withinLimit(ctx, own, total, `the values of ${what} the ${kind} overwrites`)) return null;
  const d = ctx.db.dialect;
  const open = resuming ? await openWalkBackup(ctx.db, (t, p) => ctx.query(t, p), walkKey) : null;
  if (open)
    return {
      backupId: open,
      start: [sql.continueBackupStep(d, open, ctx.runId)],
      finish: sql.finishBackupStep(d, open),
    };
  const values: sql.BackupValues = {
    backupId: newBackupId(),
    runId: ctx.runId,
    workflow: ctx.workflow.name,
    nodeId: ctx.node.id,
    kind,
    walkKey,
    table: table.name,
    keyColumn,
    columns,
    createdAt: new Date().toISOString(),
  };
  return {
    backupId: values.backupId,
    start: [...(await registrySteps(ctx)), ...sql.startBackupSteps(d, values, false)],
    finish: sql.finishBackupStep(d, values.backupId),
  };
}
