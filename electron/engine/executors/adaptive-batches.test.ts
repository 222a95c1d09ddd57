import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import { backfillState, backfillWorkflow, countTotalUpdates, createOrders } from '../../../test/backfill-fixtures.ts';
import { openDatabase, type Database } from '../../db/connect.ts';
import { CHECKPOINT_TABLE } from '../../db/backfill-checkpoint.ts';
import type { Progress } from '../../../shared/run.ts';
import { MAX_BATCH_ROWS } from '../../../shared/nodes/data.ts';
import { runWorkflow } from '../run.ts';
import { BatchSizer } from './batch-sizer.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Sizes a sizer chooses from `start` over `batches` batches that take `fixed + perKey x size` ms. */
function sizes(targetMs: number, start: number, batches: number, fixed: number, perKey: number): number[] {
  const sizer = new BatchSizer(targetMs, start);
  const out = [start];
  for (let i = 1; i < batches; i++) out.push(sizer.next(out[i - 1]!, fixed + perKey * out[i - 1]!));
  return out;
}

describe('BatchSizer', () => {
  it('grows fast batches at most 8x per batch, by their rate, toward the size that takes 85% of the target, then keeps it', () => {
    const run = sizes(150, 1000, 14, 2, 0.001);
    // 1,000 keys in 3 ms: about 42,000 keys would take 85% of the target at that rate, 8x is the
    // cap; the fourth batch is within the band and its size stays.
    expect(run.slice(0, 3)).toEqual([1000, 8000, 64000]);
    const last = run.at(-1)!;
    expect(run[3]).toBe(last);
    expect(2 + 0.001 * last).toBeGreaterThan(150 * 0.75);
    expect(2 + 0.001 * last).toBeLessThanOrEqual(150 * 0.85);
  });

  it('grows by the whole duration per key, so a fit of the fixed part cannot make a batch overshoot', () => {
    const sizer = new BatchSizer(150, 10_000);
    // Two sizes whose durations a fit reads as 90 ms fixed and little per key (noise)...
    expect(sizer.next(10_000, 100)).toBe(10_000);
    expect(sizer.next(20_000, 110)).toBe(20_000);
    // ...then a fast batch: it grows as if all of its 40 ms scaled with its keys (and by the mean
    // rate of the batches before, which were slower), not to the 8x the fit would allow.
    const next = sizer.next(20_000, 40);
    expect(next).toBeGreaterThan(20_000);
    expect(next).toBeLessThan(40_000);
  });

  it('sizes from the mean rate of the batches before when one batch ran faster than they did', () => {
    const sizer = new BatchSizer(150, 10_000);
    expect(sizer.next(10_000, 100)).toBe(10_000);
    // 20,000 keys in 20 ms (0.001 ms a key) after 10,000 in 100 ms (0.01): that batch alone would
    // give 127,500 keys; the decayed mean of both (0.0031 ms a key) gives about 41,000.
    const next = sizer.next(20_000, 20);
    expect(next).toBeGreaterThan(40_000);
    expect(next).toBeLessThan(42_000);
  });

  it('shrinks at once after one slow batch', () => {
    const sizer = new BatchSizer(150, 4000);
    expect(sizer.next(4000, 140)).toBe(4000);
    // The same batch 5x slower: the next is sized from its own cost (0.175 ms per key) to take 85%
    // of the target.
    expect(sizer.next(4000, 700)).toBe(728);
    // Never below a tenth of batch_size, never above MAX_BATCH_ROWS.
    expect(new BatchSizer(150, 4000).next(4000, 100_000)).toBe(400);
    expect(new BatchSizer(150, 1).next(1, 1000)).toBe(1);
    expect(new BatchSizer(150, MAX_BATCH_ROWS).next(MAX_BATCH_ROWS, 1)).toBe(MAX_BATCH_ROWS);
  });

  it('tells the part every batch pays from the cost per key, and does not shrink to pay it more often', () => {
    // A commit of 40 ms (a rollback journal's syncs on a busy disk) against a target of 20 ms.
    // The first batch alone cannot tell the parts apart (it shrinks the size); from then on the
    // batches grow, at most 2x after each slow batch, until their keys take a third of the target
    // (about 66,000 keys).
    const run = sizes(20, 100, 20, 40, 0.0001);
    expect(run.slice(1, 4)).toEqual([42, 84, 168]);
    expect(run.slice(2).every((n, i) => n >= run[i + 1]!)).toBe(true);
    expect(run.at(-1)).toBeGreaterThan(50_000);
    expect(run.at(-1)).toBeLessThan(80_000);
  });

  it('with a target of 0 keeps every batch at batch_size', () => {
    const sizer = new BatchSizer(0, 1000);
    expect(sizer.adaptive).toBe(false);
    expect(sizer.next(1000, 1)).toBe(1000);
    expect(sizer.next(1000, 10_000)).toBe(1000);
  });
});

