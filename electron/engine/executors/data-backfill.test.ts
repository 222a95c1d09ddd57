import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import {
  backfillState,
  backfillWorkflow,
  countTotalUpdates,
  createOrders,
  readCheckpoints,
  withoutBatchLimits,
} from '../../../test/backfill-fixtures.ts';
import { CHECKPOINT_TABLE } from '../../db/backfill-checkpoint.ts';
import type { Progress, RunResult } from '../../../shared/run.ts';
import { runWorkflow } from '../run.ts';

async function tableExists(db: TestDatabase, name: string): Promise<boolean> {
  const sql =
    db.dialect.name === 'sqlite'
      ? `SELECT 1 FROM sqlite_master WHERE name = '${name}'`
      : `SELECT 1 WHERE to_regclass('${name}') IS NOT NULL`;
  return (await db.driver.query(sql)).rows.length > 0;
}

for (const dialect of DIALECTS) {
  describe(`DataBackfillNode on ${dialect}`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    afterEach(async () => {
      await db?.cleanup();
    });

    it('backfills total_amount = subtotal + tax + shipping in key-range batches, each row once, with progress', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 2500);
      await countTotalUpdates(db);
      await db.setup('UPDATE orders SET total_amount = 0 WHERE id = 7');
      await db.setup('DELETE FROM update_counts');
      const progress: Progress[] = [];
      const result = await runWorkflow(backfillWorkflow(), db, {
        mode: 'apply',
        onEvent: (e) => {
          if (e.type === 'progress') progress.push(e.progress);
        },
      });
      expect(result.error).toBeNull();
      const node = result.nodes.phase2_backfill!;
      expect(node.outputs).toMatchObject({ rows_updated: 2499, batches: 3, key_column: 'id', resumed: false });
      const updates = node.sql.filter((s) => s.sql.startsWith('UPDATE'));
      expect(updates).toHaveLength(3);
      expect(node.sql.some((s) => /OFFSET/i.test(s.sql))).toBe(false);
      // Dense integer keys: each batch is the next 1000 key values, found without a read (row 7,
      // skipped by the where, leaves the first batch one row short).
      expect(updates.map((u) => u.sql.match(/WHERE (.*) AND \(/)![1])).toEqual([
        '"id" <= 1000',
        '"id" > 1000 AND "id" <= 2000',
        '"id" > 2000 AND "id" <= 2500',
      ]);
      expect(updates[1]!.sql).toMatch(/AND \("total_amount" IS NULL\)$/);
      // Row 7 already had a value: the default where leaves it alone.
      const seven = await db.driver.query<{ t: number | string }>('SELECT total_amount AS t FROM orders WHERE id = 7');
      expect(Number(seven.rows[0]!.t)).toBe(0);
      await db.setup('UPDATE orders SET total_amount = NULL WHERE id = 7');
      await db.setup('DELETE FROM update_counts WHERE order_id = 7');
      await runWorkflow(backfillWorkflow(), db, { mode: 'apply' });
      expect(await backfillState(db)).toEqual({ wrong: 0, counted: 2500, minUpdates: 1, maxUpdates: 1 });
      expect(progress.at(-1)).toMatchObject({ done: 2499, total: 2499 });
      expect(progress.every((p) => p.rowsPerSecond >= 0)).toBe(true);
      expect(await readCheckpoints(db)).toEqual([{ rowsDone: 1, finished: true, lastKey: '7' }]);
    });

    it('resumes from the checkpoint after a cancelled run, updating no row twice', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 5000);
      await countTotalUpdates(db);
      const controller = new AbortController();
      const first = await runWorkflow(backfillWorkflow({ batch_size: 500 }), db, {
        mode: 'apply',
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'progress' && e.progress.done >= 1500) controller.abort();
        },
      });
      expect(first.status).toBe('cancelled');
      const [saved] = await readCheckpoints(db);
      expect(saved).toMatchObject({ rowsDone: 1500, finished: false, lastKey: '1500' });
      const second = await runWorkflow(backfillWorkflow({ batch_size: 500 }), db, { mode: 'apply' });
      expect(second.error).toBeNull();
      expect(second.nodes.phase2_backfill!.outputs).toMatchObject({
        rows_updated: 3500,
        rows_done_total: 5000,
        resumed: true,
        resumed_after_key: '1500',
        batches: 7,
      });
      expect(second.nodes.phase2_backfill!.sql.find((s) => s.sql.startsWith('UPDATE'))!.sql).toMatch(
        /"id" > 1500 AND "id" <= 2000/,
      );
      expect(await backfillState(db)).toEqual({ wrong: 0, counted: 5000, minUpdates: 1, maxUpdates: 1 });
    });

    it.each([
      ['a second statement', '1; DROP TABLE orders', /second statement/],
      ['a subquery that writes', '(WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM d)', /DELETE/],
      ['a side-effecting call', "subtotal + length(pg_catalog.pg_read_file('/etc/passwd'))", /pg_read_file/],
    ])('rejects %s in calculation before anything runs', async (_label, calculation, message) => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 10);
      const result = await runWorkflow(backfillWorkflow({ calculation }), db, { mode: 'apply' });
      const node = result.nodes.phase2_backfill!;
      expect(node.status).toBe('failed');
      expect(node.error).toMatchObject({ field: 'calculation' });
      expect(node.error!.message).toMatch(message);
      expect(node.sql).toEqual([]);
      expect(await tableExists(db, 'orders')).toBe(true);
      expect(await tableExists(db, CHECKPOINT_TABLE)).toBe(false);
      const { rows } = await db.driver.query<{ n: number | string }>(
        'SELECT count(*) AS n FROM orders WHERE total_amount IS NOT NULL',
      );
      expect(Number(rows[0]!.n)).toBe(0);
    });

    it('a first batch that fails leaves the table unchanged and no checkpoint table behind', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 10);
      await db.setup('CREATE UNIQUE INDEX orders_total ON orders (total_amount)');
      const result = await runWorkflow(backfillWorkflow({ calculation: '1' }), db, { mode: 'apply' });
      const node = result.nodes.phase2_backfill!;
      expect(node.status).toBe('failed');
      expect(node.error).toMatchObject({ field: 'calculation' });
      expect(node.error!.message).toMatch(/^batch 1 failed: /);
      expect(await tableExists(db, CHECKPOINT_TABLE)).toBe(false);
      const { rows } = await db.driver.query<{ n: number | string }>(
        'SELECT count(*) AS n FROM orders WHERE total_amount IS NOT NULL',
      );
      expect(Number(rows[0]!.n)).toBe(0);
    });

    it('a walk with no row to visit creates no checkpoint table', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 10);
      await db.setup('UPDATE orders SET total_amount = 0');
      const result = await runWorkflow(backfillWorkflow(), db, { mode: 'apply' });
      expect(result.error).toBeNull();
      expect(result.nodes.phase2_backfill!.outputs).toMatchObject({ rows_updated: 0, batches: 0 });
      expect(await tableExists(db, CHECKPOINT_TABLE)).toBe(false);
    });

    it('names the field when the expression is valid SQL the table cannot run', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 10);
      const bad = await runWorkflow(backfillWorkflow({ calculation: 'subtotal + no_such_column' }), db, {
        mode: 'apply',
      });
      expect(bad.nodes.phase2_backfill!.error).toMatchObject({ field: 'calculation' });
      expect(bad.nodes.phase2_backfill!.error!.message).toMatch(/no_such_column/);
      const where = await runWorkflow(backfillWorkflow({ where: 'nope > 1' }), db, { mode: 'apply' });
      expect(where.nodes.phase2_backfill!.error).toMatchObject({ field: 'where' });
    });

    it('refuses a table without a primary key or unique NOT NULL column', async () => {
      db = await createTestDatabase(dialect);
      await db.setup(
        'CREATE TABLE orders (id integer, subtotal integer, tax integer, shipping integer, total_amount integer); INSERT INTO orders VALUES (1, 1, 1, 1, NULL)',
      );
      const result = await runWorkflow(backfillWorkflow(), db, { mode: 'apply' });
      expect(result.nodes.phase2_backfill!.error).toMatchObject({ field: 'table' });
      expect(result.nodes.phase2_backfill!.error!.message).toMatch(
        /"orders" has no primary key and no unique NOT NULL column/,
      );
      await db.setup('CREATE UNIQUE INDEX orders_id ON orders (id)');
      expect((await runWorkflow(backfillWorkflow(), db, { mode: 'apply' })).nodes.phase2_backfill!.error).toMatchObject(
        { field: 'table' },
      );
      await db.setup(
        dialect === 'sqlite'
          ? 'DROP INDEX orders_id; CREATE TABLE o2 (id integer NOT NULL UNIQUE, subtotal integer, tax integer, shipping integer, total_amount integer); INSERT INTO o2 SELECT * FROM orders; DROP TABLE orders; ALTER TABLE o2 RENAME TO orders'
          : 'ALTER TABLE orders ALTER COLUMN id SET NOT NULL',
      );
      const ok = await runWorkflow(backfillWorkflow(), db, { mode: 'apply' });
      expect(ok.error).toBeNull();
      expect(ok.nodes.phase2_backfill!.outputs).toMatchObject({ rows_updated: 1, key_column: 'id' });
    });

    it('plan mode shows the first batch and its checkpoint, writing nothing; rehearse rolls back', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 2500);
      const plan = await runWorkflow(backfillWorkflow(), db, { mode: 'plan' });
      expect(plan.error).toBeNull();
      const steps = withoutBatchLimits(plan.nodes.phase2_backfill!.sql);
      expect(steps.map((s) => s.sql.split(' ')[0])).toEqual(['CREATE', 'UPDATE', 'INSERT']);
      expect(steps[1]!.sql).toMatch(/WHERE "id" <= 1000 AND \("total_amount" IS NULL\)$/);
      expect(steps[1]!.comment).toMatch(/batch 1 of about 3 \(2500 rows\): repeats for each batch/);
      expect(await tableExists(db, CHECKPOINT_TABLE)).toBe(false);

      const rehearse = await runWorkflow(backfillWorkflow(), db, { mode: 'rehearse' });
      expect(rehearse.error).toBeNull();
      expect(rehearse.nodes.phase2_backfill!.outputs).toMatchObject({ rows_updated: 2500, batches: 3 });
      expect(await tableExists(db, CHECKPOINT_TABLE)).toBe(false);
      const { rows } = await db.driver.query<{ n: number | string }>(
        'SELECT count(*) AS n FROM orders WHERE total_amount IS NULL',
      );
      expect(Number(rows[0]!.n)).toBe(2500);
    });

    it('plans a backfill of a column an earlier node adds, with the bound as a subquery', async () => {
      db = await createTestDatabase(dialect);
      await db.setup(
        'CREATE TABLE orders (id integer PRIMARY KEY, subtotal integer, tax integer, shipping integer); INSERT INTO orders VALUES (1, 1, 2, 3), (2, 2, 3, 4)',
      );
      const wf = backfillWorkflow();
      wf.nodes.unshift({
        id: 'phase1_add',
        type: 'SchemaModificationNode',
        params: {
          table: 'orders',
          operation: 'add_column',
          column_name: 'total_amount',
          column_type: 'decimal(10,2)',
          nullable: true,
        },
        position: { x: 0, y: 0 },
      });
      wf.connections.push({
        source: 'phase1_add',
        sourceOutput: 'result',
        target: 'phase2_backfill',
        targetInput: 'input',
      });
      const plan = await runWorkflow(wf, db, { mode: 'plan' });
      expect(plan.error).toBeNull();
      const update = plan.nodes.phase2_backfill!.sql.find((s) => s.sql.startsWith('UPDATE'))!;
      expect(update.sql).toMatch(
        /"id" <= \(SELECT s\."id" FROM \(SELECT "id" FROM "orders" WHERE \("total_amount" IS NULL\) ORDER BY "id" LIMIT 1000\) s ORDER BY s\."id" DESC LIMIT 1\)/,
      );
      const applied = await runWorkflow(wf, db, { mode: 'apply' });
      expect(applied.error).toBeNull();
      const { rows } = await db.driver.query<{ t: number | string }>(
        'SELECT total_amount AS t FROM orders ORDER BY id',
      );
      expect(rows.map((r) => Number(r.t))).toEqual([6, 9]);
    });
  });
}

