/**
 * DataBackfillNode: `UPDATE t SET field = (calculation)` in batches over the primary key (or a
 * unique NOT NULL column), never OFFSET (the walk: batch-walk.ts). Each batch's UPDATE and its
 * checkpoint row, which records the rows that UPDATE changed, commit in one transaction, so a
 * killed run resumes after the last committed batch: no row updated twice, none missed. A
 * checkpoint that finished is not resumed: the next run walks the table again (the default
 * `where`, `field IS NULL`, makes that a no-op for rows already filled).
 */
import type { DataBackfillParams } from '../../../shared/nodes/data.ts';
import {
  CHECKPOINT_TABLE,
  checkpointFromRow,
  checkpointTableExistsSql,
  createCheckpointTableStep,
  readCheckpointSql,
  saveCheckpointStep,
  specHash,
  type CheckpointKey,
  type CheckpointState,
} from '../../db/backfill-checkpoint.ts';
import { BACKFILL_WAL_PAGES, backfillBatchSql, nullFieldWhere, probeSql, walCheckpointing } from '../../db/data-sql.ts';
import type { Step } from '../../db/dialect.ts';
import { findColumn } from '../../../shared/schema.ts';
import { NodeFailure, type Executor, type NodeContext } from '../types.ts';
import { BatchWalk, planFirstRange } from './batch-walk.ts';
import { BatchMeter, batchFailure, pauseBetweenBatches, probe, requireExpression, requireKey, requireTable, rowsReadable } from './data-migration.ts';

async function readCheckpoint(ctx: NodeContext, key: CheckpointKey): Promise<{ tableExists: boolean; state: CheckpointState | null }> {
  const d = ctx.db.dialect;
  const exists = checkpointTableExistsSql(d);
  if ((await ctx.query(exists.sql, exists.params)).rows.length === 0) return { tableExists: false, state: null };
  const read = readCheckpointSql(d, key);
  const row = (await ctx.query(read.sql, read.params)).rows[0];
  return { tableExists: true, state: row ? checkpointFromRow(row) : null };
}

/**
 * SQLite in WAL mode, batches committing on their own (apply, outside a transaction scope):
 * raises the connection's WAL checkpoint threshold to BACKFILL_WAL_PAGES for the node, so the
 * batches' commits checkpoint every 10,000 pages instead of every 1,000. Returns the step that
 * puts the old threshold back, or null when nothing was changed (PostgreSQL, another journal
 * mode, rehearse or a scope, where no batch commits, or a threshold already that high or off).
 */
async function fewerWalCheckpoints(ctx: NodeContext): Promise<Step | null> {
  const wal = walCheckpointing(ctx.db.dialect);
  if (!wal || ctx.mode !== 'apply' || ctx.scope !== null) return null;
  const mode = String((await ctx.query<{ journal_mode: string }>(wal.readJournalMode)).rows[0]?.journal_mode ?? '');
  const pages = Number((await ctx.query<{ wal_autocheckpoint: number }>(wal.readThreshold)).rows[0]?.wal_autocheckpoint ?? 0);
  if (mode.toLowerCase() !== 'wal' || pages <= 0 || pages >= BACKFILL_WAL_PAGES) return null;
  await ctx.execute([wal.set(BACKFILL_WAL_PAGES, `while the batches commit, checkpoint the WAL every ${BACKFILL_WAL_PAGES} pages instead of ${pages}`)]);
  return wal.set(pages, `checkpoint the WAL every ${pages} pages again`);
}

