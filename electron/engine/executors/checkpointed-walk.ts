/**
 * The checkpointed batch walk DataBackfillNode and DataMigrationNode share: the saved checkpoint
 * read and whether to resume after it, the plan-mode preview (the first batch and its checkpoint
 * write), and the batches, each batch's statement (UPDATE, or a copy's INSERT ... SELECT) and the
 * checkpoint recording the rows it reported committing as one atomic unit. A run that stopped
 * (cancelled, killed, failed) is resumed after its last committed batch: no row written twice,
 * none missed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Table } from '../../../shared/schema.ts';
import type { Progress } from '../../../shared/run.ts';
import {
  CHECKPOINT_TABLE,
  checkpointFromRow,
  checkpointTableExistsSql,
  createCheckpointTableStep,
  readCheckpointSql,
  saveCheckpointStep,
  type CheckpointKey,
  type CheckpointState,
} from '../../db/backfill-checkpoint.ts';
import { BATCH_WAL_PAGES, backupBatchSql, type BatchKey, type BatchRange } from '../../db/data-sql.ts';
import { backupTableName } from '../../db/backup-sql.ts';
import type { BatchLimits, BatchLimitValues, Step, WalCheckpointing } from '../../db/dialect.ts';
import { DatabaseError } from '../../db/driver.ts';
import { NodeFailure, type NodeContext } from '../types.ts';
import { BatchWalk, planFirstRange, type Batch } from './batch-walk.ts';
import { BatchSizer } from './batch-sizer.ts';
import { MAX_BATCH_ROWS } from '../../../shared/nodes/data.ts';
import type { WalkBackup } from './prior-backup.ts';

/** What a node walks, what each batch runs, and where its checkpoint is kept. */
export interface CheckpointedWalkSpec {
  table: Table;
  key: BatchKey;
  where: string | null;
  /** The node's `batch_size`: the first batch's size (every batch's when `targetMs` is 0). */
  batchSize: number;
  /** The node's `batch_target_ms`: the duration batches are sized to take (batch-sizer.ts); 0: fixed size. */
  targetMs: number;
  checkpoint: CheckpointKey;
  /** The batch's statement for its key range; it reports the rows it wrote. */
  statement(range: BatchRange): string;
  /** What the node does, for step comments: `backfill "orders"."total_amount"`. */
  label: string;
  /** The param a failed batch names (`calculation`, `field_mapping`). */
  field: string;
  /** The table whose rows the batch writes and may wait to lock. */
  locked: string;
  /**
   * The prior backup of the values the batches overwrite (prior-backup.ts): `columns` of the rows
   * each batch writes are copied into it in the batch's atomic unit, before the batch's statement.
   */
  backup?: {
    columns: string[];
    /** The backup for a walk of `total` rows (resumed or not), or null when none is kept. */
    make(total: number, resuming: boolean): Promise<WalkBackup | null>;
  };
}

/** A node's saved checkpoint and whether it is resumed. */
export interface SavedCheckpoint {
  /** Creates the checkpoint table; empty when it exists. */
  create: Step[];
  state: CheckpointState | null;
  /**
   * The checkpoint to resume after: unfinished, and it walked the key the table has now (a
   * cross-table copy may start again instead: data-migration.ts).
   */
  resume: CheckpointState | null;
  /** The warning to give when an unfinished checkpoint walked another key column (not resumed). */
  keyChanged: string | null;
}

/** Reads the node's checkpoint (nothing when the checkpoint table does not exist yet). */
export async function readCheckpoint(
  ctx: NodeContext,
  key: CheckpointKey,
  keyColumn: string,
  noun: string,
): Promise<SavedCheckpoint> {
  const d = ctx.db.dialect;
  const exists = checkpointTableExistsSql(d);
  if ((await ctx.query(exists.sql, exists.params)).rows.length === 0)
    return { create: [createCheckpointTableStep(d)], state: null, resume: null, keyChanged: null };
  const read = readCheckpointSql(d, key);
  const row = (await ctx.query(read.sql, read.params)).rows[0];
  const state = row ? checkpointFromRow(row) : null;
  const unfinished = state && !state.finished ? state : null;
  const resume = unfinished?.keyColumn === keyColumn ? unfinished : null;
  const keyChanged =
    unfinished && !resume
      ? `the checkpoint of this ${noun} walked "${unfinished.keyColumn}", which is no longer the table's key; starting again from the first "${keyColumn}"`
      : null;
  return { create: [], state, resume, keyChanged };
}

