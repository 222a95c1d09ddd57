/**
 * Whether a query became slower, decided on its timings before and after a change
 * (docs/data-nodes.md, "Deciding a slowdown"). A MonitoringNode's comparison raises an alert only
 * when this says `slower`: one noisy sample, a loaded machine or a query timed five times does not.
 *
 * The test: a one-sided Mann-Whitney U test of the after timings against the before timings
 * raised by the allowance (each before time t becomes max(t * (1 + threshold), t + min_ms)). Its
 * null hypothesis is "after is no slower than the allowance permits", so a small p-value means
 * the query is slower beyond the threshold with confidence 1 - alpha. Exact distribution of U for
 * small samples, the normal approximation with tie correction for larger ones.
 *
 * The uncertainty reported with the change: a 95% bootstrap interval of the change of the median
 * (2,000 resamples from a fixed seed, so a result reads the same each time it is computed).
 */
import type { SlowdownTest } from '../../../shared/metrics.ts';
import { seededRandom } from '../../../shared/seeded-random.ts';

/** Significance level of the test. */
export const ALPHA = 0.01;
const RESAMPLES = 2000;
/** Above this many pairs of samples the normal approximation of U replaces the exact count. */
const EXACT_PAIRS = 900;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** U of `x` against `y`: pairs where x is larger, ties counting one half. */
function uStatistic(x: readonly number[], y: readonly number[]): number {
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  return u;
}

/** P(U >= u) under the null for sample sizes m and n, counting the arrangements exactly. */
function exactUpperTail(m: number, n: number, u: number): number {
  // counts[j][k]: arrangements of j x-values and the n y-values with U = k, built up over j.
  // Adding one x placed above i of the y-values adds i to U; the classic recurrence over (m, n):
  // c(m, n, k) = c(m - 1, n, k - n) + c(m, n - 1, k).
  let prev: Float64Array[] = [];
  for (let b = 0; b <= n; b++) prev.push(Float64Array.of(1));
  for (let a = 1; a <= m; a++) {
    const cur: Float64Array[] = [new Float64Array(1).fill(1)];
    for (let b = 1; b <= n; b++) {
      const row = new Float64Array(a * b + 1);
      const left = prev[b]!;
      const down = cur[b - 1]!;
      for (let k = 0; k <= a * b; k++) row[k] = (k - b >= 0 ? (left[k - b] ?? 0) : 0) + (down[k] ?? 0);
      cur.push(row);
    }
    prev = cur;
  }
  const dist = prev[n]!;
  let total = 0;
  let tail = 0;
  const from = Math.ceil(u - 1e-9);
  for (let k = 0; k < dist.length; k++) {
    total += dist[k]!;
    if (k >= from) tail += dist[k]!;
  }
  return tail / total;
}

/** Standard normal upper tail. */
function normalUpperTail(z: number): number {
  // Abramowitz and Stegun 7.1.26 for erfc, accurate to 1.5e-7.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** P(U >= u) by the normal approximation with the tie correction and a continuity correction. */
function normalUpperTailOfU(x: readonly number[], y: readonly number[], u: number): number {
  const m = x.length;
  const n = y.length;
  const all = [...x, ...y].sort((a, b) => a - b);
  let ties = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j] === all[i]) j++;
    const t = j - i;
    ties += t * t * t - t;
    i = j;
  }
  const N = m + n;
  const variance = ((m * n) / 12) * (N + 1 - ties / (N * (N - 1)));
  if (variance <= 0) return 1;
  return normalUpperTail((u - 0.5 - (m * n) / 2) / Math.sqrt(variance));
}

/** One-sided p-value that `x` tends to be larger than `y`. */
export function mannWhitneyGreater(x: readonly number[], y: readonly number[]): number {
  const u = uStatistic(x, y);
  const exact = x.length * y.length <= EXACT_PAIRS && !hasTies(x, y);
  return exact ? exactUpperTail(x.length, y.length, u) : normalUpperTailOfU(x, y, u);
}

function hasTies(x: readonly number[], y: readonly number[]): boolean {
  return new Set([...x, ...y]).size < x.length + y.length;
}

/** 95% percentile bootstrap interval of median(after) - median(before). */
export function medianChangeInterval(before: readonly number[], after: readonly number[]): [number, number] {
  const random = seededRandom(0x5eed);
  const draw = (xs: readonly number[]) => median(Array.from(xs, () => xs[Math.floor(random() * xs.length)]!));
  const changes: number[] = [];
  for (let i = 0; i < RESAMPLES; i++) changes.push(draw(after) - draw(before));
  changes.sort((a, b) => a - b);
  return [changes[Math.floor(0.025 * RESAMPLES)]!, changes[Math.ceil(0.975 * RESAMPLES) - 1]!];
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * The decision on one query: `slower` when the after timings exceed the before timings raised by
 * the allowance (threshold percent, and at least `minMs`) with p < ALPHA; `not_slower` when the
 * whole interval of the median's change stays under the allowance of the before median;
 * `inconclusive` otherwise (more runs, `repeat`, would decide).
 */
export function decideSlowdown(
  before: readonly number[],
  after: readonly number[],
  thresholdPct: number,
  minMs: number,
): SlowdownTest {
  const raised = before.map((t) => Math.max(t * (1 + thresholdPct / 100), t + minMs));
  const p = mannWhitneyGreater(after, raised);
  const [low, high] = medianChangeInterval(before, after);
  const allowance = Math.max((median(before) * thresholdPct) / 100, minMs);
  const verdict = p < ALPHA ? 'slower' : high < allowance ? 'not_slower' : 'inconclusive';
  return {
    test: 'mann-whitney-u',
    p_value: Number(p.toPrecision(3)),
    alpha: ALPHA,
    samples: [before.length, after.length],
    ci_ms: [round3(low), round3(high)],
    allowance_ms: round3(allowance),
    verdict,
  };
}
