/**
 * PostgreSQL data batches meeting a row another session locked (`SELECT ... FOR UPDATE`): each
 * batch runs under lock_timeout and statement_timeout derived from the batch target duration, so
 * a writer of a row the waiting batch already updated waits about one batch target, not as long
 * as the other session holds its lock; the batch is retried with backoff, the waits are reported
 * as warnings and progress, and after the retries the node fails naming the table, the session
 * holding the lock and the fix, resumable from its checkpoint.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabases, type FreshDatabase } from '../../../test/databases.ts';
import { node, workflow } from '../../../test/workflows.ts';
import type { Progress, RunResult } from '../../../shared/run.ts';
import { postgresDialect } from '../../db/postgres/index.ts';
import { runWorkflow, type RunOptions } from '../run.ts';

const fresh = freshDatabases();

const ROWS = 20;
const backfill = (batch_size = 10) =>
  workflow([
    node('fill', 'DataBackfillNode', {
      table: 'items',
      update_field: 'v',
      calculation: 'n * 2',
      batch_size,
      batch_target_ms: 0,
    }),
  ]);

/** `items (id, n, v)`: ids 1..20, v NULL. */
async function items(): Promise<FreshDatabase> {
  return fresh(
    'postgres',
    `CREATE TABLE items (id integer PRIMARY KEY, n integer NOT NULL, v integer);
     INSERT INTO items (id, n) SELECT i, i FROM generate_series(1, ${ROWS}) AS i;`,
  );
}

/** A second session, named `lock-holder` in pg_stat_activity, holding `FOR UPDATE` on row `id`. */
async function holdRow(db: FreshDatabase, id: number): Promise<pg.Client> {
  const holder = new pg.Client({ connectionString: db.conn, application_name: 'lock-holder' });
  await holder.connect();
  fresh.defer(() => holder.end());
  await holder.query('BEGIN');
  await holder.query('SELECT * FROM items WHERE id = $1 FOR UPDATE', [id]);
  return holder;
}

/** Resolves once a session of the database waits for a lock (the batch met the held row). */
async function lockWaited(client: pg.Client): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
    );
    if (Number(rows[0]!.n) > 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no session waited for a lock');
}

/** Run options that end the holder's transaction once a batch has given up waiting for its lock (its progress message). */
function releaseAfterFirstWait(holder: pg.Client, released: Promise<unknown>[]): Pick<RunOptions, 'mode' | 'onEvent'> {
  return {
    mode: 'apply',
    onEvent: (e) => {
      if (e.type === 'progress' && e.progress.message && released.length === 0) released.push(holder.query('COMMIT'));
    },
  };
}

async function filled(db: FreshDatabase): Promise<{ ids: number[]; wrong: number }> {
  const { rows } = await db.driver.query<{ id: number; right: boolean }>(
    'SELECT id, v = n * 2 AS right FROM items WHERE v IS NOT NULL ORDER BY id',
  );
  return { ids: rows.map((r) => r.id), wrong: rows.filter((r) => !r.right).length };
}

