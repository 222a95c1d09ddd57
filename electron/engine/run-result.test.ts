/**
 * What the run result (the CLI's `--json`, the app's result panel) carries for data-moving
 * workflows (issue 3, item 4): `metrics` (each MonitoringNode's snapshot and comparison, keyed by
 * node id), `progress` (the last progress of each backfill and copy node) and the schema diff.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import { createOrders } from '../../test/backfill-fixtures.ts';
import { CHECKPOINT_TABLE } from '../db/backfill-checkpoint.ts';
import { workflowSchema, type Workflow } from '../../shared/workflow.ts';
import type { RunEvent, RunResult } from '../../shared/run.ts';
import { runWorkflow } from './run.ts';
import { COMPARE_RUNS } from './executors/monitoring.ts';

const ARCHIVE_SUM = 'SELECT sum(total) AS s FROM orders_archive';

/** A chain of nodes, each connected result -> input to the one before it. */
function chain(name: string, nodes: { id: string; type: string; params: Record<string, unknown> }[]): Workflow {
  const connections = nodes
    .slice(1)
    .map((n, i) => ({ source: nodes[i]!.id, sourceOutput: 'result', target: n.id, targetInput: 'input' }));
  return workflowSchema.parse({ format: 'dataflow-workflow', version: 1, name, nodes, connections });
}

const pre = {
  id: 'pre',
  type: 'MonitoringNode',
  params: {
    capture_metrics: ['row_count', 'query_performance'],
    tables: ['orders', 'orders_archive'],
    queries: [ARCHIVE_SUM],
    repeat: 3,
  },
};
const backfill = {
  id: 'backfill',
  type: 'DataBackfillNode',
  params: { table: 'orders', update_field: 'total_amount', calculation: 'subtotal + tax + shipping', batch_size: 1000 },
};
const archive = {
  id: 'archive',
  type: 'DataMigrationNode',
  params: {
    source_table: 'orders',
    target_table: 'orders_archive',
    field_mapping: { id: 'id', total_amount: 'total' },
    batch_size: 1000,
  },
};
const post = (params: Record<string, unknown> = {}) => ({
  id: 'post',
  type: 'MonitoringNode',
  params: {
    capture_metrics: ['row_count', 'query_performance'],
    tables: ['orders', 'orders_archive'],
    queries: [ARCHIVE_SUM],
    repeat: 3,
    compare_with: 'pre',
    alert_on_degradation: true,
    ...params,
  },
});

/** Add a column, backfill it, copy the rows into an archive table, with metrics before and after. */
const dataFlow = () =>
  chain('run_result_data', [
    pre,
    {
      id: 'add_note',
      type: 'SchemaModificationNode',
      params: { table: 'orders', operation: 'add_column', column_name: 'note', column_type: 'text' },
    },
    backfill,
    archive,
    post(),
  ]);

async function setupTables(db: TestDatabase, rows: number): Promise<void> {
  await createOrders(db, rows);
  await db.setup('CREATE TABLE orders_archive (id integer PRIMARY KEY, total numeric(10,2))');
}

async function count(db: TestDatabase, sql: string): Promise<number> {
  const { rows } = await db.driver.query<{ n: number | string }>(sql);
  return Number(rows[0]!.n);
}

function expectDataMovingResult(r: RunResult, rows: number): void {
  expect(r.error).toBeNull();
  expect(Object.keys(r.metrics)).toEqual(['pre', 'post']);
  expect(r.metrics.pre).toMatchObject({
    metrics: {
      tables: { orders: { row_count: rows }, orders_archive: { row_count: 0 } },
      queries: [{ sql: ARCHIVE_SUM, runs: COMPARE_RUNS }],
    },
  });
  expect(r.metrics.post).toMatchObject({
    metrics: { tables: { orders_archive: { row_count: rows } } },
    comparison: { 'orders_archive.row_count': { before: 0, after: rows, change: rows } },
    alerts: expect.any(Array),
  });
  expect((r.metrics.post as { comparison: Record<string, unknown> }).comparison).toHaveProperty([
    `query(${ARCHIVE_SUM}).median_ms`,
  ]);
  expect(Object.keys(r.progress).sort()).toEqual(['archive', 'backfill']);
  expect(r.progress.backfill).toMatchObject({ done: rows, total: rows, etaSeconds: 0 });
  expect(r.progress.archive).toMatchObject({ done: rows, total: rows, etaSeconds: 0 });
  const changes = r.diff!.changes.map(
    (c) => `${c.kind}:${'table' in c ? c.table : ''}.${'column' in c ? c.column : ''}`,
  );
  expect(changes).toEqual(['column_added:orders.note']);
  expect(r.diff!.tables.map((t) => t.table)).toEqual(['orders']);
  // The CLI prints the result as JSON: metrics and progress survive it unchanged.
  const printed = JSON.parse(JSON.stringify(r)) as RunResult;
  expect(printed.metrics).toEqual(r.metrics);
  expect(printed.progress).toEqual(r.progress);
}