/** Keys of each batch the node ran, from its UPDATE's range `"id" > a AND "id" <= b`. */
function batchKeys(sql: readonly { sql: string }[]): number[] {
  return sql
    .filter((s) => s.sql.startsWith('UPDATE "orders"'))
    .map((s) => {
      const m = s.sql.match(/WHERE (?:"id" > (\d+) AND )?"id" <= (\d+)/)!;
      return Number(m[2]) - Number(m[1] ?? 0);
    });
}

/**
 * A trigger that makes each updated row cost real time, as each database's setup SQL: SQLite
 * counts a recursive series per row, PostgreSQL sleeps 2 ms per row.
 */
const SLOW_ROWS: Record<TestDatabase['dialect']['name'], string> = {
  postgres: `
    CREATE FUNCTION slow_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.002); RETURN NEW; END $$;
    CREATE TRIGGER orders_slow BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION slow_row();`,
  sqlite: `
    CREATE TABLE burn (n integer);
    CREATE TRIGGER orders_slow AFTER UPDATE OF total_amount ON orders FOR EACH ROW BEGIN
      INSERT INTO burn SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000) SELECT x FROM c);
    END;`,
};

const slowRows = (db: TestDatabase) => db.setup(SLOW_ROWS[db.dialect.name]);

async function checkpointBatches(db: Database): Promise<{ rowsDone: number; batchesDone: number } | null> {
  const { rows } = await db.driver.query<{ rows_done: number | string; batches_done: number | string }>(
    `SELECT rows_done, batches_done FROM ${CHECKPOINT_TABLE}`,
  );
  return rows[0] ? { rowsDone: Number(rows[0].rows_done), batchesDone: Number(rows[0].batches_done) } : null;
}