describe('PostgreSQL data batches under a lock held by another session', () => {
  it('keeps writers of rows the waiting batch updated waiting one batch target at most, then fails naming the lock, resumable', async () => {
    const db = await items();
    const holder = await holdRow(db, 15);
    const writer = new pg.Client({ connectionString: db.conn });
    await writer.connect();
    fresh.defer(() => writer.end());

    const warnings: string[] = [];
    const progress: Progress[] = [];
    const running = runWorkflow(backfill(), db, {
      mode: 'apply',
      onEvent: (e) => {
        // The retries' messages (each committed batch's says how long it took: adaptive-batches.test.ts).
        if (e.type === 'progress' && e.progress.message?.includes('retry')) progress.push(e.progress);
      },
    });
    // Batch 2 (ids 11..20) has updated rows 11..14 and waits for row 15: a writer of row 12 must
    // not wait for the holder's transaction.
    await lockWaited(writer);
    const started = performance.now();
    await writer.query('UPDATE items SET n = n WHERE id = 12');
    const writerWaitedMs = performance.now() - started;
    const result: RunResult = await running;

    expect(writerWaitedMs).toBeLessThan(1500);
    const failed = result.nodes.fill!;
    expect(failed.status).toBe('failed');
    const message = failed.error!.message;
    expect(message).toContain(
      'batch 2 ("id" > 10 and <= 20) waited 250 ms for a lock on "items" that another session holds',
    );
    expect(message).toContain('5 tries');
    expect(message).toMatch(
      /session \d+ \("lock-holder", idle in transaction for \d+ s, last query "SELECT \* FROM items WHERE id = \$1 FOR UPDATE"\)/,
    );
    expect(message).toContain("end that session's transaction (COMMIT or ROLLBACK it) or wait until it ends");
    expect(message).toContain(
      'the batches before it (10 rows) are committed and checkpointed: run the workflow again to resume',
    );
    warnings.push(...failed.warnings);
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toMatch(
      /and was rolled back, releasing the rows it had written; retrying in 250 ms \(retry 1 of 4\)$/,
    );
    expect(warnings[3]).toMatch(/retrying in 2000 ms \(retry 4 of 4\)$/);
    expect(progress.map((p) => p.message)).toEqual(warnings);
    expect(progress[0]).toMatchObject({ done: 10, total: ROWS });
    // Batch 1 committed; batch 2 left nothing behind.
    expect(await filled(db)).toEqual({ ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], wrong: 0 });

    await holder.query('COMMIT');
    const again = await runWorkflow(backfill(), db, { mode: 'apply' });
    expect(again.error).toBeNull();
    expect(again.nodes.fill!.outputs).toMatchObject({ rows_updated: 10, resumed: true, resumed_after_key: '10' });
    expect(again.nodes.fill!.warnings).toEqual([]);
    expect((await filled(db)).ids).toHaveLength(ROWS);
  });

  it('retries a batch that waited and completes once the lock is released, the limits set in each batch', async () => {
    const db = await items();
    const holder = await holdRow(db, 5);
    const released: Promise<unknown>[] = [];
    const result = await runWorkflow(backfill(), db, releaseAfterFirstWait(holder, released));
    await Promise.all(released);
    expect(result.error).toBeNull();
    const fill = result.nodes.fill!;
    expect(fill.outputs).toMatchObject({ rows_updated: ROWS, batches: 2 });
    expect(fill.warnings.length).toBeGreaterThanOrEqual(1);
    expect(fill.warnings[0]).toContain('batch 1 ("id" <= 10) waited 250 ms for a lock on "items"');
    expect(await filled(db)).toEqual({ ids: Array.from({ length: ROWS }, (_, i) => i + 1), wrong: 0 });
    const limits = fill.sql.filter((s) => s.sql.includes("set_config('lock_timeout'"));
    // One per try; in apply the batch's commit ends them, nothing is put back.
    expect(limits.length).toBe(2 + fill.warnings.length);
    expect(limits[0]!.sql).toBe(
      "SELECT set_config('lock_timeout', '250ms', true), set_config('statement_timeout', '2500ms', true)",
    );
    expect(fill.sql.some((s) => s.comment.startsWith('put back'))).toBe(false);
  });

  it('a copy (DataMigrationNode) waits, retries and completes the same way', async () => {
    const db = await items();
    const holder = await holdRow(db, 3);
    const copy = workflow([
      node('copy', 'DataMigrationNode', {
        source_table: 'items',
        target_table: 'items',
        field_mapping: { n: 'v' },
        batch_size: 10,
        batch_target_ms: 0,
      }),
    ]);
    const released: Promise<unknown>[] = [];
    const result = await runWorkflow(copy, db, releaseAfterFirstWait(holder, released));
    await Promise.all(released);
    expect(result.error).toBeNull();
    expect(result.nodes.copy!.warnings[0]).toContain('batch 1 ("id" <= 10) waited 250 ms for a lock on "items"');
    expect(result.nodes.copy!.outputs).toMatchObject({ rows_copied: ROWS });
  });

  it("in rehearse, puts back the enclosing transaction's timeouts after each batch", async () => {
    const db = await items();
    const result = await runWorkflow(backfill(), db, { mode: 'rehearse' });
    expect(result.error).toBeNull();
    const comments = result.nodes.fill!.sql.map((s) => s.comment);
    expect(comments.filter((c) => c.startsWith('put back the lock and statement timeouts'))).toHaveLength(2);
    expect((await db.driver.query<{ v: string }>("SELECT current_setting('lock_timeout') AS v")).rows[0]!.v).toBe('0');
  });

  it('halves a batch that runs past the statement timeout, then fails naming batch_size', async () => {
    const db = await items();
    // Target 20 ms: statement_timeout 200 ms, which one row of this calculation takes far longer than.
    const slow = { ...db, dialect: postgresDialect(170000, { batch: { targetMs: 20 } }) };
    const wf = workflow([
      node('fill', 'DataBackfillNode', {
        table: 'items',
        update_field: 'v',
        calculation: '(SELECT count(*) FROM generate_series(1, 50000000)) + n',
        batch_size: 4,
        batch_target_ms: 0,
      }),
    ]);
    const result = await runWorkflow(wf, slow, { mode: 'apply' });
    const fill = result.nodes.fill!;
    expect(fill.status).toBe('failed');
    expect(fill.error!.field).toBe('batch_size');
    expect(fill.error!.message).toContain(
      'batch 1 ("id" <= 1) ran longer than the statement timeout of 200 ms, 5 tries',
    );
    expect(fill.error!.message).toContain('(down to 1 rows per batch)');
    expect(fill.warnings[0]).toMatch(/retrying with 2 rows per batch in 20 ms \(retry 1 of 4\)$/);
    expect(fill.warnings[1]).toMatch(/batch 1 \("id" <= 2\) ran longer/);
    expect((await filled(db)).ids).toEqual([]);
  });
});
