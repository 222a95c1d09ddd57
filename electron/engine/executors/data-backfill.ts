/**
 * DataBackfillNode: `UPDATE t SET field = (calculation)` in batches over the primary key (or a
 * unique NOT NULL column), never OFFSET (the walk: batch-walk.ts). The key column itself is never
 * the field it writes (refused, in plan mode too). Each batch's UPDATE and its
 * checkpoint row, which records the rows that UPDATE changed, commit in one transaction, so a
 * killed run resumes after the last committed batch: no row updated twice, none missed. A
 * checkpoint that finished is not resumed: the next run walks the table again (the default
 * `where`, `field IS NULL`, makes that a no-op for rows already filled).
 */
import { BATCH_TARGET_MS, type DataBackfillParams } from '../../../shared/nodes/data.ts';
import { specHash, type CheckpointKey } from '../../db/backfill-checkpoint.ts';
import { backfillBatchSql, nullFieldWhere, probeSql } from '../../db/data-sql.ts';
import { findColumn } from '../../../shared/schema.ts';
import { NodeFailure, type Executor } from '../types.ts';
import {
  CheckpointedWalk,
  planCheckpointedWalk,
  readCheckpoint,
  type CheckpointedWalkSpec,
} from './checkpointed-walk.ts';
import { walkBackup } from './prior-backup.ts';
import { probe, requireExpression, requireKey, requireTable, rowsReadable } from './data-migration.ts';

export const dataBackfillExecutor: Executor<DataBackfillParams> = {
  async run(ctx) {
    const p = ctx.params;
    const d = ctx.db.dialect;
    const startedAt = performance.now();
    const table = await requireTable(ctx, p.table, 'table');
    if (!findColumn(table, p.update_field)) {
      throw new NodeFailure(
        `update_field: table "${p.table}" has no column "${p.update_field}"; add it first (SchemaModificationNode add_column) or fix the name`,
        'update_field',
      );
    }
    await requireExpression(ctx, 'calculation', p.calculation);
    if (p.where !== undefined) await requireExpression(ctx, 'where', p.where);
    const where = p.where ?? nullFieldWhere(d, p.update_field);
    const readable = await rowsReadable(ctx, table);
    const key = await requireKey(ctx, table, 'table', readable);
    if (key.column === p.update_field) {
      throw new NodeFailure(
        `update_field: "${p.update_field}" is the key the backfill walks "${table.name}" by, and a walk that moves its own keys ` +
          'would meet rows again; backfill a new column instead (SchemaModificationNode add_column) and make it the key once it is filled',
        'update_field',
      );
    }
    if (readable) {
      if (p.where !== undefined) await probe(ctx, probeSql(d, table.name, null, where), 'where');
      await probe(ctx, probeSql(d, table.name, p.calculation, where), 'calculation');
    }
    const checkpoint: CheckpointKey = {
      workflow: ctx.workflow.name,
      nodeId: ctx.node.id,
      table: table.name,
      updateField: p.update_field,
      specHash: specHash(p.calculation, where),
    };
    const saved = await readCheckpoint(ctx, checkpoint, key.column, 'backfill');
    if (saved.keyChanged) ctx.warn(saved.keyChanged);
    const spec: CheckpointedWalkSpec = {
      table,
      key,
      where,
      batchSize: p.batch_size,
      targetMs: p.batch_target_ms ?? BATCH_TARGET_MS,
      checkpoint,
      statement: (range) => backfillBatchSql(d, table, p.update_field, p.calculation, range, where),
      label: `backfill "${table.name}"."${p.update_field}"`,
      field: 'calculation',
      locked: table.name,
      backup: {
        columns: [p.update_field],
        make: (total, resuming) =>
          walkBackup(
            ctx,
            table,
            key.column,
            [p.update_field],
            'backfill',
            JSON.stringify(checkpoint),
            total,
            resuming,
            p.backup_max_rows,
          ),
      },
    };

    if (ctx.mode === 'plan') {
      const planned = await planCheckpointedWalk(ctx, spec, saved, readable);
      return {
        rows_updated: 0,
        rows_to_update: planned.total,
        batches_estimated: planned.batches,
        key_column: key.column,
        resumed: saved.resume !== null,
      };
    }

    const run = await CheckpointedWalk.start(ctx, spec, saved);
    await run.complete(p.pause_ms);
    return { rows_updated: run.rows, ...run.summary(startedAt) };
  },
};
