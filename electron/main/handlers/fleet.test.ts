/**
 * The editor's fleets run off the host's main thread (one worker thread per fleet, as single runs
 * are): the host's event loop stays free while SQLite targets backfill, and cancel stops the
 * fleet between statements. Real SQLite targets, the real store and worker, a recording sender.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppEvent } from '../../../shared/ipc.ts';
import type { RunMatrix } from '../../../shared/fleet.ts';
import { parseWorkflow, serializeWorkflow } from '../../../shared/workflow.ts';
import { testCore, type TestCore } from '../../../test/app-core.ts';
import { example } from '../../../test/dataflow-cli.ts';
import { sqliteFleet } from '../../../test/fleet-targets.ts';
import { node, workflow } from '../../../test/workflows.ts';
import { openDatabase } from '../../db/connect.ts';
import { listRuns } from '../../db/run-records.ts';

let core: TestCore;
beforeAll(async () => {
  core = testCore({ demoRows: 20 });
  await core.context.ready;
});
afterAll(() => core.close());

const fleetEvents = (fleetId: string) =>
  core.sender.events.flatMap((e: AppEvent) =>
    e.type === 'fleet' && ('fleetId' in e.event ? e.event.fleetId : e.event.matrix.fleetId) === fleetId
      ? [e.event]
      : [],
  );

async function finished(fleetId: string, timeoutMs = 60_000): Promise<RunMatrix> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
    const last = fleetEvents(fleetId).find((e) => e.type === 'fleet_finished');
    if (last?.type === 'fleet_finished') return last.matrix;
  }
  throw new Error(`fleet ${fleetId} did not finish within ${timeoutMs / 1000} s`);
}

/**
 * The longest the host's event loop may stall while the fleet runs. Its statements take hundreds
 * of milliseconds each (a backfill batch of 393,216 rows, the NOT NULL constraint's table
 * rebuild): with the fleet in the host's thread the loop stalled 286 and 344 ms (load 7-9, 2
 * cores); in a worker, 18 and 46 ms, what the busy worker and the other processes leave the host.
 */
const STALL_LIMIT_MS = 200;

it('plans and runs a fleet of SQLite targets with a backfill off the main thread: the host never stalls long, History records it', async () => {
  // 4 targets of 393,216 orders; the zero-downtime example, its backfill in one batch of them all.
  const fleet = sqliteFleet(4, { doublings: 17, inMemory: true });
  const zdt = parseWorkflow(readFileSync(example('zero-downtime'), 'utf8')).workflow;
  const backfill = zdt.nodes.find((n) => n.id === 'phase2_backfill')!;
  backfill.params = { ...backfill.params, batch_size: 400_000, batch_target_ms: 0 };
  const text = serializeWorkflow(zdt);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  // The plan matrix is made in a worker too.
  const plan = await core.call('fleet.plan', { text, targets: { file: fleet.file } });
  expect(plan.targets.map((t) => t.status)).toEqual(Array(4).fill('would_apply'));
  const { fleetId } = await core.call('fleet.start', {
    text,
    targets: { file: fleet.file },
    canary: 1,
    parallel: 2,
    onError: 'stop',
    pause: false,
    acceptDrift: false,
  });
  const matrix = await finished(fleetId);
  delay.disable();
  const stallMs = delay.max / 1e6;
  console.log(
    `host event loop during the plan and the fleet: longest stall ${stallMs.toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`,
  );
  expect(matrix.status, JSON.stringify(matrix.targets.map((t) => t.error))).toBe('succeeded');
  expect(matrix.counts.succeeded).toBe(4);
  expect(stallMs).toBeLessThan(STALL_LIMIT_MS);
  // Live events reached the sender, and History has the fleet and each target's run.
  expect(fleetEvents(fleetId).some((e) => e.type === 'target_changed' && e.row.currentNode === 'phase2_backfill')).toBe(
    true,
  );
  expect((await core.call('fleet.get', { fleetId }))?.targets.map((t) => t.status)).toEqual(Array(4).fill('succeeded'));
  for (const t of matrix.targets) expect(core.context.store.getRun(t.runId!)?.status).toBe('succeeded');
});

/** A backfill slow enough to cancel: batches of 1 row, 100 ms apart. */
const slow = workflow(
  [
    node('refill_tax', 'DataBackfillNode', {
      table: 'orders',
      update_field: 'tax',
      calculation: 'tax',
      where: 'id > 0',
      batch_size: 1,
      batch_target_ms: 0,
      pause_ms: 100,
    }),
  ],
  [],
  'slow_fleet',
);

it('cancels a fleet between statements: the running targets are cancelled, the rest skipped, each record closed', async () => {
  const fleet = sqliteFleet(4);
  const { fleetId } = await core.call('fleet.start', {
    text: serializeWorkflow(slow),
    targets: { file: fleet.file },
    canary: 0,
    parallel: 2,
    onError: 'stop',
    pause: false,
    acceptDrift: false,
  });
  for (const end = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error('no target of the fleet started its backfill');
    if (fleetEvents(fleetId).some((e) => e.type === 'target_changed' && e.row.currentNode === 'refill_tax')) break;
  }
  expect(await core.call('fleet.cancel', { fleetId })).toEqual({ cancelled: true });
  const cancelledAt = Date.now();
  const matrix = await finished(fleetId);
  expect(Date.now() - cancelledAt).toBeLessThan(5000);
  expect(matrix.status).toBe('cancelled');
  expect(matrix.targets.map((t) => t.status).sort()).toEqual(['cancelled', 'cancelled', 'skipped', 'skipped']);
  for (const t of matrix.targets.filter((r) => r.status === 'cancelled')) {
    const db = await openDatabase(`sqlite:${fleet.paths[Number(t.label.slice(1)) - 1]}`);
    try {
      expect((await listRuns(db)).map((r) => r.status)).toEqual(['cancelled']);
    } finally {
      await db.driver.close();
    }
  }
  expect(await core.call('fleet.cancel', { fleetId })).toEqual({ cancelled: false });
});
