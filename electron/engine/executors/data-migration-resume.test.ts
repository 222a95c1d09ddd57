/**
 * DataMigrationNode's checkpoint: a stopped copy (cancelled, killed) resumes after its last
 * committed batch; a finished cross-table copy is refused while its target holds rows.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { backupSize, listBackups } from '../../db/backups.ts';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import {
  checkpointTableExists,
  copyState,
  copyWorkflow,
  countTotalUpdates,
  createCopyTarget,
  createOrders,
  readCheckpoints,
  withoutBatchLimits,
} from '../../../test/backfill-fixtures.ts';
import { openDatabase } from '../../db/connect.ts';
import type { Progress, RunResult } from '../../../shared/run.ts';
import type { Workflow } from '../../../shared/workflow.ts';
import { runWorkflow } from '../run.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Applies `wf`, cancelling the run once a progress event reports `rows` done. */
async function cancelAt(db: TestDatabase, wf: Workflow, rows: number): Promise<RunResult> {
  const controller = new AbortController();
  return runWorkflow(wf, db, {
    mode: 'apply',
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'progress' && e.progress.done >= rows) controller.abort();
    },
  });
}

/**
 * Runs test/copy-child.ts and SIGKILLs it once its checkpoint records `rows` rows; returns them.
 * It waits for that as long as the child runs (its start-up alone takes seconds on a loaded
 * machine); a child that ended first fails the test with its output.
 */
