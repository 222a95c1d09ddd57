import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import { createOrders } from '../../../test/backfill-fixtures.ts';
import { workflowSchema, type Workflow } from '../../../shared/workflow.ts';
import { runWorkflow } from '../run.ts';
import { COMPARE_RUNS } from './monitoring.ts';
import type { MetricChange, MetricsSnapshot } from '../../../shared/metrics.ts';

/** Ten lookups by user_id: index probes with the index, ten full scans without it. */
const BY_USER =
  'SELECT o.id, (SELECT count(*) FROM orders p WHERE p.user_id = o.user_id) AS same_user FROM orders o WHERE o.id <= 10';
const BY_ID = 'SELECT * FROM orders WHERE id = 42';
const ALL = ['query_performance', 'table_size', 'index_usage', 'row_count'];

/** The guide's "Monitor Migration Impact": metrics, a migration (dropping an index), metrics compared. */
function impactFlow(extra: Record<string, unknown>[] = []): Workflow {
  const nodes = [
    {
      id: 'pre_migration_metrics',
      type: 'MonitoringNode',
      params: { capture_metrics: ALL, queries: [BY_USER, BY_ID], repeat: 5 },
    },
    {
      id: 'perform_migration',
      type: 'SchemaModificationNode',
      params: { table: 'orders', operation: 'drop_index', index_name: 'orders_user_id' },
    },
    {
      id: 'post_migration_metrics',
      type: 'MonitoringNode',
      params: {
        capture_metrics: ALL,
        queries: [BY_USER, BY_ID],
        repeat: 5,
        compare_with: 'pre_migration_metrics',
        alert_on_degradation: true,
      },
    },
    ...extra,
  ];
  const connections = nodes
    .slice(1)
    .map((n, i) => ({ source: nodes[i]!.id, sourceOutput: 'result', target: n.id, targetInput: 'input' }));
  return workflowSchema.parse({ format: 'dataflow-workflow', version: 1, name: 'impact', nodes, connections });
}

async function ordersWithIndex(db: TestDatabase, rows = 100_000): Promise<void> {
  await createOrders(db, rows);
  await db.setup('CREATE INDEX orders_user_id ON orders (user_id)');
  if (db.dialect.name === 'postgres') await db.setup('ANALYZE orders');
}