for (const dialect of DIALECTS) {
  describe(`adaptive batches on ${dialect}`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    afterEach(async () => {
      await db?.cleanup();
    });

    it('grow from batch_size while batches are fast, and say so in progress and outputs', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 20_000);
      await countTotalUpdates(db);
      const progress: Progress[] = [];
      // A target far above what 100 rows take even on a loaded machine: every batch is fast.
      const result = await runWorkflow(backfillWorkflow({ batch_size: 100, batch_target_ms: 1000 }), db, {
        mode: 'apply',
        onEvent: (e) => void (e.type === 'progress' && progress.push(e.progress)),
      });
      expect(result.error).toBeNull();
      const node = result.nodes.phase2_backfill!;
      const keys = batchKeys(node.sql);
      expect(keys[0]).toBe(100);
      // Fixed batches would be 200; each batch at most 8x the one before.
      expect(keys.length).toBeLessThan(60);
      keys.slice(1).forEach((k, i) => expect(k).toBeLessThanOrEqual(8 * keys[i]!));
      expect(node.outputs).toMatchObject({
        rows_updated: 20_000,
        batches: keys.length,
        batch_target_ms: 1000,
        batch_size_min: 100,
      });
      expect(node.outputs.batch_size_max).toBeGreaterThanOrEqual(Math.max(...keys));
      expect(node.notes).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^${keys.length} batches sized to take about 1000 ms each \\(batch_target_ms\\), from 100 to \\d+ keys \\(batch_size 100 first\\); the longest took \\d+ ms$`,
          ),
        ),
      );
      expect(progress[1]!.message).toMatch(
        /^batch 1: 100 rows in \d+ ms; (next batches|batches stay at) \d+ keys \(target 1000 ms\)$/,
      );
      expect(await backfillState(db)).toEqual({ wrong: 0, counted: 20_000, minUpdates: 1, maxUpdates: 1 });
    });

    it('shrink when a batch takes longer than the target (a slow trigger)', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 400);
      await slowRows(db);
      const result = await runWorkflow(backfillWorkflow({ batch_size: 200, batch_target_ms: 20 }), db, {
        mode: 'apply',
      });
      expect(result.error).toBeNull();
      const node = result.nodes.phase2_backfill!;
      const keys = batchKeys(node.sql);
      expect(keys[0]).toBe(200);
      // 200 rows of at least 1 ms each take 10x the target or more: the next batch goes down to
      // the floor of a tenth of batch_size.
      expect(keys[1]).toBe(20);
      expect(Math.max(...keys.slice(1))).toBeLessThan(200);
      expect(node.outputs).toMatchObject({ rows_updated: 400, batch_size_min: 20, batch_size_max: 200 });
      const { rows } = await db.driver.query<{ n: number | string }>(
        'SELECT count(*) AS n FROM orders WHERE total_amount IS NULL',
      );
      expect(Number(rows[0]!.n)).toBe(0);
    });

    it('resume exactly after a SIGKILL at an adaptive size', { timeout: 60_000 }, async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 50_000);
      await countTotalUpdates(db);
      // batch_size 100, the default target, 50 ms between batches (so the kill lands mid-walk).
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/backfill-child.ts', db.conn, '100', '50', '150'],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      const watcher = await openDatabase(db.conn);
      let atKill: { rowsDone: number; batchesDone: number } | null = null;
      try {
        const deadline = Date.now() + 40_000;
        while (Date.now() < deadline && child.exitCode === null) {
          const saved = (await checkpointBatches(watcher).catch(() => null)) ?? null;
          // Grown past batch_size: more than 100 rows per batch on average.
          if (saved && saved.rowsDone >= 5_000 && saved.rowsDone > 100 * saved.batchesDone) {
            child.kill('SIGKILL');
            atKill = saved;
            break;
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      } finally {
        await watcher.driver.close();
      }
      expect(atKill, `the child never grew its batches past 5,000 rows: ${output}`).not.toBeNull();
      await exited;
      const killed = (await checkpointBatches(db))!;
      expect(killed.rowsDone).toBeLessThan(50_000);
      const mid = await backfillState(db);
      expect(mid.counted).toBe(killed.rowsDone);
      expect(mid.maxUpdates).toBe(1);

      const progress: Progress[] = [];
      const rerun = await runWorkflow(backfillWorkflow({ batch_size: 100, batch_target_ms: 150 }), db, {
        mode: 'apply',
        onEvent: (e) => void (e.type === 'progress' && progress.push(e.progress)),
      });
      expect(rerun.error).toBeNull();
      expect(rerun.nodes.phase2_backfill!.outputs).toMatchObject({
        resumed: true,
        rows_updated: 50_000 - killed.rowsDone,
        rows_done_total: 50_000,
      });
      // The resumed run starts at the mean size of the batches the checkpoint recorded, not at 100.
      const learned = Math.floor(killed.rowsDone / killed.batchesDone);
      expect(batchKeys(rerun.nodes.phase2_backfill!.sql)[0]).toBe(learned);
      expect(progress[0]!.message).toBe(
        `resuming after id ${killed.rowsDone}, at ${learned} keys per batch (the mean of the ${killed.batchesDone} batches before)`,
      );
      expect(await backfillState(db)).toEqual({ wrong: 0, counted: 50_000, minUpdates: 1, maxUpdates: 1 });
    });
  });
}