/**
 * Plan mode: records the checkpoint table's creation (when missing), the first batch's statement
 * and its checkpoint write. Returns the rows to walk and the batches estimated.
 */
export async function planCheckpointedWalk(
  ctx: NodeContext,
  spec: CheckpointedWalkSpec,
  saved: SavedCheckpoint,
  readable: boolean,
): Promise<{ total: number; batches: number }> {
  const { key, batchSize } = spec;
  const first = await planFirstRange(ctx, spec.table, key, spec.where, batchSize, readable);
  const sizing =
    spec.targetMs > 0
      ? `each batch of "${key.column}" keys, the first of ${batchSize} and each next one sized from those before to take about ${spec.targetMs} ms`
      : `each batch of ${batchSize} "${key.column}" keys`;
  const count =
    spec.targetMs > 0 ? `${first.batches} at ${batchSize} keys, fewer as batches grow` : `about ${first.batches}`;
  const resumeNote = saved.resume?.last
    ? ` (the saved checkpoint resumes after key ${saved.resume.last.text}; the first batch shown is the table's first)`
    : '';
  const limits = ctx.db.dialect.batchLimits;
  const backup = spec.backup ? await spec.backup.make(first.total, saved.resume !== null) : null;
  const steps: Step[] = [
    ...(limits ? [limits.set(limits.limits)] : []),
    ...saved.create,
    ...(backup ? [...backup.start, backupStep(ctx, spec, backup, first.range, 1)] : []),
    {
      sql: spec.statement(first.range),
      comment:
        `${spec.label}, batch 1 of ${count} (${first.total} rows): repeats for ${sizing}, ` +
        `each batch in its own transaction with its checkpoint in ${CHECKPOINT_TABLE}${resumeNote}`,
      transactional: true,
    },
  ];
  if (first.upper) {
    const state = {
      keyColumn: key.column,
      last: first.upper,
      rowsDone: Math.min(first.total, batchSize),
      batchesDone: 1,
      total: first.total,
      runId: ctx.runId,
      finished: false,
    };
    steps.push(saveCheckpointStep(ctx.db.dialect, spec.checkpoint, state));
  }
  await ctx.execute(steps);
  return { total: first.total, batches: first.batches };
}

/** The batch's prior backup: the key and old values of the rows its statement is about to write. */
function backupStep(
  ctx: NodeContext,
  spec: CheckpointedWalkSpec,
  backup: WalkBackup,
  range: BatchRange,
  n: number,
): Step {
  return {
    sql: backupBatchSql(
      ctx.db.dialect,
      backupTableName(backup.backupId),
      spec.table.name,
      spec.backup!.columns,
      range,
      spec.where,
    ),
    comment: `${spec.label}, batch ${n}: prior backup ${backup.backupId} of the values it overwrites`,
    transactional: true,
    bookkeeping: true,
  };
}

/** A session holding locks on a table (`BatchLimits.lockHoldersSql`). */
interface LockHolderRow {
  session: unknown;
  application: unknown;
  state: unknown;
  seconds: unknown;
  query: unknown;
}

function holderText(h: LockHolderRow): string {
  const app = h.application ? `"${String(h.application)}", ` : '';
  return `session ${String(h.session)} (${app}${String(h.state ?? 'unknown state')} for ${String(h.seconds ?? '?')} s, last query "${String(h.query ?? '')}")`;
}

/** The key range of a batch as its messages show it: `"id" > 4 and <= 8`. */
function rangeText(batch: Batch): string {
  const { range, upper } = batch;
  return `"${range.key.column}" ${range.last ? `> ${range.last.text} and ` : ''}<= ${upper.text}`;
}

/** Rows done / total, rows per second since the meter started, and the ETA. */
class BatchMeter {
  private readonly startedAt = performance.now();

  constructor(
    private readonly total: number,
    private readonly startDone: number,
  ) {}

