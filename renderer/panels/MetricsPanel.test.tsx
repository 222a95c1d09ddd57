// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { MonitoringOutput } from '../../shared/metrics.ts';
import { MetricsPanel } from './MetricsPanel.tsx';
import { formatBytes, formatNumber } from './format.ts';
import { loadRealRuns } from '../../test/load-real-runs.ts';
import type { RealRun } from '../../test/real-runs.ts';

afterEach(cleanup);

const SLOW = 'SELECT * FROM orders WHERE user_id = 7';
const handOutput: MonitoringOutput = {
  metrics: {
    captured_at: '2025-06-01T10:00:00.000Z',
    dialect: 'postgres',
    tables: { orders: { row_count: 1000 } },
    queries: [],
    unavailable: {},
  },
  comparison: {
    'orders.row_count': { before: 1000, after: 1000, change: 0, change_pct: 0, degraded: false },
    'orders.total_bytes': { before: 204_800, after: 307_200, change: 102_400, change_pct: 50, degraded: false },
    [`query(${SLOW}).median_ms`]: { before: 1.5, after: 6, change: 4.5, change_pct: 300, degraded: true },
    [`query(${SLOW}).p95_ms`]: { before: 2, after: 2.5, change: 0.5, change_pct: 25, degraded: false },
  },
  alerts: [
    {
      metric: `query(${SLOW}).median_ms`,
      before: 1.5,
      after: 6,
      change_pct: 300,
      message: `query(${SLOW}).median_ms slowed by 300% (1.5 ms -> 6 ms), beyond the 20% threshold`,
    },
  ],
  notes: ['orders.total_bytes grew by 50% (204800 -> 307200)'],
};

function row(key: string) {
  const g = screen.getAllByTestId('metrics-row').find((el) => el.getAttribute('data-key') === key)!;
  const width = (id: string) =>
    Number(
      within(g as unknown as HTMLElement)
        .getByTestId(id)
        .getAttribute('width'),
    );
  return { el: g, before: width('metrics-bar-before'), after: width('metrics-bar-after'), text: g.textContent };
}

describe('MetricsPanel', () => {
  let monitoring: RealRun;
  beforeAll(async () => {
    ({ monitoring } = await loadRealRuns('monitoring'));
  });

  it('charts the real before/after comparison per table and per query, and shows the first capture as values', () => {
    render(<MetricsPanel metrics={monitoring.result.metrics} />);
    const post = screen.getByTestId('metrics-node-post_migration_metrics');
    const charts = within(post).getAllByTestId('metrics-chart');
    expect(charts.map((c) => [c.getAttribute('data-kind'), c.getAttribute('data-title')])).toEqual([
      ['table', 'orders'],
      ['query', "SELECT count(*) FROM orders WHERE created_at >= '2025-06-01'"],
      ['query', 'SELECT user_id, sum(subtotal) FROM orders GROUP BY user_id ORDER BY 2 DESC LIMIT 10'],
    ]);
    const output = monitoring.result.metrics.post_migration_metrics as MonitoringOutput;
    const total = output.comparison!['orders.total_bytes']!;
    const bars = row('orders.total_bytes');
    expect(bars.after).toBe(300);
    expect(bars.before).toBeCloseTo((300 * total.before!) / total.after!, 6);
    expect(bars.text).toContain(`total_bytes +${total.change_pct}%`);
    const index = row('orders.orders_created_at_idx.size_bytes');
    expect([index.before, index.after]).toEqual([0, 300]);
    expect(index.text).toContain('before n/a (not measured before: it did not exist then (the change created it))');

    const pre = screen.getByTestId('metrics-node-pre_migration_metrics');
    expect(within(pre).queryByTestId('metrics-chart')).toBeNull();
    const snapshot = within(pre).getByTestId('metrics-snapshot').textContent!;
    expect(snapshot).toContain('orders');
    const measured = (monitoring.result.metrics.pre_migration_metrics as MonitoringOutput).metrics.tables.orders!
      .table_size!;
    expect(snapshot).toContain(`orders${formatNumber(measured.rows)}${formatBytes(measured.total_bytes!)}`);
    expect(snapshot).toContain('SELECT user_id, sum(subtotal)');
  });

  it('highlights alerts, prints deltas in % and lists the notes', () => {
    render(<MetricsPanel metrics={{ after: handOutput }} />);
    expect(screen.getByTestId('metrics-alerts').textContent).toContain('slowed by 300%');
    const slow = row(`query(${SLOW}).median_ms`);
    expect(slow.el.getAttribute('class')).toBe('df-row-alert');
    expect([slow.before, slow.after]).toEqual([75, 300]);
    expect(slow.text).toBe('median_ms +300%before 1.5 msafter 6 ms');
    expect(
      within(slow.el as unknown as HTMLElement)
        .getByTestId('metrics-bar-after')
        .getAttribute('class'),
    ).toBe('df-bar-after df-bar-alert');
    const p95 = row(`query(${SLOW}).p95_ms`);
    expect(p95.el.getAttribute('class')).toBeNull();
    expect([p95.before, p95.after]).toEqual([240, 300]);
    expect(row('orders.total_bytes').text).toBe('total_bytes +50%before 200 KiBafter 300 KiB');
    expect(row('orders.row_count').text).toBe('row_count 0%before 1,000after 1,000');
    expect(screen.getByTestId('metrics-notes').textContent).toBe('orders.total_bytes grew by 50% (204800 -> 307200)');
  });

  it('says how to get metrics when there are none, and flags an output it does not know', () => {
    const { rerender } = render(<MetricsPanel metrics={{}} />);
    expect(screen.getByTestId('metrics-panel').textContent).toContain('No metrics');
    rerender(<MetricsPanel metrics={{ odd: { value: 1 } }} />);
    expect(screen.getByTestId('metrics-panel').textContent).toContain('odd: not a MonitoringNode output');
  });
});
