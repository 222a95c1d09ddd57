import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import { createOrders } from '../../../test/backfill-fixtures.ts';
import { workflowSchema, type Workflow } from '../../../shared/workflow.ts';
import type { MetricChange, MetricsSnapshot } from '../../../shared/metrics.ts';
import { runWorkflow } from '../run.ts';
import { COMPARE_RUNS } from './monitoring.ts';

/** The guide's "Monitor Migration Impact" as written: no tables, no queries; the change is an index on orders. */
function guideMonitorBlock(): Workflow {
  const metrics = ['query_performance', 'table_size', 'index_usage'];
  const nodes = [
    { id: 'pre_migration_metrics', type: 'MonitoringNode', params: { capture_metrics: metrics } },
    {
      id: 'perform_migration',
      type: 'SchemaModificationNode',
      params: {
        table: 'orders',
        operation: 'create_index',
        index_name: 'orders_created_at_idx',
        columns: ['created_at'],
      },
    },
    {
      id: 'post_migration_metrics',
      type: 'MonitoringNode',
      params: { capture_metrics: metrics, compare_with: 'pre_migration_metrics', alert_on_degradation: true },
    },
  ];
  const connections = nodes
    .slice(1)
    .map((n, i) => ({ source: nodes[i]!.id, sourceOutput: 'result', target: n.id, targetInput: 'input' }));
  return workflowSchema.parse({ format: 'dataflow-workflow', version: 1, name: 'monitor', nodes, connections });
}

const PK_LOOKUP = 'SELECT * FROM "orders" WHERE "id" = (SELECT min("id") FROM "orders")';
const COUNT = 'SELECT count(*) FROM "orders"';
const BIGGEST_SPENDERS = 'SELECT user_id, sum(subtotal) AS spent FROM orders GROUP BY user_id ORDER BY spent DESC';

for (const dialect of DIALECTS) {
  describe(`MonitoringNode default queries on ${dialect}`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    afterEach(async () => {
      await db?.cleanup();
    });

    it('without statement statistics times a primary-key lookup and a count per touched table, and says so', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 5000);
      const plan = await runWorkflow(guideMonitorBlock(), db, { mode: 'plan' });
      expect(plan.status, plan.error ?? '').toBe('succeeded');
      const planNotes = plan.nodes.pre_migration_metrics!.outputs.notes as string[];
      expect(planNotes.join('\n')).toContain(
        `a primary-key lookup and a count per measured table: ${PK_LOOKUP}; ${COUNT}`,
      );
      expect(planNotes).toContainEqual(expect.stringMatching(/not captured in plan mode/));

      const r = await runWorkflow(guideMonitorBlock(), db, { mode: 'apply' });
      expect(r.status, r.error ?? '').toBe('succeeded');
      const pre = r.nodes.pre_migration_metrics!.outputs;
      const snapshot = pre.metrics as MetricsSnapshot;
      // Compared later: timed COMPARE_RUNS times, well within the budget for these lookups.
      expect(snapshot.queries.map((q) => [q.sql, q.chosen_by, q.runs])).toEqual([
        [PK_LOOKUP, 'primary_key_lookup', COMPARE_RUNS],
        [COUNT, 'row_count', COMPARE_RUNS],
      ]);
      const why =
        dialect === 'sqlite'
          ? 'SQLite keeps no statistics of the statements it ran'
          : 'the pg_stat_statements extension is not installed in this database';
      expect(pre.notes).toContainEqual(
        `query_performance: no queries given and ${why}, so a primary-key lookup and a count per measured table: ${PK_LOOKUP}; ${COUNT}`,
      );
      // table_size reports the rows with the bytes, as the node contract says.
      expect(snapshot.tables.orders!.table_size).toMatchObject({ rows: 5000 });
      expect(snapshot.tables.orders!.table_size!.total_bytes).toBeGreaterThan(0);

      const post = r.nodes.post_migration_metrics!.outputs;
      expect((post.metrics as MetricsSnapshot).queries.map((q) => [q.sql, q.chosen_by])).toEqual([
        [PK_LOOKUP, 'primary_key_lookup'],
        [COUNT, 'row_count'],
      ]);
      expect(post.notes).toContainEqual(
        `query_performance: no queries given, so the queries "pre_migration_metrics" timed: ${PK_LOOKUP}; ${COUNT}`,
      );
      const comparison = post.comparison as Record<string, MetricChange>;
      expect(comparison[`query(${COUNT}).median_ms`]!.before).toBeGreaterThan(0);
      expect(comparison[`query(${COUNT}).median_ms`]!.after).toBeGreaterThan(0);
      expect(comparison['orders.row_count']).toMatchObject({ before: 5000, after: 5000, change: 0 });
    });

    it('a table without a primary key gets its count timed only', async () => {
      db = await createTestDatabase(dialect);
      await db.setup("CREATE TABLE events (kind text, at integer); INSERT INTO events VALUES ('a', 1), ('b', 2);");
      const wf = workflowSchema.parse({
        format: 'dataflow-workflow',
        version: 1,
        name: 'events',
        nodes: [
          {
            id: 'm',
            type: 'MonitoringNode',
            params: { capture_metrics: ['query_performance', 'table_size'], tables: ['events'] },
          },
        ],
      });
      const r = await runWorkflow(wf, db, { mode: 'apply' });
      const snapshot = r.nodes.m!.outputs.metrics as MetricsSnapshot;
      expect(snapshot.queries.map((q) => [q.sql, q.chosen_by])).toEqual([
        ['SELECT count(*) FROM "events"', 'row_count'],
      ]);
      expect(snapshot.tables.events!.table_size!.rows).toBe(2);
    });
  });
}

describe('MonitoringNode default queries with pg_stat_statements', () => {
  let db: TestDatabase & { cleanup(): Promise<void> };
  afterEach(async () => {
    await db?.cleanup();
  });

  it('times the most expensive statements that run as they are, and names them', async () => {
    db = await createTestDatabase('postgres');
    await createOrders(db, 20_000);
    await db.setup('CREATE EXTENSION pg_stat_statements');
    for (let i = 0; i < 20; i++) await db.driver.query(BIGGEST_SPENDERS);
    // Stored as "... WHERE id = $1": it cannot run as it is, so it is not a default.
    for (let i = 0; i < 50; i++) await db.driver.query(`SELECT * FROM orders WHERE id = ${i + 1}`);

    const r = await runWorkflow(guideMonitorBlock(), db, { mode: 'apply' });
    expect(r.status, r.error ?? '').toBe('succeeded');
    const pre = r.nodes.pre_migration_metrics!.outputs;
    const timed = (pre.metrics as MetricsSnapshot).queries;
    expect(timed[0]).toMatchObject({ sql: BIGGEST_SPENDERS, chosen_by: 'expensive_statement' });
    expect(timed[0]!.runs).toBeGreaterThanOrEqual(5);
    expect(timed.every((q) => q.chosen_by === 'expensive_statement' && !q.sql.includes('$'))).toBe(true);
    expect(timed.length).toBeLessThanOrEqual(5);
    expect(pre.notes).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^query_performance: no queries given, so the ${timed.length} most expensive statement\\(s\\) pg_stat_statements tracked that run as they are: ${BIGGEST_SPENDERS.replace(/[()*]/g, '\\$&')}`,
        ),
      ),
    );
    const post = r.nodes.post_migration_metrics!.outputs;
    expect((post.metrics as MetricsSnapshot).queries.map((q) => q.sql)).toEqual(timed.map((q) => q.sql));
  });
});
