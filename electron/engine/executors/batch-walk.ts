/**
 * The batch walk both data-moving nodes share: a table's matching rows visited in key order, in
 * batches of at most the walk's batch size (the node's `batch_size` at the start, then what the
 * adaptive sizing of batch-sizer.ts gives through `resize`), never OFFSET. At the start it counts the rows left
 * (`countSql`, the progress total) and reads their smallest and largest key through the key's
 * index (`keyEndsSql`). The largest key of the start ends the walk: no batch reaches past it, so
 * the walk visits each row of its start at most once and ends, whatever its writes do (rows they
 * insert, or move, past that key are not visited). When both ends are integers and the keys
 * between them are dense (at least one matching row per two key values), each batch is the
 * arithmetic range `k > last AND k <= last + batch_size`: nothing is read to find it, and as
 * integer keys are unique it holds at most `batch_size` rows (`write` checks that, as a SQLite
 * column may store reals among its integers). Any other key (text, uuid, sparse integers) goes by
 * keyset bounds: the last of the next `batch_size` matching keys, read with `nextBatchSql`.
 */
import type { Table } from '../../../shared/schema.ts';
import {
  countSql,
  firstUpperBoundSql,
  keyEndsSql,
  keyLiteral,
  nextBatchSql,
  rangeUpper,
  type BatchBoundRow,
  type BatchKey,
  type BatchRange,
  type KeyEndsRow,
  type KeyValue,
} from '../../db/data-sql.ts';
import type { NodeContext } from '../types.ts';

/** Arithmetic ranges are used when matching rows fill at least 1 / DENSE of the key span. */
const DENSE = 2n;

/** The integer span `[min, max]` of the start, when the walk can go by arithmetic ranges. */
function denseSpan(
  rows: number,
  ends: KeyEndsRow | undefined,
  last: KeyValue | null,
): { min: bigint; max: bigint } | null {
  if (!ends || ends.min_kind !== 'integer' || ends.max_kind !== 'integer') return null;
  if (last && last.kind !== 'integer') return null;
  const min = BigInt(String(ends.min_text));
  const max = BigInt(String(ends.max_text));
  return BigInt(rows) * DENSE >= max - min + 1n ? { min, max } : null;
}

/** One batch of the walk: its key range, and its last key for the checkpoint and messages. */
export interface Batch {
  range: BatchRange;
  upper: KeyValue;
  /** An arithmetic range (not read from the table). */
  arithmetic: boolean;
  /** Keys the batch was sized for: the walk's batch size when it was taken. */
  size: number;
}

/** Thrown inside a batch's atomic unit to undo it: it wrote more rows than it was sized for. */
class OversizedBatch extends Error {}

export class BatchWalk {
  private constructor(
    private readonly ctx: NodeContext,
    private readonly table: string,
    private readonly key: BatchKey,
    private readonly where: string | null,
    private size: number,
    private position: KeyValue | null,
    /** The largest matching key of the start, where the walk ends; null when nothing matched. */
    private readonly until: KeyValue | null,
    /** Rows matching after the starting key, counted at the start. */
    readonly total: number,
    /** Set while the walk goes by arithmetic ranges; null once it goes by keyset bounds. */
    private dense: { min: bigint; max: bigint } | null,
  ) {}

  /** Starts a walk of the rows matching `where` after key `after` (null: from the first key). */
  static async start(
    ctx: NodeContext,
    table: string,
    key: BatchKey,
    where: string | null,
    size: number,
    after: KeyValue | null,
  ): Promise<BatchWalk> {
    const d = ctx.db.dialect;
    const { rows } = await ctx.query<{ n: number | string }>(countSql(d, table, key, after, where));
    const total = Number(rows[0]?.n ?? 0);
    const ends = total > 0 ? (await ctx.query<KeyEndsRow>(keyEndsSql(d, table, key, after, where))).rows[0] : undefined;
    const until = ends?.max_text != null ? { text: String(ends.max_text), kind: String(ends.max_kind) } : null;
    return new BatchWalk(ctx, table, key, where, size, after, until, total, denseSpan(total, ends, after));
  }

