/**
 * Adaptive batch sizes for the batch walk of DataBackfillNode and DataMigrationNode, after
 * GitLab's batched background migrations (`Gitlab::Database::BackgroundMigration::BatchOptimizer`):
 * the node's `batch_size` is the first batch's size, and the measured durations of the committed
 * batches size the next so that a batch takes about `batch_target_ms` (default BATCH_TARGET_MS).
 *
 * Each batch's duration is smoothed over the batches of the same size (an exponential moving
 * average, as GitLab smooths its time efficiency), except that a batch slower than that average
 * counts at once. A size whose duration is within the band around the target (60% to 105% of it:
 * 90-158 ms for 150) stays, so batches do not see-saw. Otherwise the next size is the one expected
 * to take AIM (85%) of the target: the aim below the target leaves room for the variation between
 * batches of one size, which is nearly always upwards (a busy disk, another process on the core).
 *
 * After a fast batch (`grown`) the whole duration counts as cost per key, at the rate of this
 * batch or the decayed mean of the batches so far when that is slower (a batch that happened to
 * run fast does not carry the next one over), and the size grows at most MAX_GROWTH (8x) per batch
 * (GitLab: 1.2x per job of minutes; a backfill's batches take milliseconds, and doubling from a
 * `batch_size` of 1,000 spent half of a 1,000,000-row walk's batches far below the target). A
 * commit's fixed part only makes that growth err short: the sizes still converge on the one that
 * takes the aim.
 *
 * After a slow batch (`shrunk`) the size shrinks at once, and there the duration is split into a
 * part every batch pays whatever its size (the commit: on a SQLite file in rollback-journal mode,
 * its syncs) and a cost per key of the range. The first is fitted by least squares over the
 * batches so far, older ones weighing less (each keeps DECAY of the weight of the batch after
 * it), whenever their sizes differ enough to tell the two apart (as they do while batches grow);
 * the last fit is kept while they do not. Only the rest of a batch's duration scales with its
 * size, and when the part every batch pays comes near the target or exceeds it, no size meets the
 * target and smaller batches would only pay it more often: the size is then the one whose keys
 * take a third of the target, reached by at most SLOW_GROWTH (2x) per batch, since a fit over
 * noisy batches can overstate that part.
 * Sizes stay within a tenth of `batch_size` (at least 1) and MAX_BATCH_ROWS: on a busy machine a
 * commit's time varies more than a small batch's keys cost, and the floor keeps that noise from
 * shrinking the batches to a few keys each. Target 0 turns the sizing off: every batch keeps
 * `batch_size` keys.
 *
 * The sizer only reads numbers (a batch's size and its milliseconds): the walk reads the clock
 * (checkpointed-walk.ts), so the rule is unit-tested with chosen durations and the walk with real
 * ones.
 */
import { MAX_BATCH_ROWS } from '../../../shared/nodes/data.ts';

/** Weight each earlier batch keeps in the fit, per batch after it. */
const DECAY = 0.6;

/** Weight of the newest batch in the smoothed duration of batches of one size (GitLab's EMA_ALPHA). */
const ALPHA = 0.4;

/** A batch grows at most this many times the size of the one before. */
const MAX_GROWTH = 8;

/** A batch that follows a slow one grows at most this many times its size (`shrunk`). */
const SLOW_GROWTH = 2;

/**
 * The share of the target a new size is chosen to take: a batch's duration varies between batches
 * of one size (more on a loaded machine, and nearly always upwards), so sizes aim below the target.
 */
const AIM = 0.85;

/** The band within which a size stays, as shares of the target. */
const BAND = { low: 0.6, high: 1.05 };

/** The fit needs sizes this different (coefficient of variation) to tell the two parts apart. */
const MIN_SPREAD = 0.15;

export class BatchSizer {
  /** Decayed sums of the fit: weight, size, duration, size², size x duration. */
  private w = 0;
  private n = 0;
  private ms = 0;
  private nn = 0;
  private nms = 0;
  /** The ms every batch pays, from the last fit that could tell it from the cost per key (0 before). */
  private fixed = 0;
  /** The smoothed duration of the batches of the current size, and that size. */
  private recent = { size: 0, ms: 0 };

  /** The smallest size chosen: a tenth of `batch_size` (at least 1). */
  readonly smallest: number;

  /**
   * @param targetMs the duration a batch should take; 0: every batch keeps the size it has.
   * @param start the node's `batch_size`, the first batch's size.
   */
  constructor(
    readonly targetMs: number,
    start: number,
  ) {
    this.smallest = Math.max(1, Math.floor(start / 10));
  }

  /** Whether sizes follow the measured durations (a target above 0). */
  get adaptive(): boolean {
    return this.targetMs > 0;
  }

  /**
   * The size of the next batch after one of `size` keys took `ms` milliseconds (its whole
   * transaction). Returns `size` when the sizing is off or the batch took about the target.
   */
  next(size: number, ms: number): number {
    if (!this.adaptive) return size;
    this.observe(size, ms);
    this.recent = { size, ms: this.recent.size === size ? ALPHA * ms + (1 - ALPHA) * this.recent.ms : ms };
    // Smoothed, except that a batch slower than the ones before counts at once.
    const took = Math.max(this.recent.ms, ms);
    const target = this.targetMs;
    if (took >= target * BAND.low && took <= target * BAND.high) return size;
    const ideal = took < target * BAND.low ? this.grown(size, took) : this.shrunk(size, took);
    if (Math.abs(ideal - size) < size / 10) return size;
    return Math.min(MAX_BATCH_ROWS, Math.max(this.smallest, ideal));
  }

  /**
   * After a fast batch: the size expected to take AIM of the target with the whole duration counted
   * per key (so a commit's fixed part only makes the growth err short, and a fit misled by a noisy
   * batch cannot make it overshoot), at the rate of this batch or the decayed mean of the batches
   * so far when that is slower; at most MAX_GROWTH times this size.
   */
  private grown(size: number, took: number): number {
    const perKey = Math.max(took, 0.001) / size;
    const ideal = (this.targetMs * AIM) / Math.max(perKey, this.ms / this.n);
    return Math.floor(Math.min(ideal, size * MAX_GROWTH));
  }

  /**
   * After a slow batch: the size whose keys take AIM of the target less the fitted part every batch
   * pays, or a third of the target when that part leaves less. That is more keys than this batch's
   * when the fixed part comes near the target (smaller batches would pay it more often): the size
   * then grows at most SLOW_GROWTH times per batch, as a fit can be misled by noise.
   */
  private shrunk(size: number, took: number): number {
    const target = this.targetMs;
    const fixed = Math.min(this.fixed, took);
    const perKey = Math.max(took - fixed, 0.001) / size;
    return Math.floor(Math.min(Math.max(target * AIM - fixed, target / 3) / perKey, size * SLOW_GROWTH));
  }

  private observe(size: number, ms: number): void {
    this.w = this.w * DECAY + 1;
    this.n = this.n * DECAY + size;
    this.ms = this.ms * DECAY + ms;
    this.nn = this.nn * DECAY + size * size;
    this.nms = this.nms * DECAY + size * ms;
    const meanN = this.n / this.w;
    const meanMs = this.ms / this.w;
    const varN = this.nn / this.w - meanN * meanN;
    if (varN <= (MIN_SPREAD * meanN) ** 2) return;
    const perKey = (this.nms / this.w - meanN * meanMs) / varN;
    if (perKey > 0) this.fixed = Math.max(0, meanMs - perKey * meanN);
  }
}
