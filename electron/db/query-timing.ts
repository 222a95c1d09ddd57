/** The timing loop both dialects' `MetricsReader.timeQuery` use. */

/**
 * How many times a MonitoringNode times a query: at least `min` (the node's `repeat`), then on,
 * up to `max`, while all runs together took less than `budgetMs` (enough samples for the
 * comparison to decide, without timing a slow query for minutes).
 */
export interface TimingRuns {
  min: number;
  max: number;
  budgetMs: number;
}

/** Runs `query` as `runs` says; each run's wall time in ms. */
export async function timeRuns(query: () => Promise<unknown>, runs: TimingRuns): Promise<number[]> {
  const timesMs: number[] = [];
  const started = performance.now();
  while (timesMs.length < runs.min || (timesMs.length < runs.max && performance.now() - started < runs.budgetMs)) {
    const t0 = performance.now();
    await query();
    timesMs.push(performance.now() - t0);
  }
  return timesMs;
}
