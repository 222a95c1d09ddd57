/**
 * MonitoringNode: a snapshot of table sizes, row counts, index usage and query timings, and,
 * with `compare_with`, the change against an earlier MonitoringNode's snapshot.
 *
 * Degradation (what `alert_on_degradation` / `fail_on_degradation` act on): a timed query that
 * is slower beyond `threshold_pct` percent (and at least MIN_SLOWDOWN_MS) with statistical
 * confidence, decided by slowdown.ts on all its timings (a one-sided Mann-Whitney U test), never
 * on two medians alone; its `median_ms` entry carries the test, the p-value and a 95% interval of
 * the change. A node that is compared (it has `compare_with`, or another node compares with it)
 * times each query at least `repeat` times and on up to COMPARE_RUNS while under
 * COMPARE_BUDGET_MS, so that the test has samples to decide on. Size and row growth beyond the
 * threshold is reported as information in `notes`, never as an alert: a migration that adds a
 * column or an index is expected to grow the table. A value that is missing says why (`why`).
 *
 * Queries timed by query_performance: the node's `queries`; without them, the queries of its
 * `compare_with` node (so both sides time the same), else the default of monitor-queries.ts (the
 * database's most expensive tracked statements, else a primary-key lookup and a count per measured
 * table). Each timed query says why it was chosen, and a note lists the default's queries.
 *
 * Plan mode reads sizes, counts and index statistics (reads only) but times no query: timing runs
 * the queries, so query_performance is skipped there and a note says so (and which it would time).
 */
import type { MonitoringParams } from '../../../shared/nodes/monitoring.ts';
import { isInternalTable, findTable, type Schema } from '../../../shared/schema.ts';
import { checkReadOnlySelect } from '../../db/expression-check.ts';
import { representativeQueries, type ChosenQuery } from '../../db/monitor-queries.ts';
import { NodeFailure, type Executor, type NodeContext } from '../types.ts';
import type { Alert, MetricChange, MetricsSnapshot, QueryMetrics, TableMetrics } from '../../../shared/metrics.ts';
import type { TimingRuns } from '../../db/query-timing.ts';
import { decideSlowdown } from './slowdown.ts';

/** A timed query must be slower by at least this much (median or p95) to count as degraded. */
export const MIN_SLOWDOWN_MS = 1;
/** How many of the database's most expensive statements the default times. */
export const DEFAULT_STATEMENTS = 5;
/** A compared node times each query up to this many times (at least `repeat`)... */
export const COMPARE_RUNS = 30;
/** ...while its runs together took less than this. */
export const COMPARE_BUDGET_MS = 3000;

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Median and nearest-rank p95 of the timings. */
function summarize({ sql, chosen_by }: ChosenQuery, timesMs: number[], plan: unknown): QueryMetrics {
  const sorted = [...timesMs].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const p95 = sorted[Math.max(0, Math.ceil(0.95 * n) - 1)]!;
  return {
    sql,
    chosen_by,
    runs: n,
    median_ms: round(median),
    p95_ms: round(p95),
    min_ms: round(sorted[0]!),
    max_ms: round(sorted[n - 1]!),
    samples_ms: timesMs.map((t) => round(t)),
    plan,
  };
}

/** Tables named by `table`, `source_table` or `target_table` params of the workflow's nodes, in file order. */
function touchedTables(ctx: NodeContext): string[] {
  const names: string[] = [];
  for (const node of ctx.workflow.nodes) {
    for (const field of ['table', 'source_table', 'target_table']) {
      const v = node.params[field];
      if (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_$]*$/.test(v) && !isInternalTable(v) && !names.includes(v))
        names.push(v);
    }
  }
  return names;
}

/** The database's schema as it is now (in plan mode read apart from the plan's simulated one, the tables' details on first use). */
async function liveSchema(ctx: NodeContext): Promise<Schema> {
  return ctx.mode === 'plan'
    ? ctx.db.dialect.introspect(ctx.db.driver, undefined, { deferDetails: true })
    : ctx.schema();
}