  /** Last key of the last batch `next` returned (the starting key before the first). */
  get last(): KeyValue | null {
    return this.position;
  }

  /** How many batches the walk should take, for plan-mode comments. */
  get batchesEstimated(): number {
    if (!this.dense) return Math.ceil(this.total / this.size);
    const base = this.position ? BigInt(this.position.text) : this.dense.min - 1n;
    return Number((this.dense.max - base + BigInt(this.size) - 1n) / BigInt(this.size));
  }

  /** The next batch, the walk moved past it; null when no matching key is left up to the last one of the start. */
  async next(): Promise<Batch | null> {
    const { until, position } = this;
    if (!until || (position && position.text === until.text && position.kind === until.kind)) return null;
    if (this.dense) {
      const base = position ? BigInt(position.text) : this.dense.min - 1n;
      if (base < this.dense.max) return this.take(rangeUpper(base, this.size, this.dense.max), true);
      this.dense = null;
    }
    const { rows } = await this.ctx.query<BatchBoundRow>(
      nextBatchSql(this.ctx.db.dialect, this.table, this.key, position, until, this.where, this.size),
    );
    const row = rows[0];
    return row ? this.take({ text: String(row.key_text), kind: String(row.key_kind) }, false) : null;
  }

  /**
   * Runs `write` (the batch's statements; it returns the rows they wrote) as one atomic unit and
   * returns its rows. An arithmetic batch that wrote more rows than its size held keys between
   * integers: it is undone, the walk goes on by keyset bounds from the same key (with a warning),
   * and null is returned; `next` then gives that part of the table again, by keyset bounds.
   */
  async write(batch: Batch, write: () => Promise<number>): Promise<number | null> {
    if (!batch.arithmetic) return this.ctx.atomic(write);
    try {
      return await this.ctx.atomic(async () => {
        const rows = await write();
        if (rows > batch.size) throw new OversizedBatch();
        return rows;
      });
    } catch (e) {
      if (!(e instanceof OversizedBatch)) throw e;
      this.ctx.warn(
        `key column "${this.key.column}" holds values between integers, so its ranges may hold more than ${batch.size} rows; walking by keyset bounds from here`,
      );
      this.dense = null;
      this.position = batch.range.last;
      return null;
    }
  }

  /** Keys per batch now (`batch_size`, or what `resize` or `retry` made it). */
  get batchSize(): number {
    return this.size;
  }

  /** Gives the batches after the one taken last `size` keys each (adaptive sizing: batch-sizer.ts). */
  resize(size: number): void {
    this.size = Math.max(1, Math.floor(size));
  }

  /**
   * Goes back to the start of `batch`, which was rolled back, so that `next` gives it again;
   * `smaller` halves the batch size (at least 1) for it and every batch after it.
   */
  retry(batch: Batch, smaller: boolean): void {
    this.position = batch.range.last;
    if (smaller) this.size = Math.max(1, Math.floor(this.size / 2));
  }

  private take(upper: KeyValue, arithmetic: boolean): Batch {
    const range = { key: this.key, last: this.position, upper: keyLiteral(this.ctx.db.dialect, upper) };
    this.position = upper;
    return { range, upper, arithmetic, size: this.size };
  }
}

/**
 * The first batch's range for the plan-mode preview: the walk's real first batch when the rows
 * can be read (`readable`), else the keyset bound as a subquery. `batches` is the estimate for
 * the comment.
 */
export async function planFirstRange(
  ctx: NodeContext,
  table: Table,
  key: BatchKey,
  where: string | null,
  size: number,
  readable: boolean,
): Promise<{ range: BatchRange; upper: KeyValue | null; total: number; batches: number }> {
  if (readable) {
    const walk = await BatchWalk.start(ctx, table.name, key, where, size, null);
    const batches = walk.batchesEstimated;
    const first = await walk.next();
    if (first) return { ...first, total: walk.total, batches };
  }
  const total = table.rowEstimate;
  return {
    range: { key, last: null, upper: firstUpperBoundSql(ctx.db.dialect, table.name, key, where, size) },
    upper: null,
    total,
    batches: Math.ceil(total / size),
  };
}
