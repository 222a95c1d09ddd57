import { beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringOutput } from '../../shared/metrics.ts';
import { comparisonGroups, formatMetric, isMonitoringOutput, parseMetricKey } from './metrics-model.ts';
import { SCENARIOS, type RealRun } from '../../test/real-runs.ts';

const Q1 = "SELECT count(*) FROM orders WHERE created_at >= '2025-06-01'";
const Q2 = 'SELECT user_id, sum(subtotal) FROM orders GROUP BY user_id ORDER BY 2 DESC LIMIT 10';

describe('comparisonGroups on the real "Monitor Migration Impact" example', () => {
  let run: RealRun;
  beforeAll(async () => {
    run = await SCENARIOS.monitoring();
  });

  it('groups the comparison by table and by query, with before and after bars scaled to the larger value', () => {
    expect(run.result.status).toBe('succeeded');
    const output = run.result.metrics.post_migration_metrics;
    expect(isMonitoringOutput(output)).toBe(true);
    const groups = comparisonGroups(output as MonitoringOutput);
    expect(groups.map((g) => [g.kind, g.title])).toEqual([
      ['table', 'orders'],
      ['query', Q1],
      ['query', Q2],
    ]);
    // table_size reports the rows with the bytes.
    expect(groups[0]!.bars.map((b) => [b.metric, b.unit])).toEqual([
      ['row_count', 'rows'],
      ['total_bytes', 'bytes'],
      ['table_bytes', 'bytes'],
      ['index_bytes', 'bytes'],
      ['orders_created_at_idx.size_bytes', 'bytes'],
      ['orders_created_at_idx.scans', 'scans'],
    ]);
    expect(groups[1]!.bars.map((b) => [b.metric, b.unit])).toEqual([
      ['median_ms', 'ms'],
      ['p95_ms', 'ms'],
    ]);
    const total = groups[0]!.bars[1]!;
    expect(total.after).toBeGreaterThan(total.before!);
    expect(total.afterFraction).toBe(1);
    expect(total.beforeFraction).toBeCloseTo(total.before! / total.after!, 10);
    const newIndex = groups[0]!.bars[4]!;
    expect([newIndex.before, newIndex.beforeFraction, newIndex.afterFraction]).toEqual([null, 0, 1]);
    for (const bar of groups.flatMap((g) => g.bars)) {
      if (bar.before || bar.after) expect(Math.max(bar.beforeFraction, bar.afterFraction)).toBe(1);
    }
    expect(isMonitoringOutput(run.result.metrics.pre_migration_metrics)).toBe(true);
    expect((run.result.metrics.pre_migration_metrics as MonitoringOutput).comparison).toBeUndefined();
  });
});

describe('metrics model', () => {
  it('marks alerted metrics and keeps a query whose SQL holds ").median_ms" whole', () => {
    const sql = "SELECT '(x).median_ms' FROM t";
    const output: MonitoringOutput = {
      metrics: { captured_at: '2025-06-01T10:00:00Z', dialect: 'sqlite', tables: {}, queries: [], unavailable: {} },
      comparison: {
        [`query(${sql}).median_ms`]: { before: 2, after: 6, change: 4, change_pct: 200, degraded: true },
        'users.row_count': { before: 0, after: 0, change: 0, change_pct: null, degraded: false },
      },
      alerts: [{ metric: `query(${sql}).median_ms`, before: 2, after: 6, change_pct: 200, message: 'slowed' }],
      notes: [],
    };
    const [table, query] = comparisonGroups(output);
    expect(table).toMatchObject({
      kind: 'table',
      title: 'users',
      bars: [{ metric: 'row_count', unit: 'rows', beforeFraction: 0, afterFraction: 0, alert: false }],
    });
    expect(query).toMatchObject({
      kind: 'query',
      title: sql,
      bars: [{ metric: 'median_ms', alert: true, degraded: true }],
    });
    expect(query!.bars[0]!.beforeFraction).toBeCloseTo(1 / 3, 10);
    expect(parseMetricKey('orders.orders_user_id.scans')).toEqual({
      kind: 'table',
      title: 'orders',
      metric: 'orders_user_id.scans',
    });
  });

  it('recognises only MonitoringNode outputs, and formats values in their unit', () => {
    expect([isMonitoringOutput(null), isMonitoringOutput({ metrics: {} }), isMonitoringOutput('x')]).toEqual([
      false,
      false,
      false,
    ]);
    expect([
      formatMetric(204_800, 'bytes'),
      formatMetric(0.341, 'ms'),
      formatMetric(3000, 'rows'),
      formatMetric(null, 'scans'),
    ]).toEqual(['200 KiB', '0.341 ms', '3,000', 'n/a']);
  });
});
