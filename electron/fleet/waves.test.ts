/**
 * The local fleet runner on real SQLite files: a hundred targets in waves with failures collected
 * and resumed, the canary stopping the fleet, --on-error stop, --max-failures, and cancel.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../shared/workflow.ts';
import { exampleText } from '../../test/examples.ts';
import { ORDERS_SQL, sqliteFleet } from '../../test/fleet-targets.ts';
import { renderRunMatrix, type RunMatrix } from './matrix.ts';
import { openable } from './run-target.ts';
import { readTargetsFile } from './targets.ts';
import { planWaves, runFleet, type FleetEvent, type FleetRunOptions } from './waves.ts';

const { workflow } = parseWorkflow(exampleText('zero-downtime'));

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fleet of `n` SQLite targets, those at `broken` (0-based) without the orders table. */
async function fleetOf(n: number, broken: number[] = [], doublings = 0) {
  const fleet = sqliteFleet(n, { inMemory: true, doublings });
  dirs.push(fleet.dir);
  for (const i of broken) {
    const db = new Database(fleet.paths[i]!);
    db.exec('DROP TABLE orders');
    db.close();
  }
  const { targets } = await readTargetsFile(fleet.file);
  return { ...fleet, targets: targets.map((t) => openable(t)) };
}

function runs(path: string): { status: string }[] {
  const db = new Database(path, { readonly: true });
  try {
    const recorded = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'dataflow_runs'").get();
    return recorded ? (db.prepare('SELECT status FROM dataflow_runs').all() as { status: string }[]) : [];
  } finally {
    db.close();
  }
}

const statuses = (m: RunMatrix) => m.targets.map((t) => t.status);