  at(done: number, message?: string): Progress {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? (done - this.startDone) / seconds : 0;
    const total = Math.max(this.total, done);
    const progress: Progress = {
      done,
      total,
      rowsPerSecond: Math.round(rate * 10) / 10,
      etaSeconds: rate > 0 ? Math.round(((total - done) / rate) * 10) / 10 : null,
    };
    if (message !== undefined) progress.message = message;
    return progress;
  }
}

/** Waits `ms` between batches; a cancellation ends the wait at once and throws. */
async function pauseBetweenBatches(ctx: NodeContext, ms: number): Promise<void> {
  if (ms > 0) {
    try {
      await sleep(ms, undefined, { signal: ctx.signal });
    } catch (e) {
      if ((e as Error).name !== 'AbortError') throw e;
    }
  }
  ctx.throwIfCancelled();
}

/**
 * SQLite in WAL mode, batches committing on their own (apply, outside a transaction scope): the
 * WAL is checkpointed between batches, not by a batch's COMMIT. SQLite checkpoints in the COMMIT
 * that takes the WAL past the connection's threshold (`wal_autocheckpoint`, 1,000 pages by
 * default): after the transaction ended, but before COMMIT returns, so that one batch took 100-150
 * ms longer than the others (a 1,000,000-row backfill's longest batch, 263 ms against 150), and
 * the sizing then shrank the batches after it. For the walk the threshold is 0 (no COMMIT
 * checkpoints) and after each batch, once the WAL holds BATCH_WAL_PAGES pages (or the old threshold,
 * when higher) not yet in the database file, the walk checkpoints it (PASSIVE: it waits for no
 * reader or writer, and holds no write lock). Null when nothing is changed: PostgreSQL, another
 * journal mode, rehearse or a scope (where no batch commits), or a threshold of 0 (the
 * application checkpoints by itself).
 */
class WalBetweenBatches {
  private constructor(
    private readonly ctx: NodeContext,
    private readonly wal: WalCheckpointing,
    private readonly pages: number,
    /** Puts the old threshold back. */
    readonly restore: Step,
  ) {}

  static async start(ctx: NodeContext): Promise<WalBetweenBatches | null> {
    const wal = ctx.db.dialect.walCheckpointing;
    if (!wal || ctx.mode !== 'apply' || ctx.scope !== null) return null;
    const mode = String((await ctx.query<{ journal_mode: string }>(wal.readJournalMode)).rows[0]?.journal_mode ?? '');
    const old = Number(
      (await ctx.query<{ wal_autocheckpoint: number }>(wal.readThreshold)).rows[0]?.wal_autocheckpoint ?? 0,
    );
    if (mode.toLowerCase() !== 'wal' || old <= 0) return null;
    const pages = Math.max(old, BATCH_WAL_PAGES);
    await ctx.execute([
      wal.set(
        0,
        `while the batches commit, no COMMIT checkpoints the WAL (threshold ${old} pages): the node checkpoints it between batches every ${pages} pages`,
      ),
    ]);
    return new WalBetweenBatches(ctx, wal, pages, wal.set(old, `checkpoint the WAL every ${old} pages again`));
  }

  /** After a committed batch: checkpoints the WAL when it holds `pages` pages not yet in the database file. */
  async afterBatch(): Promise<void> {
    const row = (await this.ctx.query<{ log: number; checkpointed: number }>(this.wal.readPending)).rows[0];
    const pending = Number(row?.log ?? 0) - Math.max(0, Number(row?.checkpointed ?? 0));
    if (pending < this.pages) return;
    await this.ctx.execute([
      this.wal.checkpoint(`between batches: copy the WAL's ${pending} pages into the database file`),
    ]);
  }
}

/**
 * The first batch's keys: the node's `batch_size`, or, for a resumed walk with adaptive sizes,
 * the mean keys of the batches its checkpoint recorded (rows done / batches done) when that is
 * more, so a resumed run starts near the size the killed one had reached instead of climbing from
 * `batch_size` again. The mean is of rows written, which a filter or sparse keys make fewer than
 * the keys, and it counts the ramp-up's small batches: it errs small, and the sizing goes on
 * from it.
 */
function firstBatchSize(spec: CheckpointedWalkSpec, resume: CheckpointState | null): number {
  if (spec.targetMs <= 0 || !resume || resume.batchesDone <= 0) return spec.batchSize;
  return Math.min(MAX_BATCH_ROWS, Math.max(spec.batchSize, Math.floor(resume.rowsDone / resume.batchesDone)));
}

