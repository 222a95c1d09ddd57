/**
 * Test support for the panel tests: real RunResults and event streams, produced by the real engine
 * running the guide's examples on a fresh temporary SQLite database. Node only: the jsdom tests get
 * them through load-real-runs.ts (the engine cannot load under jsdom's browser transform).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../electron/db/connect.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { workflowSchema, type Workflow } from '../shared/workflow.ts';
import type { RunEvent, RunMode, RunResult } from '../shared/run.ts';
import type { Schema } from '../shared/schema.ts';

export interface RealRun {
  result: RunResult;
  events: RunEvent[];
  /** Node id -> type, as the editor's document knows it. */
  nodeTypes: Record<string, string>;
}

/** The demo database's `orders` before the guide's examples (no total_amount), with `rows` rows. */
const ordersSql = (rows: number) => `
  CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL, subtotal decimal(10,2) NOT NULL, tax decimal(10,2) NOT NULL, shipping decimal(10,2) NOT NULL, created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);
  WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${rows})
    INSERT INTO orders (id, user_id, subtotal, tax, shipping, created_at)
    SELECT i, i % 50, (i % 100) * 1.25, (i % 7) * 0.5, 4.99, datetime('2025-01-01', '+' || (i % 365) || ' days') FROM s;`;

function example(name: string): Workflow {
  return workflowSchema.parse(
    JSON.parse(readFileSync(new URL(`../assets/examples/${name}.dataflow.json`, import.meta.url), 'utf8')),
  );
}

/**
 * The workflow with its backfills in fixed batches (batch_target_ms 0): the panels are checked
 * batch by batch, and adaptive sizes (tested in adaptive-batches.test.ts) grow with the machine's speed.
 */
function fixedBatches(wf: Workflow): Workflow {
  return {
    ...wf,
    nodes: wf.nodes.map((n) =>
      n.type === 'DataBackfillNode' ? { ...n, params: { ...n.params, batch_target_ms: 0 } } : n,
    ),
  };
}

/** A workflow of `nodes` connected in a chain. */
function chain(name: string, nodes: { id: string; type: string; params: Record<string, unknown> }[]): Workflow {
  return workflowSchema.parse({
    format: 'dataflow-workflow',
    version: 1,
    name,
    nodes: nodes.map((n, i) => ({ ...n, position: { x: i * 320, y: 0 } })),
    connections: nodes
      .slice(1)
      .map((n, i) => ({ source: nodes[i]!.id, sourceOutput: 'result', target: n.id, targetInput: 'input' })),
  });
}