describe('fleet waves', () => {
  it('splits the targets into a canary and waves', () => {
    const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(planWaves(labels, {})).toEqual([['a'], ['b', 'c', 'd', 'e', 'f']]);
    expect(planWaves(labels, { canary: 2, wave: 3 })).toEqual([['a', 'b'], ['c', 'd', 'e'], ['f']]);
    expect(planWaves(labels, { canary: 0, wave: 4 })).toEqual([[], ['a', 'b', 'c', 'd'], ['e', 'f']]);
  });

  it('applies 100 targets with --on-error continue, collects the failures, and a resume runs only those', async () => {
    const broken = [10, 50, 99];
    const fleet = await fleetOf(100, broken);
    const events: FleetEvent[] = [];
    const options: FleetRunOptions = { parallel: 4, wave: 33, onError: 'continue', onEvent: (e) => events.push(e) };
    const first = await runFleet(workflow, fleet.targets, [], options);
    expect(first.status).toBe('failed');
    expect(first.counts).toMatchObject({ succeeded: 97, failed: 3, skipped: 0 });
    const failed = first.targets.filter((t) => t.status === 'failed');
    expect(failed.map((t) => t.label)).toEqual(['t011', 't051', 't100']);
    for (const t of failed)
      expect(t.error!.message).toMatch(new RegExp(`^${t.label}: node "phase1_add" cannot succeed on sqlite:.*orders`));
    expect(first.targets.map((t) => t.wave)).toEqual([
      0,
      ...Array.from({ length: 99 }, (_, i) => 1 + Math.floor(i / 33)),
    ]);
    expect(
      events.filter((e) => e.type === 'wave_started').map((e) => e.type === 'wave_started' && e.labels.length),
    ).toEqual([1, 33, 33, 33]);
    // At most 4 targets ran at once.
    let running = 0;
    let most = 0;
    for (const e of events) {
      if (e.type === 'target_changed' && e.row.status === 'running' && e.row.runId === null)
        most = Math.max(most, ++running);
      if (e.type === 'target_finished') running--;
    }
    expect(most).toBe(4);
    expect(runs(fleet.paths[0]!)).toEqual([{ status: 'succeeded' }]);
    expect(renderRunMatrix(first)).toMatch(/^t011 +1 +failed .*\n {4}failed: t011: node "phase1_add"/m);

    for (const i of broken) {
      const db = new Database(fleet.paths[i]!);
      db.exec(ORDERS_SQL);
      db.close();
    }
    const done = new Map(first.targets.filter((t) => t.status === 'succeeded').map((t) => [t.label, t.runId]));
    const ran: string[] = [];
    const resumed = await runFleet(workflow, fleet.targets, [], {
      ...options,
      fleetId: first.fleetId,
      done,
      onEvent: (e) => void (e.type === 'target_finished' && ran.push(e.row.label)),
    });
    expect(ran).toEqual(['t011', 't051', 't100']);
    expect(resumed).toMatchObject({ fleetId: first.fleetId, status: 'succeeded', counts: { succeeded: 100 } });
    expect(resumed.targets[0]!.runId).toBe(first.targets[0]!.runId);
    for (const i of broken) expect(runs(fleet.paths[i]!)).toEqual([{ status: 'succeeded' }]);
  });

  it('stops when the canary fails, on the first failure with --on-error stop, and at --max-failures', async () => {
    const fleet = await fleetOf(8, [0, 3, 4, 6]);
    const canary = await runFleet(workflow, fleet.targets, [], { onError: 'continue' });
    expect(canary).toMatchObject({ status: 'stopped', stopReason: 'the canary failed' });
    expect(statuses(canary)).toEqual(['failed', ...Array(7).fill('skipped')]);
    expect(runs(fleet.paths[1]!)).toEqual([]);

    const rest = fleet.targets.slice(1);
    const stop = await runFleet(workflow, rest, [], { parallel: 1 });
    expect(stop).toMatchObject({ status: 'stopped', stopReason: 'a target failed (--on-error stop)' });
    expect(statuses(stop)).toEqual(['succeeded', 'succeeded', 'failed', 'skipped', 'skipped', 'skipped', 'skipped']);

    const most = await runFleet(workflow, rest, [], { parallel: 1, onError: 'continue', maxFailures: 2 });
    expect(most).toMatchObject({ status: 'stopped', stopReason: '2 targets failed (--max-failures 2)' });
    expect(statuses(most)).toEqual(['succeeded', 'succeeded', 'failed', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(most.targets[0]!.runId).toBe(stop.targets[0]!.runId);
  });

  it('asks before each wave after the canary, and stops when not confirmed', async () => {
    const fleet = await fleetOf(5);
    const asked: [number, readonly string[]][] = [];
    const m = await runFleet(workflow, fleet.targets, [], {
      wave: 2,
      confirm: async (wave, labels) => (asked.push([wave, labels]), wave < 2),
    });
    expect(asked).toEqual([
      [1, ['t002', 't003']],
      [2, ['t004', 't005']],
    ]);
    expect(m).toMatchObject({ status: 'stopped', stopReason: 'wave 2 was not confirmed' });
    expect(statuses(m)).toEqual(['succeeded', 'succeeded', 'succeeded', 'skipped', 'skipped']);
  });

  it('cancel starts no new target and cancels the running ones through the engine', async () => {
    // 3 rows doubled 12 times: a backfill of 12,288 rows in batches of 1,000 to cancel between.
    const fleet = await fleetOf(6, [], 12);
    const controller = new AbortController();
    const m = await runFleet(workflow, fleet.targets, [], {
      canary: 0,
      parallel: 2,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'target_changed' && e.row.currentNode === 'phase2_backfill') controller.abort();
      },
    });
    expect(m.status).toBe('cancelled');
    expect(m.counts.cancelled).toBeGreaterThanOrEqual(1);
    expect(m.counts.succeeded).toBe(0);
    expect(m.counts.skipped).toBe(6 - m.counts.cancelled);
    const cancelled = m.targets.find((t) => t.status === 'cancelled')!;
    expect(cancelled.runId).not.toBeNull();
    expect(runs(fleet.paths[Number(cancelled.label.slice(1)) - 1]!)).toEqual([{ status: 'cancelled' }]);
  });
});