/**
 * A run's batches: starts after the resumed checkpoint's key (or at the first key), checks for
 * cancellation before each batch and emits progress after each committed one.
 */
export class CheckpointedWalk {
  /** Rows written by this run. */
  rows = 0;
  /** Batches committed by this run. */
  batches = 0;
  /** The longest batch of this run (its whole atomic unit), in ms. */
  private longestMs = 0;
  /** The smallest and largest size of a batch this run committed. */
  private sizes: { smallest: number; largest: number } | null = null;
  /**
   * The ms the batch being written spent on the walk's one-off steps (the checkpoint table's
   * creation, the backup's start), which the first batch runs: not part of what a size costs.
   */
  private oneOffMs = 0;

  private readonly meter: BatchMeter;
  /**
   * The checkpoint table's creation until a batch committed it: it runs inside the first batch's
   * atomic unit, so a first batch that fails leaves no empty checkpoint table behind.
   */
  private createTable: Step[];

  private constructor(
    private readonly ctx: NodeContext,
    private readonly spec: CheckpointedWalkSpec,
    private readonly walk: BatchWalk,
    private readonly resumed: CheckpointState | null,
    private readonly total: number,
    private done: number,
    private batchesDone: number,
    create: Step[],
    private readonly backup: WalkBackup | null,
    private readonly sizer: BatchSizer,
    /** The first batch's keys: `batch_size`, or what a resumed walk had learned (`firstBatchSize`). */
    private readonly firstSize: number,
  ) {
    this.meter = new BatchMeter(total, done);
    this.createTable = create;
    this.backupStart = backup?.start ?? [];
  }

  /** The backup's start (its table and registry row, or the note that this run continues it) until a batch committed it. */
  private backupStart: Step[];

  /** Starts the walk and reports the first progress (the checkpoint table is created with the first batch). */
  static async start(ctx: NodeContext, spec: CheckpointedWalkSpec, saved: SavedCheckpoint): Promise<CheckpointedWalk> {
    const { resume } = saved;
    const first = firstBatchSize(spec, resume);
    const walk = await BatchWalk.start(ctx, spec.table.name, spec.key, spec.where, first, resume?.last ?? null);
    const done = resume?.rowsDone ?? 0;
    const backup = spec.backup ? await spec.backup.make(walk.total, resume !== null) : null;
    const run = new CheckpointedWalk(
      ctx,
      spec,
      walk,
      resume,
      done + walk.total,
      done,
      resume?.batchesDone ?? 0,
      saved.create,
      backup,
      new BatchSizer(spec.targetMs, spec.batchSize),
      first,
    );
    const learned =
      first === spec.batchSize
        ? ''
        : `, at ${first} keys per batch (the mean of the ${resume?.batchesDone} batches before)`;
    ctx.progress(
      run.meter.at(
        done,
        resume ? `resuming after ${spec.key.column} ${resume.last?.text ?? '(start)'}${learned}` : undefined,
      ),
    );
    return run;
  }

  private state(finished: boolean): CheckpointState {
    return {
      keyColumn: this.spec.key.column,
      last: this.walk.last,
      rowsDone: this.done,
      batchesDone: this.batchesDone,
      total: this.total,
      runId: this.ctx.runId,
      finished,
    };
  }

  /**
   * Runs every batch, pausing `pauseMs` between them, then marks the checkpoint finished (the next
   * run walks the table again from the first key). A walk that had no batch to run and no
   * checkpoint table writes nothing: there is nothing to resume. On SQLite in WAL mode the WAL is
   * checkpointed between batches, not by their COMMITs (`WalBetweenBatches`), the old threshold
   * put back before the final write.
   */
  async complete(pauseMs: number): Promise<void> {
    const { ctx } = this;
    const wal = await WalBetweenBatches.start(ctx);
    let restoreWal = wal?.restore ?? null;
    try {
      await this.runBatches(pauseMs, wal);
      if (this.sizer.adaptive && this.sizes)
        ctx.note(
          `${this.batches} batches sized to take about ${this.sizer.targetMs} ms each (batch_target_ms), ` +
            `from ${this.sizes.smallest} to ${this.sizes.largest} keys (${this.firstSize === this.spec.batchSize ? `batch_size ${this.spec.batchSize}` : `resumed at ${this.firstSize}`} first); the longest took ${Math.round(this.longestMs)} ms`,
        );
      // Put back first: the commit of the final checkpoint write then checkpoints the grown WAL.
      if (restoreWal) await ctx.execute([restoreWal]);
      restoreWal = null;
      if (this.createTable.length === 0)
        await ctx.atomic(async () => {
          await ctx.execute([saveCheckpointStep(ctx.db.dialect, this.spec.checkpoint, this.state(true))]);
          if (this.backup && this.backupStart.length === 0) await ctx.execute([this.backup.finish]);
        });
    } finally {
      // A cancelled run runs no more statements; its connection closes with it.
      if (restoreWal && !ctx.signal.aborted) await ctx.execute([restoreWal]);
    }
  }

