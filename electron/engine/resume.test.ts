import { describe, expect, it } from 'vitest';
import { findColumn, findTable } from '../../shared/schema.ts';
import { backfillState, countTotalUpdates, createOrders } from '../../test/backfill-fixtures.ts';
import { DIALECTS, freshDatabases, type FreshDatabase } from '../../test/databases.ts';
import { js, node, workflow } from '../../test/workflows.ts';
import { openDatabase } from '../db/connect.ts';
import { listRuns, readRun } from '../db/run-records.ts';
import { ResumeRefused, resumePoint } from './resume.ts';
import { runWorkflow } from './run.ts';

const databases = freshDatabases();

/** A column, a backfill of total_amount, an index: the run stops in the backfill. */
const zeroDowntime = (noteType = 'text') =>
  workflow(
    [
      node('add_note', 'SchemaModificationNode', {
        table: 'orders',
        operation: 'add_column',
        column_name: 'note',
        column_type: noteType,
      }),
      node('backfill', 'DataBackfillNode', {
        table: 'orders',
        update_field: 'total_amount',
        calculation: 'subtotal + tax + shipping',
        batch_size: 200,
        batch_target_ms: 0,
      }),
      node('index_user', 'SchemaModificationNode', {
        table: 'orders',
        operation: 'create_index',
        index_name: 'orders_user_id',
        columns: ['user_id'],
      }),
    ],
    ['add_note.result->backfill.input', 'backfill.result->index_user.input'],
    'zero downtime',
  );

async function cancelledInBackfill(db: FreshDatabase) {
  const controller = new AbortController();
  const r = await runWorkflow(zeroDowntime(), db, {
    mode: 'apply',
    preflight: true,
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'progress' && e.progress.done >= 1000) controller.abort();
    },
  });
  expect(r.status).toBe('cancelled');
  return r;
}

/**
 * Resumes the run at `point`; `recorded` is what the run record said of the resuming run (read on
 * a connection of its own, opened before the run so that the read starts as the backfill does) as
 * its backfill started: what a resume of it would find, had it died there.
 */
async function resume(db: FreshDatabase, point: Awaited<ReturnType<typeof resumePoint>>) {
  const other = await openDatabase(db.conn);
  try {
    let recorded: ReturnType<typeof readRun> | null = null;
    const result = await runWorkflow(zeroDowntime(), db, {
      mode: 'apply',
      driftCheck: true,
      resume: { runId: point.run.runId, done: point.done, outputs: point.outputs },
      onEvent: (e) => {
        if (e.type === 'node_started' && e.nodeId === 'backfill') recorded = readRun(other, e.runId);
      },
    });
    return { ...result, recorded: await recorded! };
  } finally {
    await other.driver.close();
  }
}

