/**
 * What a MonitoringNode produces (docs/nodes.md, "MonitoringNode"): a snapshot of table sizes, row
 * counts, index usage and query timings, and, with `compare_with`, each metric before and after.
 * Written by electron/engine/executors/monitoring.ts, carried in `RunResult.metrics[nodeId]`, drawn
 * by the metrics panel. Plain data only (it crosses IPC and is stored in run history).
 */
import type { DialectName } from './schema.ts';

/** What was measured of one table; a field is present only when its metric was captured. */
export interface TableMetrics {
  /** Exact row count (`row_count`). */
  row_count?: number;
  /** Sizes in bytes and the exact row count (`table_size`); a null size is one the database cannot tell. */
  table_size?: {
    rows: number;
    total_bytes: number | null;
    table_bytes: number | null;
    index_bytes: number | null;
    /** True when the sizes are estimates (statistics) rather than measured. */
    estimated: boolean;
  };
  /** One entry per index (`index_usage`); `scans` is null where the database does not count them (SQLite). */
  index_usage?: { index: string; size_bytes: number | null; scans: number | null }[];
}

/**
 * Why a query was timed: listed in the node's `queries`; or, without `queries`, the default
 * (docs/nodes.md, "MonitoringNode"): one of the most expensive statements the database tracked
 * (PostgreSQL's pg_stat_statements), else a measured table's primary-key lookup and its count. A
 * node comparing with an earlier one without `queries` times that node's queries again.
 */
export type QueryChoice = 'queries' | 'expensive_statement' | 'primary_key_lookup' | 'row_count';

/** Timings of one read-only query run `runs` times (`query_performance`), in milliseconds. */
export interface QueryMetrics {
  sql: string;
  /** Why this query was timed. */
  chosen_by: QueryChoice;
  runs: number;
  median_ms: number;
  /** Nearest-rank 95th percentile. */
  p95_ms: number;
  min_ms: number;
  max_ms: number;
  /** Every timing, in the order taken (the comparison tests on them). */
  samples_ms: number[];
  /** The database's query plan (EXPLAIN output) as it reported it. */
  plan: unknown;
}

/** The `metrics` output: one capture. */
export interface MetricsSnapshot {
  /** ISO time of the capture. */
  captured_at: string;
  dialect: DialectName;
  /** Keyed by table name. */
  tables: Record<string, TableMetrics>;
  queries: QueryMetrics[];
  /**
   * Why a metric that was asked for has no value, keyed like the comparison
   * (`orders.orders_user_id.scans`: "SQLite keeps no index scan counters").
   */
  unavailable: Record<string, string>;
}

/**
 * The decision whether a timed query became slower (electron/engine/executors/slowdown.ts): a
 * one-sided Mann-Whitney U test of the after timings against the before timings raised by the
 * allowance, and a 95% bootstrap interval of the median's change.
 */
export interface SlowdownTest {
  test: 'mann-whitney-u';
  /** One-sided p-value of "no slower than the allowance". */
  p_value: number;
  /** The significance level: `slower` needs p_value below it. */
  alpha: number;
  /** Timings before and after. */
  samples: [number, number];
  /** 95% interval of the change of the median, in ms. */
  ci_ms: [number, number];
  /** The slowdown tolerated: threshold_pct of the before median, and at least 1 ms. */
  allowance_ms: number;
  /** `inconclusive`: the samples cannot tell; more runs (`repeat`) would. */
  verdict: 'slower' | 'not_slower' | 'inconclusive';
}

/**
 * One entry of the `comparison` output. The comparison is keyed by metric name:
 * `<table>.row_count`, `<table>.total_bytes`, `<table>.table_bytes`, `<table>.index_bytes`,
 * `<table>.<index>.size_bytes`, `<table>.<index>.scans`, `query(<sql>).median_ms`,
 * `query(<sql>).p95_ms`. A metric present on one side only has null on the other, and `why` says so.
 */
export interface MetricChange {
  before: number | null;
  after: number | null;
  /** after - before; null when either side is null. */
  change: number | null;
  /** change as a percentage of before; null when it cannot be computed (before is null or 0). */
  change_pct: number | null;
  /** A query that is slower beyond the threshold with statistical confidence (`slowdown.verdict` is `slower`). */
  degraded: boolean;
  /** On a query's `median_ms`: the test that decided `degraded`, with the change's uncertainty. */
  slowdown?: SlowdownTest;
  /** Why a value, the change or its percentage is missing (a metric absent on one side, not counted, before was 0). */
  why?: string;
}

/** A degradation raised by `alert_on_degradation` / `fail_on_degradation` (also a run warning). */
export interface Alert {
  /** The comparison key of the degraded metric. */
  metric: string;
  before: number;
  after: number;
  change_pct: number | null;
  message: string;
}

/** A MonitoringNode's `result` output: what `RunResult.metrics[nodeId]` holds. */
export interface MonitoringOutput {
  metrics: MetricsSnapshot;
  /** Present only when the node has `compare_with`. */
  comparison?: Record<string, MetricChange>;
  /** The alerts raised (empty unless alerting is on and something degraded). */
  alerts: Alert[];
  /** Information for the user: growth beyond the threshold, tables not measured, metrics skipped. */
  notes: string[];
}