  private async runBatches(pauseMs: number, wal: WalBetweenBatches | null): Promise<void> {
    const { ctx } = this;
    const limits = ctx.db.dialect.batchLimits;
    // Inside an enclosing transaction (rehearse, a scope) the limits would outlive the batch: put them back after it.
    const restore =
      limits && (ctx.mode !== 'apply' || ctx.scope !== null)
        ? limits.restore((await ctx.query(limits.readSettings)).rows[0] ?? {})
        : null;
    /** Limit hits of the batch being tried, and when its first try started. */
    let hits = 0;
    let firstTry = 0;
    for (;;) {
      ctx.throwIfCancelled();
      const batch = await this.walk.next();
      if (!batch) return;
      if (hits === 0) firstTry = performance.now();
      let rows: number | null;
      const began = performance.now();
      try {
        rows = await this.walk.write(batch, () => this.writeBatch(batch, limits, restore));
      } catch (e) {
        if (!(e instanceof DatabaseError)) throw e;
        const hit = limits?.limitHit(e.code) ?? null;
        if (!limits || !hit || ctx.signal.aborted) throw this.batchFailure(e);
        hits++;
        if (hits > limits.retries) throw await this.limitFailure(batch, hit, hits, performance.now() - firstTry, e);
        this.walk.retry(batch, hit === 'statement');
        const backoff = limits.backoffMs * 2 ** (hits - 1);
        const wait = this.limitText(batch, hit, limits.limits);
        const message = `${wait} and was rolled back, releasing the rows it had written; retrying${hit === 'statement' ? ` with ${this.walk.batchSize} rows per batch` : ''} in ${backoff} ms (retry ${hits} of ${limits.retries})`;
        ctx.warn(message);
        ctx.progress(this.meter.at(this.done, message));
        await pauseBetweenBatches(ctx, backoff);
        continue;
      }
      if (rows === null) continue;
      const ms = performance.now() - began;
      hits = 0;
      this.createTable = [];
      this.backupStart = [];
      this.done += rows;
      this.batchesDone++;
      this.rows += rows;
      this.batches++;
      ctx.progress(this.meter.at(this.done, this.sized(batch, rows, ms)));
      await wal?.afterBatch();
      await pauseBetweenBatches(ctx, pauseMs);
    }
  }

  /**
   * Sizes the batches after `batch`, whose atomic unit wrote `rows` rows in `ms` (its one-off
   * steps left out of what the sizer reads), and says so for its progress event: `batch 7: 32000 rows in 61 ms; next batches 64000 keys (target 150 ms)`.
   */
  private sized(batch: Batch, rows: number, ms: number): string {
    this.longestMs = Math.max(this.longestMs, ms);
    const { smallest, largest } = this.sizes ?? { smallest: batch.size, largest: batch.size };
    this.sizes = { smallest: Math.min(smallest, batch.size), largest: Math.max(largest, batch.size) };
    const next = this.sizer.next(batch.size, ms - this.oneOffMs);
    this.walk.resize(next);
    const head = `batch ${this.batchesDone}: ${rows} rows in ${Math.round(ms)} ms`;
    if (!this.sizer.adaptive) return head;
    return `${head}; ${next === batch.size ? 'batches stay at' : 'next batches'} ${next} keys (target ${this.sizer.targetMs} ms)`;
  }