describe('DataBackfillNode on sqlite: WAL checkpoints between the batches, not in their commits', () => {
  let db: TestDatabase & { cleanup(): Promise<void> };
  afterEach(async () => {
    await db?.cleanup();
  });
  const threshold = async () =>
    Number(
      (await db.driver.query<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint')).rows[0]?.wal_autocheckpoint,
    );
  const pragmas = (r: RunResult) =>
    r.nodes.phase2_backfill!.sql.map((s) => s.sql).filter((s) => s.startsWith('PRAGMA'));

  it('turns wal_autocheckpoint off for the node and puts it back, also when a batch fails; rehearse leaves it alone', async () => {
    db = await createTestDatabase('sqlite');
    // The product leaves a file's journal mode alone; this database chose WAL, as many apps do.
    await db.setup('PRAGMA journal_mode = WAL');
    await createOrders(db, 2500);
    expect(await threshold()).toBe(1000);
    const applied = await runWorkflow(backfillWorkflow(), db, { mode: 'apply' });
    expect(applied.error).toBeNull();
    const sql = applied.nodes.phase2_backfill!.sql.map((s) => s.sql);
    expect(sql.indexOf('PRAGMA wal_autocheckpoint = 0')).toBeLessThan(sql.findIndex((s) => s.startsWith('UPDATE')));
    // 2,500 short rows fill a few pages: no checkpoint between batches.
    expect(sql).not.toContain('PRAGMA wal_checkpoint(PASSIVE)');
    // Put back after the last batch, before the final checkpoint write (whose commit checkpoints the WAL).
    expect(sql.slice(-2)).toEqual([
      'PRAGMA wal_autocheckpoint = 1000',
      expect.stringMatching(/^INSERT INTO "dataflow_backfill_checkpoints"/),
    ]);
    expect(applied.nodes.phase2_backfill!.rowsAffected).toBe(2500);
    expect(await threshold()).toBe(1000);
    const wrong = await db.driver.query<{ n: number }>(
      'SELECT count(*) AS n FROM orders WHERE total_amount IS NULL OR total_amount <> round(subtotal + tax + shipping, 2)',
    );
    expect(wrong.rows[0]?.n).toBe(0);

    await db.setup(
      "UPDATE orders SET total_amount = NULL; CREATE TRIGGER refuse_1500 BEFORE UPDATE ON orders WHEN new.id = 1500 BEGIN SELECT RAISE(ABORT, 'row 1500 refused'); END;",
    );
    const failed = await runWorkflow(backfillWorkflow(), db, { mode: 'apply' });
    expect(failed.nodes.phase2_backfill!.error?.message).toMatch(/batch 2 failed: row 1500 refused/);
    expect(pragmas(failed)).toEqual(['PRAGMA wal_autocheckpoint = 0', 'PRAGMA wal_autocheckpoint = 1000']);
    expect(await threshold()).toBe(1000);

    await db.setup('DROP TRIGGER refuse_1500');
    const rehearsed = await runWorkflow(backfillWorkflow(), db, { mode: 'rehearse' });
    expect(rehearsed.error).toBeNull();
    expect(pragmas(rehearsed)).toEqual([]);
  });

  it('checkpoints the WAL between two batches once it holds 10,000 pages', async () => {
    db = await createTestDatabase('sqlite');
    await db.setup('PRAGMA journal_mode = WAL');
    await createOrders(db, 1400);
    // Each row's 45 KB note rewrites 11 overflow pages when the row is updated: 200 rows a batch
    // fill about 2,200 pages of WAL, so the fifth batch takes it past 10,000.
    await db.setup(
      'ALTER TABLE orders ADD COLUMN note blob; UPDATE orders SET note = zeroblob(45000); PRAGMA wal_checkpoint(TRUNCATE);',
    );
    const applied = await runWorkflow(backfillWorkflow({ batch_size: 200 }), db, { mode: 'apply' });
    expect(applied.error).toBeNull();
    const steps = applied.nodes.phase2_backfill!.sql;
    const at = steps.findIndex((s) => s.sql === 'PRAGMA wal_checkpoint(PASSIVE)');
    expect(steps.filter((s) => s.sql.startsWith('UPDATE')).length).toBe(7);
    // After the fifth batch's UPDATE and checkpoint write, outside any batch's transaction.
    expect(steps.slice(0, at).filter((s) => s.sql.startsWith('UPDATE')).length).toBe(5);
    expect(steps[at - 1]!.sql).toMatch(/^INSERT INTO "dataflow_backfill_checkpoints"/);
    expect(steps[at]!.comment).toMatch(/^between batches: copy the WAL's \d+ pages into the database file$/);
    const { rows } = await db.driver.query<{ log: number; checkpointed: number }>('PRAGMA wal_checkpoint(NOOP)');
    expect(rows[0]!.log - rows[0]!.checkpointed).toBeLessThan(10_000);
    expect(await threshold()).toBe(1000);
  });
});