for (const dialect of DIALECTS) {
  describe(`resume a run that stopped part-way (${dialect})`, () => {
    it('continues a cancelled apply: the done node is not run again, the backfill goes on from its checkpoint, each row written once', async () => {
      const db = await databases(dialect);
      await createOrders(db, 3000);
      await countTotalUpdates(db);
      const stopped = await cancelledInBackfill(db);
      expect((await listRuns(db))[0]).toMatchObject({ runId: stopped.runId, state: 'partially applied' });
      const half = await backfillState(db);
      expect(half.wrong).toBeGreaterThan(0);
      expect(half.wrong).toBeLessThan(3000);

      const point = await resumePoint(db, zeroDowntime());
      expect(point.run.runId).toBe(stopped.runId);
      expect(point.done).toEqual(['add_note']);
      const resumed = await resume(db, point);
      expect(resumed.status, resumed.error ?? '').toBe('succeeded');
      expect(resumed.nodes.add_note).toMatchObject({ status: 'skipped', reason: 'done_before', sql: [] });
      // From its start the resume's record says the done node is done (skipped), and which run it continues.
      expect(resumed.recorded.nodes.map((n) => [n.nodeId, n.status])).toEqual([
        ['add_note', 'skipped'],
        ['backfill', 'running'],
        ['index_user', 'not_run'],
      ]);
      expect(resumed.recorded.run.continues).toBe(stopped.runId);
      // The backfill wrote only the rows the cancelled run had not, each exactly once over both runs.
      expect(resumed.nodes.backfill!.rowsAffected).toBe(half.wrong);
      expect(await backfillState(db)).toEqual({ wrong: 0, counted: 3000, minUpdates: 1, maxUpdates: 1 });
      const orders = findTable(await db.dialect.introspect(db.driver), 'orders')!;
      expect(findColumn(orders, 'note')).toBeDefined();
      expect(orders.indexes.map((i) => i.name)).toContain('orders_user_id');
      expect((await listRuns(db)).map((r) => r.state)).toEqual(['succeeded', 'partially applied']);
      await expect(resumePoint(db, zeroDowntime())).rejects.toThrow(
        /the last run of "zero downtime" on this database, [0-9a-f]{8}, succeeded: there is nothing to resume/,
      );
      // Named by its id (the History's Resume of the old run), the resumed run is refused too.
      await expect(resumePoint(db, zeroDowntime(), { runId: stopped.runId })).rejects.toThrow(
        /of "zero downtime" was followed by run [0-9a-f]{8} \(succeeded\) on this database: there is nothing to resume/,
      );
    });

    it('gives the nodes after a resume the recorded outputs of the nodes done before, through a resume of a resume too', async () => {
      const db = await databases(dialect);
      await createOrders(db, 3000);
      // `name` picks the column in a code node; `add` reads it as ":column" after the backfill.
      const wf = workflow(
        [
          js('name', "result = { column: 'checked_by' }"),
          node('backfill', 'DataBackfillNode', {
            table: 'orders',
            update_field: 'total_amount',
            calculation: 'subtotal + tax + shipping',
            batch_size: 200,
            batch_target_ms: 0,
          }),
          node('add', 'SchemaModificationNode', {
            table: 'orders',
            operation: 'add_column',
            column_name: ':column',
            column_type: 'text',
          }),
        ],
        ['name.result->backfill.input', 'backfill.result->add.input', 'name.result->add.picked'],
        'picked column',
      );
      const applyStoppingAt = async (rows: number, point?: Awaited<ReturnType<typeof resumePoint>>) => {
        const controller = new AbortController();
        return runWorkflow(wf, db, {
          mode: 'apply',
          trustCode: true,
          signal: controller.signal,
          ...(point && { resume: { runId: point.run.runId, done: point.done, outputs: point.outputs } }),
          onEvent: (e) => {
            if (e.type === 'progress' && e.progress.done >= rows) controller.abort();
          },
        });
      };
      expect((await applyStoppingAt(1000)).status).toBe('cancelled');
      const first = await resumePoint(db, wf);
      expect(first.outputs).toEqual({ name: { result: { column: 'checked_by' } } });
      // The resume is cancelled too: it records the outputs it was given, for the next resume.
      expect((await applyStoppingAt(2000, first)).status).toBe('cancelled');
      const second = await resumePoint(db, wf);
      expect(second.done).toEqual(['name']);
      expect(second.outputs).toEqual(first.outputs);
      const end = await applyStoppingAt(Infinity, second);
      expect(end.status, end.error ?? '').toBe('succeeded');
      expect(end.nodes.name).toMatchObject({ status: 'skipped', reason: 'done_before' });
      expect(findColumn(findTable(await db.dialect.introspect(db.driver), 'orders')!, 'checked_by')).toBeDefined();
    });

    it('refuses to resume a workflow changed since, naming the node, unless forced', async () => {
      const db = await databases(dialect);
      await createOrders(db, 2000);
      await cancelledInBackfill(db);
      const edited = zeroDowntime('varchar(200)');
      await expect(resumePoint(db, edited)).rejects.toThrow(ResumeRefused);
      await expect(resumePoint(db, edited)).rejects.toThrow(
        /the workflow changed since run [0-9a-f]{8}: node "add_note" edited; resume anyway with --force/,
      );
      expect((await resumePoint(db, edited, { force: true })).done).toEqual(['add_note']);
    });

    it('refuses a run id that names no run, and a workflow never run here', async () => {
      const db = await databases(dialect);
      await createOrders(db, 100);
      await expect(resumePoint(db, zeroDowntime())).rejects.toThrow(
        'no run of workflow "zero downtime" is recorded on this database: there is nothing to resume',
      );
      await expect(resumePoint(db, zeroDowntime(), { runId: 'abc' })).rejects.toThrow(/no run "abc" is recorded/);
    });
  });
}