for (const dialect of DIALECTS) {
  describe(`run result of a data-moving workflow on ${dialect}`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    afterEach(async () => {
      await db?.cleanup();
    });

    it('apply: metrics keyed by MonitoringNode id, last progress of the backfill and the copy, and the diff', async () => {
      db = await createTestDatabase(dialect);
      await setupTables(db, 2500);
      let finished: RunResult | null = null;
      const r = await runWorkflow(dataFlow(), db, {
        mode: 'apply',
        onEvent: (e: RunEvent) => {
          if (e.type === 'run_finished') finished = e.result;
        },
      });
      expectDataMovingResult(r, 2500);
      expect(finished).toBe(r);
      expect(await count(db, 'SELECT count(*) AS n FROM orders_archive WHERE total = 0 OR total IS NULL')).toBe(0);
      expect(await count(db, 'SELECT count(*) AS n FROM orders_archive')).toBe(2500);
    });

    it('rehearse: the same metrics, progress and diff as if applied, and nothing kept', async () => {
      db = await createTestDatabase(dialect);
      await setupTables(db, 1200);
      const r = await runWorkflow(dataFlow(), db, { mode: 'rehearse' });
      expectDataMovingResult(r, 1200);
      expect(await count(db, 'SELECT count(*) AS n FROM orders_archive')).toBe(0);
      expect(await count(db, 'SELECT count(*) AS n FROM orders WHERE total_amount IS NOT NULL')).toBe(0);
    });

    it("a workflow that only moves data gets a diff (empty: the checkpoint table is the product's own), not null", async () => {
      db = await createTestDatabase(dialect);
      await setupTables(db, 300);
      const r = await runWorkflow(chain('backfill_only', [backfill]), db, { mode: 'apply' });
      expect(r.error).toBeNull();
      expect(r.diff).toEqual({ changes: [], tables: [] });
      expect(r.metrics).toEqual({});
      expect(r.progress.backfill).toMatchObject({ done: 300, total: 300 });
      expect(await count(db, `SELECT count(*) AS n FROM ${CHECKPOINT_TABLE}`)).toBe(1);
    });

    it('a MonitoringNode that fails on degradation still reports its snapshot and comparison', async () => {
      db = await createTestDatabase(dialect);
      // Counting 40,000 distinct strings built from the archived rows takes over 10 ms; the empty
      // archive before, microseconds. (A sum of the archive's totals, all NULL here, takes about
      // the 1 ms a slowdown must reach, so it did not always count as one.)
      await setupTables(db, 40_000);
      const distinct = "SELECT count(DISTINCT CAST(id AS text) || 'x') AS n FROM orders_archive";
      const before = { ...pre, params: { ...pre.params, queries: [distinct] } };
      const r = await runWorkflow(
        chain('degraded', [before, archive, post({ fail_on_degradation: true, queries: [distinct] })]),
        db,
        { mode: 'apply' },
      );
      expect(r.nodes.post!.status, JSON.stringify(r.metrics.post)).toBe('failed');
      expect(r.nodes.post!.error).toMatchObject({ field: 'fail_on_degradation' });
      expect(r.metrics.post).toMatchObject({
        metrics: { tables: { orders_archive: { row_count: 40_000 } } },
        comparison: { [`query(${distinct}).median_ms`]: { degraded: true } },
        alerts: expect.arrayContaining([expect.objectContaining({ metric: `query(${distinct}).median_ms` })]),
      });
    });
  });
}