export const dataBackfillExecutor: Executor<DataBackfillParams> = {
  async run(ctx) {
    const p = ctx.params;
    const d = ctx.db.dialect;
    const startedAt = performance.now();
    const table = await requireTable(ctx, p.table, 'table');
    if (!findColumn(table, p.update_field)) {
      throw new NodeFailure(`update_field: table "${p.table}" has no column "${p.update_field}"; add it first (SchemaModificationNode add_column) or fix the name`, 'update_field');
    }
    await requireExpression(ctx, 'calculation', p.calculation);
    if (p.where !== undefined) await requireExpression(ctx, 'where', p.where);
    const where = p.where ?? nullFieldWhere(d, p.update_field);
    const readable = await rowsReadable(ctx, table);
    const key = await requireKey(ctx, table, 'table', readable);
    if (readable) {
      if (p.where !== undefined) await probe(ctx, probeSql(d, table.name, null, where), 'where');
      await probe(ctx, probeSql(d, table.name, p.calculation, where), 'calculation');
    }
    const ck: CheckpointKey = { workflow: ctx.workflow.name, nodeId: ctx.node.id, table: table.name, updateField: p.update_field, specHash: specHash(p.calculation, where) };
    const saved = await readCheckpoint(ctx, ck);
    const resume = saved.state && !saved.state.finished && saved.state.keyColumn === key.column ? saved.state : null;
    if (saved.state && !saved.state.finished && !resume) {
      ctx.warn(`the checkpoint of this backfill walked "${saved.state.keyColumn}", which is no longer the table's key; starting again from the first "${key.column}"`);
    }
    const createTable = saved.tableExists ? [] : [createCheckpointTableStep(d)];
    const label = `backfill "${table.name}"."${p.update_field}"`;

    if (ctx.mode === 'plan') {
      const first = await planFirstRange(ctx, table, key, where, p.batch_size, readable);
      const resumeNote = resume?.last ? ` (the saved checkpoint resumes after key ${resume.last.text}; the first batch shown is the table's first)` : '';
      const steps = [
        ...createTable,
        {
          sql: backfillBatchSql(d, table.name, p.update_field, p.calculation, first.range, where),
          comment:
            `${label}, batch 1 of about ${first.batches} (${first.total} rows): repeats for each batch of ${p.batch_size} "${key.column}" keys, ` +
            `each batch in its own transaction with its checkpoint in ${CHECKPOINT_TABLE}${resumeNote}`,
          transactional: true,
        },
      ];
      if (first.upper) {
        steps.push(saveCheckpointStep(d, ck, { keyColumn: key.column, last: first.upper, rowsDone: Math.min(first.total, p.batch_size), batchesDone: 1, total: first.total, runId: ctx.runId, finished: false }));
      }
      await ctx.execute(steps);
      return { rows_updated: 0, rows_to_update: first.total, batches_estimated: first.batches, key_column: key.column, resumed: resume !== null };
    }

    if (createTable.length > 0) await ctx.execute(createTable);
    let done = resume?.rowsDone ?? 0;
    let batchesDone = resume?.batchesDone ?? 0;
    const walk = await BatchWalk.start(ctx, table.name, key, where, p.batch_size, resume?.last ?? null);
    const total = done + walk.total;
    const meter = new BatchMeter(total, done);
    ctx.progress(meter.at(done, resume ? `resuming after ${key.column} ${resume.last?.text ?? '(start)'}` : undefined));
    let rowsUpdated = 0;
    let batches = 0;
    const state = (finished: boolean): CheckpointState => ({ keyColumn: key.column, last: walk.last, rowsDone: done, batchesDone, total, runId: ctx.runId, finished });
    const runBatches = async (): Promise<void> => {
      for (;;) {
        ctx.throwIfCancelled();
        const batch = await walk.next();
        if (!batch) break;
        const { range, upper } = batch;
        const update = {
          sql: backfillBatchSql(d, table.name, p.update_field, p.calculation, range, where),
          comment: `${label}, batch ${batchesDone + 1}: "${key.column}" ${range.last ? `> ${range.last.text} and ` : ''}<= ${upper.text}`,
          transactional: true,
        };
        let rows: number | null;
        try {
          rows = await walk.write(batch, async () => {
            const changed = await ctx.execute([update]);
            await ctx.execute([saveCheckpointStep(d, ck, { ...state(false), last: upper, rowsDone: done + changed, batchesDone: batchesDone + 1 })]);
            return changed;
          });
        } catch (e) {
          throw batchFailure(e, batchesDone + 1, `the batches before it (${done} rows) are committed and checkpointed: run the workflow again to resume after them`, 'calculation');
        }
        if (rows === null) continue;
        done += rows;
        batchesDone++;
        rowsUpdated += rows;
        batches++;
        ctx.progress(meter.at(done));
        await pauseBetweenBatches(ctx, p.pause_ms);
      }
    };
    let restoreWal = await fewerWalCheckpoints(ctx);
    try {
      await runBatches();
      // Put back first: the commit of the final checkpoint write then checkpoints the grown WAL.
      if (restoreWal) await ctx.execute([restoreWal]);
      restoreWal = null;
      await ctx.execute([saveCheckpointStep(d, ck, state(true))]);
    } finally {
      // A cancelled run runs no more statements; its connection closes with it.
      if (restoreWal && !ctx.signal.aborted) await ctx.execute([restoreWal]);
    }
    return {
      rows_updated: rowsUpdated,
      rows_done_total: done,
      batches,
      duration_ms: Math.round(performance.now() - startedAt),
      key_column: key.column,
      resumed: resume !== null,
      resumed_after_key: resume?.last?.text ?? null,
    };
  },
};
