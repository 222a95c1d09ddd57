import { describe, expect, it } from 'vitest';
import { decideSlowdown, mannWhitneyGreater, median, medianChangeInterval } from './slowdown.ts';

/** Timings around `center` ms with a deterministic spread of +-`spread` (no two alike). */
function timings(n: number, center: number, spread: number, phase = 0): number[] {
  return Array.from({ length: n }, (_, i) => center + spread * Math.sin(i * 2.399 + phase) + i * 1e-6);
}

describe('Mann-Whitney U, one-sided', () => {
  it('counts the arrangements exactly for small samples', () => {
    // All three x above all three y: 1 arrangement of C(6,3) = 20.
    expect(mannWhitneyGreater([4, 5, 6], [1, 2, 3])).toBeCloseTo(1 / 20, 10);
    expect(mannWhitneyGreater([11, 12, 13, 14, 15], [1, 2, 3, 4, 5])).toBeCloseTo(1 / 252, 10);
    // x entirely below y: every arrangement has U >= 0.
    expect(mannWhitneyGreater([1, 2, 3], [4, 5, 6])).toBe(1);
    // One swap from the top: U = 8 or more is 2 arrangements of 20.
    expect(mannWhitneyGreater([3.5, 5, 6], [1, 2, 4])).toBeCloseTo(2 / 20, 10);
  });

  it('agrees with the normal approximation where both apply', () => {
    const x = timings(40, 10.3, 1, 1);
    const y = timings(40, 10, 1);
    const ties = [...x.slice(0, 39), y[0]!]; // a tie forces the normal approximation
    const exact = mannWhitneyGreater(x.slice(0, 30), y.slice(0, 30));
    const normal = mannWhitneyGreater(ties.slice(0, 30).concat(y[0]!), y.slice(0, 30));
    expect(exact).toBeGreaterThan(0);
    expect(exact).toBeLessThan(1);
    expect(Math.abs(exact - normal)).toBeLessThan(0.1);
  });
});

describe('deciding a slowdown', () => {
  it('calls a query three times slower "slower" with a small p-value and an interval around the change', () => {
    const before = timings(30, 4, 0.5);
    const after = timings(30, 12, 1.5, 2);
    const d = decideSlowdown(before, after, 20, 1);
    expect(d.verdict).toBe('slower');
    expect(d.p_value).toBeLessThan(1e-6);
    expect(d.samples).toEqual([30, 30]);
    const change = median(after) - median(before);
    expect(d.ci_ms[0]).toBeLessThanOrEqual(change);
    expect(d.ci_ms[1]).toBeGreaterThanOrEqual(change);
    expect(d.ci_ms[0]).toBeGreaterThan(6);
  });

  it('calls the same query timed again "not slower", and a 10% change under a 20% threshold too', () => {
    expect(decideSlowdown(timings(30, 4, 0.5), timings(30, 4, 0.5, 1), 20, 1).verdict).toBe('not_slower');
    expect(decideSlowdown(timings(30, 40, 1), timings(30, 44, 1, 1), 20, 1).verdict).toBe('not_slower');
  });

  it('does not alert on a slowdown under the 1 ms floor, however clear', () => {
    const d = decideSlowdown(timings(30, 0.05, 0.005), timings(30, 0.5, 0.005, 1), 20, 1);
    expect(d.verdict).not.toBe('slower');
    expect(d.allowance_ms).toBe(1);
  });

  it('says "inconclusive" when three timings each cannot decide, and decides with thirty', () => {
    const few = decideSlowdown([10, 11, 12], [20, 21, 22], 20, 1);
    expect(few.verdict).toBe('inconclusive');
    expect(few.p_value).toBeCloseTo(0.05, 5);
    const many = decideSlowdown(timings(30, 11, 1), timings(30, 15, 1, 1), 20, 1);
    expect(many.verdict).toBe('slower');
  });

  it('one outlier among the after timings is not a slowdown', () => {
    const after = timings(30, 4, 0.5, 1);
    after[7] = 400;
    expect(decideSlowdown(timings(30, 4, 0.5), after, 20, 1).verdict).toBe('not_slower');
  });

  it('reads the same every time (the bootstrap has a fixed seed)', () => {
    const before = timings(25, 5, 2);
    const after = timings(25, 6, 2, 1);
    expect(medianChangeInterval(before, after)).toEqual(medianChangeInterval(before, after));
  });
});
