/**
 * Tables and workflows for the data-node tests (copy, backfill, monitoring) and for
 * test/backfill-child.ts and test/copy-child.ts: an `orders` table of generated rows, an AFTER
 * UPDATE trigger that counts, per order, how many times `total_amount` was written
 * (`update_counts`), and a copy of orders into `orders_copy`, a table without a key, so a row
 * copied twice is there twice.
 */
import { CHECKPOINT_TABLE } from '../electron/db/backfill-checkpoint.ts';
import type { Database } from '../electron/db/connect.ts';
import type { DialectName } from '../shared/schema.ts';
import { workflowSchema, type Workflow } from '../shared/workflow.ts';

interface Setup {
  setup(sql: string): Promise<void>;
}

/** `orders (id, user_id, subtotal, tax, shipping, created_at, total_amount)` with `rows` rows, ids 1..rows. */
export async function createOrders(db: Setup & { dialect: { name: DialectName } }, rows: number): Promise<void> {
  if (db.dialect.name === 'postgres') {
    await db.setup(`
      CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL, subtotal numeric(10,2) NOT NULL,
        tax numeric(10,2) NOT NULL, shipping numeric(10,2) NOT NULL, created_at timestamp NOT NULL DEFAULT now(),
        total_amount numeric(10,2));
      INSERT INTO orders (id, user_id, subtotal, tax, shipping)
        SELECT i, i % 500, (i % 1000) * 1.25, (i % 7) * 0.5, 4.99 FROM generate_series(1, ${rows}) AS i;
      ANALYZE orders;`);
    return;
  }
  await db.setup(`
    CREATE TABLE orders (id integer PRIMARY KEY, user_id integer NOT NULL, subtotal decimal(10,2) NOT NULL,
      tax decimal(10,2) NOT NULL, shipping decimal(10,2) NOT NULL, created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
      total_amount decimal(10,2));
    WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${rows})
      INSERT INTO orders (id, user_id, subtotal, tax, shipping)
      SELECT i, i % 500, (i % 1000) * 1.25, (i % 7) * 0.5, 4.99 FROM s;`);
}

/**
 * `update_counts (order_id, n)`: an AFTER UPDATE trigger adds 1 per updated row per UPDATE
 * (PostgreSQL: one statement-level trigger over the transition table, so 200,000 rows stay fast;
 * SQLite: a row trigger).
 */
export async function countTotalUpdates(db: Setup & { dialect: { name: DialectName } }): Promise<void> {
  if (db.dialect.name === 'postgres') {
    await db.setup(`
      CREATE TABLE update_counts (order_id integer PRIMARY KEY, n integer NOT NULL);
      CREATE FUNCTION count_total_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO update_counts (order_id, n) SELECT id, 1 FROM new_rows
          ON CONFLICT (order_id) DO UPDATE SET n = update_counts.n + 1;
        RETURN NULL;
      END $$;
      CREATE TRIGGER orders_total_updates AFTER UPDATE ON orders REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION count_total_update();`);
    return;
  }
  await db.setup(`
    CREATE TABLE update_counts (order_id integer PRIMARY KEY, n integer NOT NULL);
    CREATE TRIGGER orders_total_updates AFTER UPDATE OF total_amount ON orders FOR EACH ROW BEGIN
      INSERT INTO update_counts (order_id, n) VALUES (NEW.id, 1)
        ON CONFLICT (order_id) DO UPDATE SET n = n + 1;
    END;`);
}

/** Rows whose total is missing or not subtotal + tax + shipping (rounded to the column's 2 decimals), and the update counts. */
export async function backfillState(
  db: Database,
): Promise<{ wrong: number; counted: number; minUpdates: number | null; maxUpdates: number | null }> {
  const wrong = await db.driver.query<{ n: number | string }>(
    'SELECT count(*) AS n FROM orders WHERE total_amount IS NULL OR total_amount <> round(subtotal + tax + shipping, 2)',
  );
  const counts = await db.driver.query<{ n: number | string; lo: number | null; hi: number | null }>(
    'SELECT count(*) AS n, min(n) AS lo, max(n) AS hi FROM update_counts',
  );
  const c = counts.rows[0]!;
  return { wrong: Number(wrong.rows[0]!.n), counted: Number(c.n), minUpdates: c.lo, maxUpdates: c.hi };
}