async function chooseTables(ctx: NodeContext<MonitoringParams>, notes: string[]): Promise<string[]> {
  const live = await liveSchema(ctx);
  const present = (t: string) => !!findTable(live, t);
  if (!ctx.params.tables) {
    const touched = touchedTables(ctx);
    const missing = touched.filter((t) => !present(t));
    if (missing.length > 0) notes.push(`not in the database now, so not measured: ${missing.join(', ')}`);
    return touched.filter(present);
  }
  const planned = ctx.mode === 'plan' ? await ctx.schema() : live;
  const chosen: string[] = [];
  for (const t of ctx.params.tables) {
    if (present(t)) chosen.push(t);
    else if (findTable(planned, t))
      notes.push(`table "${t}" is created by an earlier node; plan mode cannot measure it yet`);
    else
      throw new NodeFailure(`tables: table "${t}" does not exist; check the name or remove it from tables`, 'tables');
  }
  return chosen;
}

/**
 * The queries query_performance times when the node lists none: those of the baseline, else the
 * database's most expensive tracked statements, else a primary-key lookup and a count per table.
 * A note says which were chosen and why.
 */
async function defaultQueries(
  ctx: NodeContext<MonitoringParams>,
  tables: readonly string[],
  before: MetricsSnapshot | null,
  notes: string[],
): Promise<ChosenQuery[]> {
  const listed = (qs: readonly ChosenQuery[]) => qs.map((q) => q.sql).join('; ');
  if (before && before.queries.length > 0) {
    const again = before.queries.map((q) => ({ sql: q.sql, chosen_by: q.chosen_by ?? 'queries' }));
    notes.push(
      `query_performance: no queries given, so the queries "${ctx.params.compare_with}" timed: ${listed(again)}`,
    );
    return again;
  }
  const tracked = await ctx.db.dialect.metrics.expensiveStatements(ctx.db, DEFAULT_STATEMENTS);
  let why: string;
  if ('statements' in tracked) {
    const runnable: ChosenQuery[] = [];
    for (const sql of tracked.statements)
      if ((await checkReadOnlySelect(ctx.db.dialect, sql)).ok) runnable.push({ sql, chosen_by: 'expensive_statement' });
    if (runnable.length > 0) {
      notes.push(
        `query_performance: no queries given, so the ${runnable.length} most expensive statement(s) ${tracked.source} tracked that run as they are: ${listed(runnable)}`,
      );
      return runnable;
    }
    why = `${tracked.source} tracked no read-only statement that runs as it is (statements with $1 parameters cannot)`;
  } else {
    why = tracked.unavailable;
  }
  const live = await liveSchema(ctx);
  const chosen = tables.flatMap((t) => {
    const table = findTable(live, t);
    return table ? representativeQueries(ctx.db.dialect, table) : [];
  });
  notes.push(
    chosen.length > 0
      ? `query_performance: no queries given and ${why}, so a primary-key lookup and a count per measured table: ${listed(chosen)}`
      : `query_performance: no queries given, ${why}, and no table is measured, so nothing timed; list read-only queries in "queries"`,
  );
  return chosen;
}

/** A compared node takes enough timings for the comparison to decide; any other node takes `repeat`. */
function timingRuns(ctx: NodeContext<MonitoringParams>): TimingRuns {
  const repeat = ctx.params.repeat;
  const compared =
    ctx.params.compare_with !== undefined ||
    ctx.workflow.nodes.some((n) => n.type === 'MonitoringNode' && n.params.compare_with === ctx.node.id);
  return compared
    ? { min: repeat, max: Math.max(repeat, COMPARE_RUNS), budgetMs: COMPARE_BUDGET_MS }
    : { min: repeat, max: repeat, budgetMs: 0 };
}