async function killChildAt(db: TestDatabase, rows: number, batch: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/copy-child.ts', db.conn, String(batch)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const watcher = await openDatabase(db.conn);
  let killedAt = 0;
  try {
    while (child.exitCode === null && child.signalCode === null && killedAt === 0) {
      const [saved] = await readCheckpoints(watcher);
      if (saved && saved.rowsDone >= rows) {
        child.kill('SIGKILL');
        killedAt = saved.rowsDone;
      } else {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  } finally {
    await watcher.driver.close();
  }
  expect(killedAt, `the child never reached ${rows} rows: ${output}`).toBeGreaterThan(0);
  await exited;
  return killedAt;
}

for (const dialect of DIALECTS) {
  describe(`DataMigrationNode checkpoint on ${dialect}`, () => {
    let db: TestDatabase & { cleanup(): Promise<void> };
    afterEach(async () => {
      await db?.cleanup();
    });

    it('resumes a cross-table copy after a cancelled run: every row copied exactly once', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 5000);
      await createCopyTarget(db);
      const first = await cancelAt(db, copyWorkflow({ batch_size: 500 }), 1500);
      expect(first.status).toBe('cancelled');
      expect(await readCheckpoints(db)).toEqual([{ rowsDone: 1500, finished: false, lastKey: '1500' }]);
      expect(await copyState(db)).toEqual({ rows: 1500, ids: 1500, equal: 1500 });

      const progress: Progress[] = [];
      const second = await runWorkflow(copyWorkflow({ batch_size: 500 }), db, {
        mode: 'apply',
        onEvent: (e) => e.type === 'progress' && progress.push(e.progress),
      });
      expect(second.error).toBeNull();
      const node = second.nodes.copy_orders!;
      expect(node.outputs).toMatchObject({
        rows_copied: 3500,
        rows_done_total: 5000,
        resumed: true,
        resumed_after_key: '1500',
        batches: 7,
      });
      expect(node.sql.find((s) => s.sql.startsWith('INSERT INTO "orders_copy"'))!.sql).toMatch(
        /WHERE "id" > 1500 AND "id" <= 2000 ORDER BY/,
      );
      expect(progress[0]).toMatchObject({ done: 1500, total: 5000, message: 'resuming after id 1500' });
      expect(progress.at(-1)).toMatchObject({ done: 5000, total: 5000 });
      expect(await copyState(db)).toEqual({ rows: 5000, ids: 5000, equal: 5000 });
      expect(await readCheckpoints(db)).toEqual([{ rowsDone: 5000, finished: true, lastKey: '5000' }]);
    });

    it(
      'survives SIGKILL mid-way: the rerun copies the rest, every row exactly once',
      { timeout: 120_000 },
      async () => {
        db = await createTestDatabase(dialect);
        await createOrders(db, 50_000);
        await createCopyTarget(db);
        const killedAt = await killChildAt(db, 10_000, 100);
        const [atKill] = await readCheckpoints(db);
        expect(atKill).toMatchObject({ finished: false });
        expect(atKill!.rowsDone).toBeGreaterThanOrEqual(killedAt);
        expect(atKill!.rowsDone).toBeLessThan(50_000);
        // The checkpoint and the rows it records committed together.
        expect(await copyState(db)).toEqual({ rows: atKill!.rowsDone, ids: atKill!.rowsDone, equal: atKill!.rowsDone });

        const rerun = await runWorkflow(copyWorkflow({ batch_size: 1000 }), db, { mode: 'apply' });
        expect(rerun.error).toBeNull();
        expect(rerun.nodes.copy_orders!.outputs).toMatchObject({
          resumed: true,
          rows_copied: 50_000 - atKill!.rowsDone,
          rows_done_total: 50_000,
        });
        expect(await copyState(db)).toEqual({ rows: 50_000, ids: 50_000, equal: 50_000 });
      },
    );

    it('refuses a finished cross-table copy while the target holds rows, naming target_table; copies again once it is emptied', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 1200);
      await createCopyTarget(db);
      expect((await runWorkflow(copyWorkflow(), db, { mode: 'apply' })).error).toBeNull();
      for (const mode of ['apply', 'plan'] as const) {
        const again = await runWorkflow(copyWorkflow(), db, { mode });
        const node = again.nodes.copy_orders!;
        expect(node.status).toBe('failed');
        expect(node.error).toMatchObject({ field: 'target_table' });
        expect(node.error!.message).toMatch(
          /^target_table: this copy of "orders" into "orders_copy" already finished after copying 1200 rows.*empty "orders_copy"/,
        );
        expect(node.sql).toEqual([]);
      }
      expect(await copyState(db)).toEqual({ rows: 1200, ids: 1200, equal: 1200 });

      await db.setup('DELETE FROM orders_copy');
      const emptied = await runWorkflow(copyWorkflow(), db, { mode: 'apply' });
      expect(emptied.error).toBeNull();
      expect(emptied.nodes.copy_orders!.outputs).toMatchObject({
        rows_copied: 1200,
        rows_done_total: 1200,
        resumed: false,
      });
      expect(await copyState(db)).toEqual({ rows: 1200, ids: 1200, equal: 1200 });
    });

    it('a changed where is a new copy; an unfinished copy whose target was emptied starts again', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 3000);
      await createCopyTarget(db);
      expect(
        (await runWorkflow(copyWorkflow({ where: 'id <= 1000' }), db, { mode: 'apply' })).nodes.copy_orders!.outputs,
      ).toMatchObject({ rows_copied: 1000 });
      const rest = await runWorkflow(copyWorkflow({ where: 'id > 1000' }), db, { mode: 'apply' });
      expect(rest.error).toBeNull();
      expect(rest.nodes.copy_orders!.outputs).toMatchObject({ rows_copied: 2000, resumed: false });
      expect(await copyState(db)).toEqual({ rows: 3000, ids: 3000, equal: 3000 });
      expect(await readCheckpoints(db)).toHaveLength(2);

      await db.setup('DELETE FROM orders_copy');
      expect((await cancelAt(db, copyWorkflow({ batch_size: 500 }), 1000)).status).toBe('cancelled');
      await db.setup('DELETE FROM orders_copy');
      const restarted = await runWorkflow(copyWorkflow({ batch_size: 500 }), db, { mode: 'apply' });
      expect(restarted.error).toBeNull();
      expect(restarted.nodes.copy_orders!.outputs).toMatchObject({ rows_copied: 3000, resumed: false });
      expect(restarted.warnings.join('\n')).toMatch(
        /"orders_copy" is empty although the checkpoint of this copy records 1000 rows/,
      );
      expect(await copyState(db)).toEqual({ rows: 3000, ids: 3000, equal: 3000 });
    });

    it('resumes a same-table copy after a cancelled run, writing no row twice', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 3000);
      await countTotalUpdates(db);
      const within = copyWorkflow({
        target_table: 'orders',
        field_mapping: { subtotal: 'total_amount' },
        batch_size: 500,
      });
      expect((await cancelAt(db, within, 1000)).status).toBe('cancelled');
      const second = await runWorkflow(within, db, { mode: 'apply' });
      expect(second.error).toBeNull();
      expect(second.nodes.copy_orders!.outputs).toMatchObject({
        rows_copied: 2000,
        rows_done_total: 3000,
        resumed: true,
        resumed_after_key: '1000',
      });
      expect(second.nodes.copy_orders!.sql.find((s) => s.sql.startsWith('UPDATE "orders"'))!.sql).toMatch(
        /"id" > 1000 AND "id" <= 1500$/,
      );
      // The prior backup of the overwritten values: the resumed run added to the one the first run began.
      const [backup, ...more] = await listBackups(db);
      expect(more).toEqual([]);
      expect(backup).toMatchObject({
        kind: 'copy',
        columns: ['total_amount'],
        finished: true,
        lastRunId: second.runId,
      });
      expect((await backupSize(db, backup!)).rows).toBe(3000);
      const { rows } = await db.driver.query<{ n: number | string; lo: number; hi: number; wrong: number | string }>(
        'SELECT count(*) AS n, min(n) AS lo, max(n) AS hi, (SELECT count(*) FROM orders WHERE total_amount IS NULL OR total_amount <> subtotal) AS wrong FROM update_counts',
      );
      expect(rows[0]).toMatchObject({ lo: 1, hi: 1 });
      expect([Number(rows[0]!.n), Number(rows[0]!.wrong)]).toEqual([3000, 0]);
    });

    it('plans the checkpoint step; rehearse copies and rolls everything back, the checkpoint table included', async () => {
      db = await createTestDatabase(dialect);
      await createOrders(db, 2500);
      await createCopyTarget(db);
      const plan = await runWorkflow(copyWorkflow(), db, { mode: 'plan' });
      expect(plan.error).toBeNull();
      const steps = withoutBatchLimits(plan.nodes.copy_orders!.sql);
      expect(steps.map((s) => s.sql.split(' ')[0])).toEqual(['CREATE', 'INSERT', 'INSERT']);
      expect(steps[1]!.comment).toMatch(
        /batch 1 of about 3 \(2500 rows\).*with its checkpoint in dataflow_backfill_checkpoints/,
      );
      expect(steps[2]!.sql).toMatch(/^INSERT INTO "dataflow_backfill_checkpoints"/);
      expect(plan.nodes.copy_orders!.outputs).toMatchObject({
        rows_to_copy: 2500,
        batches_estimated: 3,
        resumed: false,
      });

      const rehearse = await runWorkflow(copyWorkflow(), db, { mode: 'rehearse' });
      expect(rehearse.error).toBeNull();
      expect(rehearse.nodes.copy_orders!.outputs).toMatchObject({ rows_copied: 2500, batches: 3 });
      expect(await checkpointTableExists(db)).toBe(false);
      expect(await copyState(db)).toEqual({ rows: 0, ids: 0, equal: 0 });
    });
  });
}