for (const dialect of DIALECTS) {
  describe(`MonitoringNode on ${dialect}`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    afterEach(async () => {
      await db?.cleanup();
    });

    it('captures a snapshot, compares after an index is dropped and alerts on the slower query only', async () => {
      db = await createTestDatabase(dialect);
      await ordersWithIndex(db);
      const strict = {
        id: 'strict_metrics',
        type: 'MonitoringNode',
        params: {
          capture_metrics: ['query_performance'],
          queries: [BY_USER],
          compare_with: 'pre_migration_metrics',
          fail_on_degradation: true,
        },
      };
      const result = await runWorkflow(impactFlow([strict]), db, { mode: 'apply' });

      const pre = result.nodes.pre_migration_metrics!.outputs.metrics as MetricsSnapshot;
      const orders = pre.tables.orders!;
      expect(Object.keys(pre.tables)).toEqual(['orders']);
      expect(orders.row_count).toBe(100_000);
      expect(orders.table_size!.total_bytes).toBeGreaterThan(orders.table_size!.table_bytes!);
      expect(orders.table_size!.index_bytes).toBeGreaterThan(0);
      const index = orders.index_usage!.find((i) => i.index === 'orders_user_id')!;
      expect(index.size_bytes).toBeGreaterThan(0);
      expect(index.scans === null).toBe(dialect === 'sqlite');
      // Compared later, so each query is timed at least `repeat` (5) and up to COMPARE_RUNS times within the budget.
      expect(pre.queries.map((q) => q.sql)).toEqual([BY_USER, BY_ID]);
      for (const q of pre.queries) {
        expect(q.runs).toBeGreaterThanOrEqual(5);
        expect(q.runs).toBeLessThanOrEqual(COMPARE_RUNS);
        expect(q.samples_ms).toHaveLength(q.runs);
      }
      expect(pre.queries[1]!.runs).toBe(COMPARE_RUNS); // a primary-key lookup takes far less than the budget
      expect(pre.queries[0]!.p95_ms).toBeGreaterThanOrEqual(pre.queries[0]!.median_ms);
      expect(JSON.stringify(pre.queries[0]!.plan)).toMatch(/orders_user_id/);

      const post = result.nodes.post_migration_metrics!;
      expect(post.status).toBe('succeeded');
      const comparison = post.outputs.comparison as Record<string, MetricChange>;
      const slower = comparison[`query(${BY_USER}).median_ms`]!;
      expect(slower.degraded).toBe(true);
      expect(slower.change).toBeCloseTo(slower.after! - slower.before!, 2);
      expect(slower.slowdown).toMatchObject({ test: 'mann-whitney-u', verdict: 'slower', alpha: 0.01 });
      expect(slower.slowdown!.p_value).toBeLessThan(0.01);
      expect(slower.slowdown!.ci_ms[0]).toBeGreaterThan(0);
      // The primary-key lookup did not use the dropped index: jitter on a loaded machine is not an alert.
      const same = comparison[`query(${BY_ID}).median_ms`]!;
      expect(same.before).toBeGreaterThan(0);
      expect(same.degraded).toBe(false);
      expect(same.slowdown!.verdict).not.toBe('slower');
      // Every missing value says why.
      expect(comparison['orders.orders_user_id.size_bytes']!.why).toMatch(/no longer exists/);
      expect(comparison['orders.orders_user_id.scans']!.why).toMatch(/no longer exists/);
      if (dialect === 'sqlite')
        expect(pre.unavailable['orders.orders_user_id.scans']).toBe('SQLite keeps no index scan counters');
      for (const [key, c] of Object.entries(comparison))
        if (c.before === null || c.after === null || c.change_pct === null) expect(c.why, key).toBeTruthy();
      expect(comparison['orders.row_count']).toEqual({
        before: 100_000,
        after: 100_000,
        change: 0,
        change_pct: 0,
        degraded: false,
      });
      expect(comparison['orders.orders_user_id.size_bytes']).toMatchObject({
        before: index.size_bytes,
        after: null,
        change: null,
      });
      expect(comparison['orders.index_bytes']!.change).toBeLessThan(0);
      const alerts = post.outputs.alerts as { metric: string }[];
      expect(alerts.map((a) => a.metric)).toContain(`query(${BY_USER}).median_ms`);
      expect(alerts.every((a) => a.metric.startsWith('query('))).toBe(true);
      expect(post.warnings.some((w) => w.includes(BY_USER) && /beyond the 20% threshold/.test(w))).toBe(true);

      expect(result.nodes.strict_metrics!.status).toBe('failed');
      expect(result.nodes.strict_metrics!.error).toMatchObject({ field: 'fail_on_degradation' });
      expect(result.status).toBe('failed');
    });

    it('a change that does not touch the query (a new nullable column) raises no alert', async () => {
      db = await createTestDatabase(dialect);
      await ordersWithIndex(db, 20_000);
      const flow = impactFlow();
      flow.nodes[1]!.params = { table: 'orders', operation: 'add_column', column_name: 'note', column_type: 'text' };
      const result = await runWorkflow(flow, db, { mode: 'apply' });
      expect(result.status).toBe('succeeded');
      const post = result.nodes.post_migration_metrics!;
      expect(post.outputs.alerts).toEqual([]);
      expect(post.warnings).toEqual([]);
      const comparison = post.outputs.comparison as Record<string, MetricChange>;
      for (const sql of [BY_USER, BY_ID]) {
        const timed = comparison[`query(${sql}).median_ms`]!;
        expect(timed.degraded).toBe(false);
        expect(timed.slowdown!.verdict).not.toBe('slower');
        expect(timed.slowdown!.samples[0]).toBeGreaterThanOrEqual(5);
      }
    });

    it('plan mode reads sizes but times no query, and says so', async () => {
      db = await createTestDatabase(dialect);
      await ordersWithIndex(db, 1000);
      const plan = await runWorkflow(impactFlow(), db, { mode: 'plan' });
      expect(plan.error).toBeNull();
      const pre = plan.nodes.pre_migration_metrics!.outputs;
      expect((pre.metrics as MetricsSnapshot).queries).toEqual([]);
      expect((pre.metrics as MetricsSnapshot).tables.orders!.row_count).toBe(1000);
      expect(pre.notes).toContainEqual(expect.stringMatching(/query_performance: not captured in plan mode/));
      expect(plan.nodes.post_migration_metrics!.outputs.alerts).toEqual([]);
      expect(plan.nodes.pre_migration_metrics!.sql).toEqual([]);
    });

    it('rejects a query that writes, and a compare_with that has not run, before measuring', async () => {
      db = await createTestDatabase(dialect);
      await ordersWithIndex(db, 1000);
      const writes = workflowSchema.parse({
        format: 'dataflow-workflow',
        version: 1,
        name: 'bad',
        nodes: [
          {
            id: 'm',
            type: 'MonitoringNode',
            params: {
              capture_metrics: ['query_performance'],
              queries: ['WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM d'],
            },
          },
        ],
      });
      const r = await runWorkflow(writes, db, { mode: 'apply' });
      expect(r.nodes.m!.error).toMatchObject({ field: 'queries' });
      const { rows } = await db.driver.query<{ n: number | string }>('SELECT count(*) AS n FROM orders');
      expect(Number(rows[0]!.n)).toBe(1000);

      // A MonitoringNode that runs only after this one has nothing to compare with yet.
      const later = impactFlow();
      later.nodes[0]!.params.compare_with = 'post_migration_metrics';
      const w = await runWorkflow(later, db, { mode: 'apply' });
      expect(w.nodes.pre_migration_metrics!.error).toMatchObject({ field: 'compare_with' });
      expect(w.nodes.pre_migration_metrics!.error!.message).toMatch(
        /"post_migration_metrics" has no metrics to compare with \(it has not run yet\)/,
      );
    });
  });
}