  /**
   * One batch's statements, run inside its atomic unit: the dialect's limits (when it has them),
   * the checkpoint table's creation (first batch), the batch's statement and its checkpoint write.
   */
  private async writeBatch(batch: Batch, limits: BatchLimits | null, restore: Step | null): Promise<number> {
    const { ctx, spec } = this;
    const step = {
      sql: spec.statement(batch.range),
      comment: `${spec.label}, batch ${this.batchesDone + 1}: ${rangeText(batch)}`,
      transactional: true,
    };
    if (limits) await ctx.execute([limits.set(limits.limits)]);
    const oneOff = performance.now();
    if (this.createTable.length > 0) await ctx.execute(this.createTable);
    if (this.backup && this.backupStart.length > 0) await ctx.execute(this.backupStart);
    this.oneOffMs = performance.now() - oneOff;
    if (this.backup) await ctx.execute([backupStep(ctx, spec, this.backup, batch.range, this.batchesDone + 1)]);
    const written = await ctx.execute([step]);
    await ctx.execute([
      saveCheckpointStep(ctx.db.dialect, spec.checkpoint, {
        ...this.state(false),
        last: batch.upper,
        rowsDone: this.done + written,
        batchesDone: this.batchesDone + 1,
      }),
    ]);
    if (restore) await ctx.execute([restore]);
    return written;
  }

  /** What the batches committed so far mean for the next run. */
  private committed(): string {
    return `the batches before it (${this.done} rows) are committed and checkpointed: run the workflow again to resume after them`;
  }

  private batchFailure(e: DatabaseError): NodeFailure {
    return new NodeFailure(
      `batch ${this.batchesDone + 1} failed: ${e.message}; ${this.committed()}`,
      this.spec.field,
      e.code,
    );
  }

  /** `batch 3 ("id" > 4 and <= 8) waited 250 ms for a lock on "items"...`, or ran past its statement timeout. */
  private limitText(batch: Batch, hit: 'lock' | 'statement', limits: BatchLimitValues): string {
    const head = `batch ${this.batchesDone + 1} (${rangeText(batch)})`;
    return hit === 'lock'
      ? `${head} waited ${limits.lockTimeoutMs} ms for a lock on "${this.spec.locked}" that another session holds`
      : `${head} ran longer than the statement timeout of ${limits.statementTimeoutMs} ms`;
  }

  /** The failure after a batch hit its limits more times than it is retried: what was locked or slow, and the fix. */
  private async limitFailure(
    batch: Batch,
    hit: 'lock' | 'statement',
    hits: number,
    elapsedMs: number,
    e: DatabaseError,
  ): Promise<NodeFailure> {
    const limits = this.ctx.db.dialect.batchLimits!;
    const tries = `${hits} tries over ${(elapsedMs / 1000).toFixed(1)} s`;
    if (hit === 'statement') {
      return new NodeFailure(
        `${this.limitText(batch, hit, limits.limits)}, ${tries} (down to ${this.walk.batchSize} rows per batch), and the node stopped: ` +
          `make the expression cheaper (an index for what a subquery looks up) or lower batch_size; ${this.committed()}`,
        'batch_size',
        e.code,
      );
    }
    const holders = (await this.ctx.query<LockHolderRow>(limits.lockHoldersSql(this.spec.locked))).rows;
    const who =
      holders.length === 0
        ? `no other session holds a lock on "${this.spec.locked}" any more`
        : `sessions holding locks on "${this.spec.locked}": ${holders.slice(0, 3).map(holderText).join('; ')}`;
    return new NodeFailure(
      `${this.limitText(batch, hit, limits.limits)}, ${tries}, and the node stopped (${who}); ` +
        `end that session's transaction (COMMIT or ROLLBACK it) or wait until it ends; ${this.committed()}`,
      undefined,
      e.code,
    );
  }

  /** The outputs both nodes report besides their rows of this run. */
  summary(startedAt: number): Record<string, unknown> {
    return {
      rows_done_total: this.done,
      batches: this.batches,
      duration_ms: Math.round(performance.now() - startedAt),
      key_column: this.spec.key.column,
      resumed: this.resumed !== null,
      resumed_after_key: this.resumed?.last?.text ?? null,
      batch_target_ms: this.sizer.targetMs,
      batch_size_min: this.sizes?.smallest ?? null,
      batch_size_max: this.sizes?.largest ?? null,
      longest_batch_ms: Math.round(this.longestMs),
    };
  }
}