async function capture(
  ctx: NodeContext<MonitoringParams>,
  before: MetricsSnapshot | null,
  notes: string[],
): Promise<MetricsSnapshot> {
  const p = ctx.params;
  const reader = ctx.db.dialect.metrics;
  const wants = new Set(p.capture_metrics);
  const given = p.queries ?? [];
  if (wants.has('query_performance')) {
    for (const [i, sql] of given.entries()) {
      const check = await checkReadOnlySelect(ctx.db.dialect, sql);
      if (!check.ok)
        throw new NodeFailure(`queries[${i}]: ${check.error}; only read-only SELECT queries can be timed`, 'queries');
    }
  }
  const snapshot: MetricsSnapshot = {
    captured_at: new Date().toISOString(),
    dialect: ctx.db.dialect.name,
    tables: {},
    queries: [],
    unavailable: {},
  };
  const missing = (key: string, why: string | undefined) => {
    snapshot.unavailable[key] = why ?? 'the database does not report it';
  };
  const tables = await chooseTables(ctx, notes);
  for (const table of tables) {
    ctx.throwIfCancelled();
    const m: TableMetrics = {};
    const rows = wants.has('row_count') || wants.has('table_size') ? await reader.rowCount(ctx.db, table) : 0;
    if (wants.has('row_count')) m.row_count = rows;
    if (wants.has('table_size')) {
      const size = await reader.tableSize(ctx.db, table);
      if (size) {
        m.table_size = {
          rows,
          total_bytes: size.totalBytes,
          table_bytes: size.tableBytes,
          index_bytes: size.indexBytes,
          estimated: size.estimated,
        };
        for (const [key, value] of Object.entries({
          total_bytes: size.totalBytes,
          table_bytes: size.tableBytes,
          index_bytes: size.indexBytes,
        }))
          if (value === null) missing(`${table}.${key}`, reader.unavailable.sizes);
      }
    }
    if (wants.has('index_usage')) {
      m.index_usage = (await reader.indexUsage(ctx.db, table)).map((i) => ({
        index: i.name,
        size_bytes: i.sizeBytes,
        scans: i.scans,
      }));
      for (const i of m.index_usage) {
        if (i.size_bytes === null) missing(`${table}.${i.index}.size_bytes`, reader.unavailable.sizes);
        if (i.scans === null) missing(`${table}.${i.index}.scans`, reader.unavailable.scans);
      }
    }
    snapshot.tables[table] = m;
  }
  if (wants.has('query_performance')) {
    const queries: ChosenQuery[] =
      given.length > 0
        ? given.map((sql) => ({ sql, chosen_by: 'queries' }))
        : await defaultQueries(ctx, tables, before, notes);
    if (queries.length > 0 && ctx.mode === 'plan')
      notes.push(
        'query_performance: not captured in plan mode (timing runs the queries); it runs in rehearse and apply',
      );
    else {
      for (const q of queries) {
        ctx.throwIfCancelled();
        const timed = await reader.timeQuery(ctx.db, q.sql, timingRuns(ctx));
        snapshot.queries.push(summarize(q, timed.timesMs, timed.plan));
      }
    }
  }
  return snapshot;
}

type Kind = 'query_time' | 'size' | 'rows' | 'scans';

interface Flat {
  value: number | null;
  kind: Kind;
  /** A query's `median_ms`: all its timings (the slowdown test compares them). */
  samples?: number[];
  /** Why the value is null. */
  why?: string;
}

/** Every number of a snapshot under a stable name (`orders.total_bytes`, `query(SELECT ...).median_ms`). */
function flatten(s: MetricsSnapshot): Map<string, Flat> {
  const out = new Map<string, Flat>();
  const put = (key: string, value: number | null, kind: Kind) =>
    out.set(key, { value, kind, ...(value === null ? { why: s.unavailable[key] } : {}) });
  for (const [table, m] of Object.entries(s.tables)) {
    const rows = m.row_count ?? m.table_size?.rows;
    if (rows !== undefined) put(`${table}.row_count`, rows, 'rows');
    if (m.table_size) {
      put(`${table}.total_bytes`, m.table_size.total_bytes, 'size');
      put(`${table}.table_bytes`, m.table_size.table_bytes, 'size');
      put(`${table}.index_bytes`, m.table_size.index_bytes, 'size');
    }
    for (const i of m.index_usage ?? []) {
      put(`${table}.${i.index}.size_bytes`, i.size_bytes, 'size');
      put(`${table}.${i.index}.scans`, i.scans, 'scans');
    }
  }
  for (const q of s.queries) {
    out.set(`query(${q.sql}).median_ms`, { value: q.median_ms, kind: 'query_time', samples: q.samples_ms });
    out.set(`query(${q.sql}).p95_ms`, { value: q.p95_ms, kind: 'query_time' });
  }
  return out;
}

