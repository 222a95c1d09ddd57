/** Turns a MonitoringNode comparison into chart rows: one group per table and per query, two bars per metric. */
import type { MetricChange, MonitoringOutput } from '../../shared/metrics.ts';
import { formatBytes, formatNumber } from './format.ts';

export type MetricUnit = 'bytes' | 'rows' | 'scans' | 'ms';

export interface MetricBar extends MetricChange {
  /** The comparison key (`orders.total_bytes`). */
  key: string;
  /** The metric within its group (`total_bytes`, `orders_user_id.scans`, `median_ms`). */
  metric: string;
  unit: MetricUnit;
  /** True when an alert was raised for this metric. */
  alert: boolean;
  /** Bar lengths as fractions of the larger value of the two (0 for null or when both are 0). */
  beforeFraction: number;
  afterFraction: number;
}

export interface MetricGroup {
  kind: 'table' | 'query';
  /** The table name or the query's SQL. */
  title: string;
  bars: MetricBar[];
}

/** True for a MonitoringNode's output (what RunResult.metrics holds per node). */
export function isMonitoringOutput(v: unknown): v is MonitoringOutput {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Partial<MonitoringOutput>;
  return (
    typeof o.metrics === 'object' &&
    o.metrics !== null &&
    typeof o.metrics.tables === 'object' &&
    Array.isArray(o.metrics.queries) &&
    Array.isArray(o.alerts) &&
    Array.isArray(o.notes)
  );
}

function unitOf(metric: string): MetricUnit {
  if (metric.endsWith('_ms')) return 'ms';
  if (metric.endsWith('_bytes')) return 'bytes';
  if (metric.endsWith('scans')) return 'scans';
  return 'rows';
}

/** Splits a comparison key into its group and metric (`query(<sql>).p95_ms`, `<table>.<metric>`). */
export function parseMetricKey(key: string): { kind: 'table' | 'query'; title: string; metric: string } {
  const query = /^query\(([\s\S]*)\)\.(median_ms|p95_ms)$/.exec(key);
  if (query) return { kind: 'query', title: query[1]!, metric: query[2]! };
  const dot = key.indexOf('.');
  return dot < 0
    ? { kind: 'table', title: key, metric: key }
    : { kind: 'table', title: key.slice(0, dot), metric: key.slice(dot + 1) };
}

/** The comparison as chart groups: tables first, then queries, each in the comparison's order. */
export function comparisonGroups(output: MonitoringOutput): MetricGroup[] {
  const groups = new Map<string, MetricGroup>();
  const alerted = new Set(output.alerts.map((a) => a.metric));
  for (const [key, change] of Object.entries(output.comparison ?? {})) {
    const { kind, title, metric } = parseMetricKey(key);
    const id = `${kind}:${title}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { kind, title, bars: [] }));
    const max = Math.max(Math.abs(change.before ?? 0), Math.abs(change.after ?? 0));
    const fraction = (v: number | null) => (v === null || max === 0 ? 0 : Math.abs(v) / max);
    group.bars.push({
      ...change,
      key,
      metric,
      unit: unitOf(metric),
      alert: alerted.has(key),
      beforeFraction: fraction(change.before),
      afterFraction: fraction(change.after),
    });
  }
  const all = [...groups.values()];
  return [...all.filter((g) => g.kind === 'table'), ...all.filter((g) => g.kind === 'query')];
}

/** A metric value in its unit: `200 KiB`, `0.341 ms`, `3,000`; `n/a` for null. */
export function formatMetric(value: number | null, unit: MetricUnit): string {
  if (value === null) return 'n/a';
  if (unit === 'bytes') return formatBytes(value);
  if (unit === 'ms') return `${formatNumber(value)} ms`;
  return formatNumber(value);
}