/** Calls `use` with a new SQLite database prepared by `setupSql`, then deletes the database. */
async function withDatabase<T>(setupSql: string, use: (db: Database) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-panels-'));
  const db = await openDatabase(`sqlite:${join(dir, 'test.db')}`);
  try {
    (db.driver as unknown as { db: { exec(sql: string): void } }).db.exec(setupSql);
    return await use(db);
  } finally {
    await db.driver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `workflow` in `mode` on a new SQLite database prepared by `setupSql` (and, with `applyFirst`, by an apply of the workflow). */
function realRun(workflow: Workflow, mode: RunMode, setupSql: string, applyFirst = false): Promise<RealRun> {
  return withDatabase(setupSql, async (db) => {
    if (applyFirst) await runWorkflow(workflow, db, { mode: 'apply' });
    const events: RunEvent[] = [];
    const result = await runWorkflow(workflow, db, { mode, onEvent: (e) => events.push(e) });
    return { result, events, nodeTypes: Object.fromEntries(workflow.nodes.map((n) => [n.id, n.type])) };
  });
}

/** The scenarios the panel tests use. */
export const SCENARIOS = {
  /** Plan of the zero-downtime migration's first phases plus an index on 2,500 orders. */
  plan: () =>
    realRun(
      chain('orders_total_amount', [
        {
          id: 'phase1_add',
          type: 'SchemaModificationNode',
          params: {
            table: 'orders',
            operation: 'add_column',
            column_name: 'total_amount',
            column_type: 'decimal(10,2)',
            nullable: true,
          },
        },
        {
          id: 'phase2_backfill',
          type: 'DataBackfillNode',
          params: {
            table: 'orders',
            update_field: 'total_amount',
            calculation: 'subtotal + tax + shipping',
            batch_size: 1000,
          },
        },
        {
          id: 'index_user',
          type: 'SchemaModificationNode',
          params: { table: 'orders', operation: 'create_index', index_name: 'orders_user_id', columns: ['user_id'] },
        },
      ]),
      'plan',
      ordersSql(2500),
    ),
  /** Plan of the guide's contacts example: NOT NULL UNIQUE without a default on a table with rows fails. */
  failedPlan: () =>
    realRun(
      chain('contacts_email', [
        {
          id: 'add_email',
          type: 'SchemaModificationNode',
          params: {
            table: 'contacts',
            operation: 'add_column',
            column_name: 'email',
            column_type: 'varchar(255)',
            nullable: false,
            unique: true,
          },
        },
        {
          id: 'check_email',
          type: 'ValidationNode',
          params: { table: 'contacts', column: 'email', check_column_exists: true },
        },
      ]),
      'plan',
      `CREATE TABLE contacts (id integer PRIMARY KEY, name text, company text); INSERT INTO contacts (name, company) VALUES ('Ada', 'ACME'), ('Bob', 'Initech');`,
    ),
  /** Apply of a TransactionScopeNode whose second member fails: the scope and its first member roll back. */
  rolledBackScope: () =>
    realRun(
      chain('scoped_orders', [
        { id: 'tx', type: 'TransactionScopeNode', params: {} },
        {
          id: 'add_note',
          type: 'SchemaModificationNode',
          params: {
            table: 'orders',
            operation: 'add_column',
            column_name: 'note',
            column_type: 'text',
            nullable: true,
          },
        },
        {
          id: 'rename_missing',
          type: 'SchemaModificationNode',
          params: { table: 'orders', operation: 'rename_column', column_name: 'no_such_column', new_name: 'note2' },
        },
      ]),
      'apply',
      ordersSql(10),
    ),
  /** An apply that stops in its third node (a column that is not there), after a column and its backfill of 3,000 orders. */
  partial: () =>
    realRun(
      chain('orders_total_amount', [
        {
          id: 'phase1_add',
          type: 'SchemaModificationNode',
          params: {
            table: 'orders',
            operation: 'add_column',
            column_name: 'total_amount',
            column_type: 'decimal(10,2)',
            nullable: true,
          },
        },
        {
          id: 'phase2_backfill',
          type: 'DataBackfillNode',
          params: {
            table: 'orders',
            update_field: 'total_amount',
            calculation: 'subtotal + tax + shipping',
            batch_size: 1000,
          },
        },
        {
          id: 'rename_missing',
          type: 'SchemaModificationNode',
          params: { table: 'orders', operation: 'rename_column', column_name: 'no_such_column', new_name: 'note2' },
        },
      ]),
      'apply',
      ordersSql(3000),
    ),
  /** The guide's zero-downtime example applied to 3,000 orders (a backfill of three batches). */
  apply: () => realRun(fixedBatches(example('zero-downtime')), 'apply', ordersSql(3000)),
  /** The guide's Basic Migration Tracking applied a second time: its nodes are already completed and already applied. */
  reapplied: () =>
    realRun(example('migration-tracking'), 'apply', 'CREATE TABLE users (id integer PRIMARY KEY, name text);', true),
  /** The guide's "Monitor Migration Impact" example applied to 3,000 orders. */
  monitoring: () => realRun(example('monitor-migration-impact'), 'apply', ordersSql(3000)),
  /** The introspected schema of users and orders with an index, a foreign key, a check and a view. */
  schema: (): Promise<Schema> =>
    withDatabase(
      `CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, email varchar(255) UNIQUE, status varchar(20) NOT NULL DEFAULT 'active', created_at timestamp DEFAULT CURRENT_TIMESTAMP);
       CREATE INDEX users_created_at ON users (created_at) WHERE created_at IS NOT NULL;
       ${ordersSql(10)}
       CREATE TABLE order_notes (id integer PRIMARY KEY, order_id integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE, body text CHECK (length(body) > 0));
       CREATE VIEW big_orders AS SELECT id FROM orders WHERE subtotal > 100;`,
      (db) => db.dialect.introspect(db.driver),
    ),
};

export type Scenario = keyof typeof SCENARIOS;
export type ScenarioResult<S extends Scenario> = Awaited<ReturnType<(typeof SCENARIOS)[S]>>;