/** Why a comparison entry lacks a value, its change or its percentage (both sides' reasons); undefined when nothing is missing. */
function whyMissing(name: string, x: Flat | undefined, y: Flat | undefined): string | undefined {
  const reasons: string[] = [];
  if (!x) reasons.push('not measured before: it did not exist then (the change created it)');
  else if (x.value === null) reasons.push(x.why ?? `${name} was not reported by the database`);
  if (!y) reasons.push('not measured after: it no longer exists (the change removed it)');
  else if (y.value === null && y.why !== x?.why) reasons.push(y.why ?? `${name} was not reported by the database`);
  if (reasons.length === 0 && x?.value === 0) reasons.push('no percentage: the value before was 0');
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

const ms = (v: number) => `${v > 0 ? '+' : ''}${v} ms`;

function isSnapshot(v: unknown): v is MetricsSnapshot {
  return typeof v === 'object' && v !== null && 'tables' in v && 'queries' in v;
}

/** The snapshot of `compare_with` (the workflow validator already checked it names a MonitoringNode). */
function baseline(ctx: NodeContext<MonitoringParams>, id: string): MetricsSnapshot {
  const result = ctx.results.get(id);
  const metrics = result?.outputs.metrics;
  if (!result || result.status !== 'succeeded' || !isSnapshot(metrics)) {
    const why = result
      ? `it ${result.status === 'succeeded' ? 'captured no metrics' : `is ${result.status}`}`
      : 'it has not run yet';
    throw new NodeFailure(
      `compare_with: "${id}" has no metrics to compare with (${why}); make it run before "${ctx.node.id}" by connecting it upstream`,
      'compare_with',
    );
  }
  return metrics;
}

function compare(before: MetricsSnapshot, after: MetricsSnapshot, thresholdPct: number, notes: string[]) {
  const a = flatten(before);
  const b = flatten(after);
  const comparison: Record<string, MetricChange> = {};
  const alerts: Alert[] = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const was = a.get(name);
    const now = b.get(name);
    const x = was?.value ?? null;
    const y = now?.value ?? null;
    const kind = (now ?? was)!.kind;
    const change = x !== null && y !== null ? round(y - x) : null;
    const pct = change !== null && x !== null && x !== 0 ? round((change / x) * 100, 1) : null;
    const why = whyMissing(name, was, now);
    const slowdown =
      was?.samples && now?.samples
        ? decideSlowdown(was.samples, now.samples, thresholdPct, MIN_SLOWDOWN_MS)
        : undefined;
    const degraded = slowdown?.verdict === 'slower';
    comparison[name] = {
      before: x,
      after: y,
      change,
      change_pct: pct,
      degraded,
      ...(slowdown ? { slowdown } : {}),
      ...(why ? { why } : {}),
    };
    const unit = kind === 'query_time' ? ' ms' : '';
    const growth = `${pct === null ? '' : `by ${pct}% `}(${x}${unit} -> ${y}${unit})`;
    if (slowdown && degraded) {
      const [low, high] = slowdown.ci_ms;
      alerts.push({
        metric: name,
        before: x!,
        after: y!,
        change_pct: pct,
        message:
          `${name} slowed ${growth}, beyond the ${thresholdPct}% threshold: median ${ms(change!)}, 95% interval ` +
          `${ms(low)} to ${ms(high)}; Mann-Whitney U one-sided p = ${slowdown.p_value} < ${slowdown.alpha} ` +
          `on ${slowdown.samples[0]} and ${slowdown.samples[1]} timings`,
      });
    } else if (slowdown?.verdict === 'inconclusive') {
      const [low, high] = slowdown.ci_ms;
      notes.push(
        `${name}: cannot tell whether it slowed beyond ${thresholdPct}% from ${slowdown.samples[0]} and ` +
          `${slowdown.samples[1]} timings (median ${ms(change ?? 0)}, 95% interval ${ms(low)} to ${ms(high)}, ` +
          `p = ${slowdown.p_value}); raise repeat to time it more often`,
      );
    } else if (
      change !== null &&
      change > 0 &&
      (pct === null || pct > thresholdPct) &&
      (kind === 'size' || kind === 'rows')
    )
      notes.push(`${name} grew ${growth}`);
  }
  return { comparison, alerts };
}

export const monitoringExecutor: Executor<MonitoringParams> = {
  async run(ctx) {
    const p = ctx.params;
    const notes: string[] = [];
    const before = p.compare_with !== undefined ? baseline(ctx, p.compare_with) : null;
    const metrics = await capture(ctx, before, notes);
    if (!before) return { metrics, alerts: [], notes };
    const { comparison, alerts } = compare(before, metrics, p.threshold_pct, notes);
    const acting = p.alert_on_degradation || p.fail_on_degradation;
    const raised = acting ? alerts : [];
    if (raised.length > 0 && p.fail_on_degradation) {
      const failure = new NodeFailure(
        `performance degraded beyond ${p.threshold_pct}% since "${p.compare_with}": ${raised.map((r) => r.message).join('; ')}`,
        'fail_on_degradation',
      );
      failure.outputs = { metrics, comparison, alerts: raised, notes };
      throw failure;
    }
    for (const alert of raised) ctx.warn(alert.message);
    return { metrics, comparison, alerts: raised, notes };
  },
};
