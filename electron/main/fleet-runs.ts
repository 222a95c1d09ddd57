/**
 * The editor's fleet plans and fleets in flight (handlers/fleet.ts): one run worker each (electron/worker/
 * fleet-job.ts), as single runs have theirs (run-manager.ts), so that the targets' statements
 * never block the host's event loop. The fleet's events reach the listener as the worker posts
 * them (each scrubbed of its target's password); a pause between waves reaches `onConfirm` and
 * waits for `confirm`; `cancel` stops the fleet between statements and terminates its worker
 * when it has not stopped after CANCEL_GRACE_MS. A fleet whose worker died or was terminated
 * still ends with `fleet_finished`, from the rows it reported.
 */
import type { FleetStatus, FleetTargetRow, PlanMatrix, RunMatrix } from '../../shared/fleet.ts';
import { countStatuses } from '../fleet/matrix.ts';
import type { FleetEvent } from '../fleet/waves.ts';
import { startJob, type JobHandle } from '../worker/client.ts';
import type { WorkerJob } from '../worker/messages.ts';
import { scrubDeep, type DbTarget } from '../worker/targets.ts';
import { CANCEL_GRACE_MS } from './run-manager.ts';
import { rebuildError } from './worker-errors.ts';

export type FleetJob = Extract<WorkerJob, { kind: 'fleet' }>;

export interface FleetListener {
  /** Every event of the fleet, `fleet_started` first and `fleet_finished` last. */
  onEvent(event: FleetEvent): void;
  /** The fleet waits before `wave` for `confirm`. */
  onConfirm(wave: number, labels: string[]): void;
}

interface LiveFleet {
  job: JobHandle;
  /** The worker waits for an answer to its `wave_confirm`. */
  waiting: boolean;
  cancelled: boolean;
}

export class FleetRuns {
  private readonly live = new Map<string, LiveFleet>();

  constructor(private readonly options: { nativeBinding?: string; workerEntry?: URL }) {}

  /** Starts the fleet's worker; its events go to `listener`. */
  start(job: FleetJob, workflowName: string, listener: FleetListener): void {
    const targets = new Map(job.targets.flatMap((t) => ('target' in t ? [[t.label, t.target] as const] : [])));
    const rows = new Map<string, FleetTargetRow>(
      job.targets.map((t) => [t.label, pendingRow(t.label, t.connectionLabel)]),
    );
    let matrix: RunMatrix | null = null;
    let failure: string | null = null;
    let finished = false;
    const relay = (event: FleetEvent) => {
      if (event.type === 'fleet_started') matrix = event.matrix;
      if (event.type === 'fleet_started' || event.type === 'fleet_finished')
        for (const row of event.matrix.targets) rows.set(row.label, row);
      else if ('row' in event) rows.set(event.row.label, event.row);
      if (event.type === 'fleet_finished') {
        if (finished) return;
        finished = true;
        this.live.delete(job.fleetId);
      }
      listener.onEvent(scrubFleetEvent(event, targets));
    };
    const fleet: LiveFleet = {
      waiting: false,
      cancelled: false,
      job: startJob(job, {
        entry: this.options.workerEntry,
        nativeBinding: this.options.nativeBinding,
        onMessage: (m) => {
          if (m.type === 'fleet') relay(m.event);
          else if (m.type === 'wave_confirm') {
            fleet.waiting = true;
            listener.onConfirm(m.wave, m.labels);
          } else if (m.type === 'failed') failure = m.error.message;
        },
      }),
    };
    this.live.set(job.fleetId, fleet);
    void fleet.job.ended.then((error) => {
      if (finished) return;
      // The worker ended without its fleet_finished: terminated after a cancel, or it died.
      const list = [...rows.values()].map((r) =>
        r.status === 'running'
          ? { ...r, status: 'cancelled' as const, currentNode: null }
          : r.status === 'pending'
            ? { ...r, status: 'skipped' as const }
            : r,
      );
      const status: FleetStatus = fleet.cancelled ? 'cancelled' : 'failed';
      const started: RunMatrix = matrix ?? {
        kind: 'run',
        fleetId: job.fleetId,
        workflow: workflowName,
        startedAt: new Date().toISOString(),
        status: 'running',
        stopReason: null,
        targets: list,
        counts: countStatuses(list),
      };
      if (!matrix) relay({ type: 'fleet_started', matrix: started });
      const why = fleet.cancelled
        ? 'cancelled'
        : `the fleet stopped unexpectedly: ${failure ?? error?.message ?? 'its worker ended without a result'}`;
      relay({
        type: 'fleet_finished',
        matrix: { ...started, status, stopReason: why, targets: list, counts: countStatuses(list) },
      });
    });
  }

  /** Plans the fleet in a worker (nothing written); rejects when the worker fails. */
  plan(job: Extract<WorkerJob, { kind: 'fleet_plan' }>): Promise<PlanMatrix> {
    const targets = job.targets.flatMap((t) => ('target' in t ? [t.target] : []));
    return new Promise((resolve, reject) => {
      const handle = startJob(job, {
        entry: this.options.workerEntry,
        nativeBinding: this.options.nativeBinding,
        onMessage: (m) => {
          if (m.type === 'fleet_plan') resolve(targets.reduce((matrix, target) => scrubDeep(matrix, target), m.matrix));
          else if (m.type === 'failed') reject(rebuildError(m.error));
        },
      });
      void handle.ended.then((e) => reject(e ?? new Error('planning the fleet stopped without a result')));
    });
  }

  /** Answers the fleet's pause; false when it waits for none. */
  confirm(fleetId: string, go: boolean): boolean {
    const fleet = this.live.get(fleetId);
    if (!fleet?.waiting) return false;
    fleet.waiting = false;
    fleet.job.confirm(go);
    return true;
  }

  /** Starts no new target and cancels the running ones; false when the fleet is not running. */
  cancel(fleetId: string): boolean {
    const fleet = this.live.get(fleetId);
    if (!fleet) return false;
    fleet.cancelled = true;
    fleet.waiting = false;
    fleet.job.cancel();
    const timer = setTimeout(() => void fleet.job.terminate(), CANCEL_GRACE_MS);
    void fleet.job.ended.then(() => clearTimeout(timer));
    return true;
  }

  /** Stops every fleet and waits for the workers to end (app quit, host stop). */
  async stopAll(): Promise<void> {
    const fleets = [...this.live.values()];
    for (const fleet of fleets) {
      fleet.cancelled = true;
      await fleet.job.terminate();
    }
    await Promise.all(fleets.map((f) => f.job.ended));
  }
}

function pendingRow(label: string, connection: string): FleetTargetRow {
  return {
    label,
    connection,
    wave: null,
    status: 'pending',
    runId: null,
    error: null,
    startedAt: null,
    durationMs: null,
  };
}

/** The event without the password of the target it is about (of every target, for a matrix). */
function scrubFleetEvent(event: FleetEvent, targets: ReadonlyMap<string, DbTarget>): FleetEvent {
  const about = 'row' in event ? [targets.get(event.row.label)] : [...targets.values()];
  return about.reduce<FleetEvent>((e, target) => (target ? scrubDeep(e, target) : e), event);
}