/**
 * The guide's zero-downtime phase 2, as a one-node workflow. No prior backup by default: these
 * tests are about the walk's own statements (the backup each batch adds is tested in
 * electron/engine/rollback.test.ts and the rollback kill test); `backup_max_rows` turns it on.
 * Fixed batches of `batch_size` by default (`batch_target_ms: 0`), so a test knows where each
 * batch ends; adaptive sizes are tested in electron/engine/executors/adaptive-batches.test.ts.
 */
export function backfillWorkflow(params: Record<string, unknown> = {}): Workflow {
  return workflowSchema.parse({
    format: 'dataflow-workflow',
    version: 1,
    name: 'orders_total_amount',
    nodes: [
      {
        id: 'phase2_backfill',
        type: 'DataBackfillNode',
        params: {
          table: 'orders',
          update_field: 'total_amount',
          calculation: 'subtotal + tax + shipping',
          batch_size: 1000,
          batch_target_ms: 0,
          backup_max_rows: 0,
          ...params,
        },
      },
    ],
  });
}

/** `orders_copy (id, subtotal, tax)`: no key, so a row copied twice stays visible. */
export async function createCopyTarget(db: Setup): Promise<void> {
  await db.setup('CREATE TABLE orders_copy (id integer, subtotal numeric(10,2), tax numeric(10,2))');
}

/** Copied rows, distinct ids among them, and rows equal to their order (joined by id). */
export async function copyState(db: Database): Promise<{ rows: number; ids: number; equal: number }> {
  const { rows } = await db.driver.query<{ n: number | string; ids: number | string }>(
    'SELECT count(*) AS n, count(DISTINCT id) AS ids FROM orders_copy',
  );
  const equal = await db.driver.query<{ n: number | string }>(
    'SELECT count(*) AS n FROM orders_copy c JOIN orders o ON o.id = c.id WHERE c.subtotal = o.subtotal AND c.tax = o.tax',
  );
  return { rows: Number(rows[0]!.n), ids: Number(rows[0]!.ids), equal: Number(equal.rows[0]!.n) };
}

/** Copies orders into orders_copy (DataMigrationNode `copy_orders`), as a one-node workflow, in fixed batches. */
export function copyWorkflow(params: Record<string, unknown> = {}): Workflow {
  return workflowSchema.parse({
    format: 'dataflow-workflow',
    version: 1,
    name: 'orders_copy',
    nodes: [
      {
        id: 'copy_orders',
        type: 'DataMigrationNode',
        params: {
          source_table: 'orders',
          target_table: 'orders_copy',
          field_mapping: { id: 'id', subtotal: 'subtotal', tax: 'tax' },
          batch_size: 1000,
          batch_target_ms: 0,
          ...params,
        },
      },
    ],
  });
}

/** Whether the checkpoint table exists (it is created on a node's first run). */
export async function checkpointTableExists(db: Database): Promise<boolean> {
  const exists = db.dialect.existingTablesSql([CHECKPOINT_TABLE]);
  return (await db.driver.query(exists.sql, exists.params)).rows.length > 0;
}

/** Every row of the checkpoint table, oldest first (none when it does not exist yet). */
export async function readCheckpoints(
  db: Database,
): Promise<{ rowsDone: number; finished: boolean; lastKey: string | null }[]> {
  if (!(await checkpointTableExists(db))) return [];
  const { rows } = await db.driver.query<{ rows_done: number | string; finished: unknown; last_key: string | null }>(
    `SELECT rows_done, finished, last_key FROM ${CHECKPOINT_TABLE} ORDER BY updated_at`,
  );
  return rows.map((r) => ({
    rowsDone: Number(r.rows_done),
    finished: r.finished === true || Number(r.finished) === 1,
    lastKey: r.last_key,
  }));
}

/**
 * A data node's executed or planned steps without the PostgreSQL batch limits each batch starts
 * with (`SELECT set_config('lock_timeout', ...)`; electron/engine/executors/batch-lock-wait.test.ts
 * checks those), so a test of the batches' statements reads the same on both dialects.
 */
export function withoutBatchLimits<S extends { sql: string }>(steps: readonly S[]): S[] {
  return steps.filter((s) => !s.sql.startsWith("SELECT set_config('lock_timeout'"));
}
