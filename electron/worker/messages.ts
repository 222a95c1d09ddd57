/**
 * Messages between the main process and a run worker (worker_threads). One worker per job: it
 * gets the job in `workerData`, posts events and exactly one final message (`result`, `demo`,
 * the fleet's `fleet_finished` event, `fleet_plan`, or `failed`), then exits. Cancellation (and a fleet's
 * answer at a pause) arrives on `cancelPort`; the worker also polls that port synchronously
 * before every statement, so a synchronous SQLite run sees it between statements.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ErrorData } from '../../shared/errors.ts';
import type { LintConfig } from '../../shared/lint/config.ts';
import type { LintWaiver } from '../../shared/lint/waiver.ts';
import type { InvalidTarget, PlanMatrix } from '../../shared/fleet.ts';
import type { RunEvent, RunMode, RunResult, RunSubset } from '../../shared/run.ts';
import type { FleetEvent, WaveOptions } from '../fleet/waves.ts';
import type { DbTarget } from './targets.ts';

/**
 * A fleet target as the main process hands it to the worker: where it connects (the password
 * read there, from the OS secret store or the environment), or why it cannot (the target's error).
 */
export type FleetJobTarget = { label: string; connectionLabel: string } & ({ target: DbTarget } | { error: string });

export type WorkerJob =
  | {
      kind: 'run';
      runId: string;
      /** Workflow JSON text, validated again in the worker. */
      text: string;
      mode: RunMode;
      trustCode: boolean;
      target: DbTarget;
      /** False for a plan whose events nobody watches (SQL export). */
      events: boolean;
      /** Part of the workflow to run; absent: all of it. */
      subset?: RunSubset;
      /** Apply: lint before apply with this configuration and these waivers (RunOptions.review). */
      review?: { config: LintConfig; waivers: LintWaiver[] };
      /** Apply: the user accepted the database's drift. */
      acceptDrift?: boolean;
      /** Apply: continue this recorded run (electron/engine/resume.ts); `force` although nodes changed since. */
      resume?: { runId: string; force: boolean };
    }
  | { kind: 'demo'; target: DbTarget; rows?: number; force: boolean }
  | {
      /** The editor's fleet (electron/fleet/waves.ts `runFleet`), every target's run in this worker. */
      kind: 'fleet';
      fleetId: string;
      /** Workflow JSON text, validated again in the worker. */
      text: string;
      targets: FleetJobTarget[];
      invalid: InvalidTarget[];
      waves: WaveOptions;
      /** Ask before each wave after the canary: a `wave_confirm` message, answered by `confirm`. */
      pause: boolean;
      trustCode: boolean;
      review: { config: LintConfig; waivers: LintWaiver[] };
      acceptDrift: boolean;
    }
  | {
      /** The editor's fleet plan (electron/fleet/plan-fleet.ts `planFleet`): nothing written. */
      kind: 'fleet_plan';
      text: string;
      targets: FleetJobTarget[];
      invalid: InvalidTarget[];
      config: LintConfig;
      trustCode: boolean;
    };

export interface WorkerInit {
  job: WorkerJob;
  nativeBinding?: string;
  cancelPort: MessagePort;
}

export type WorkerMessage =
  | { type: 'event'; event: RunEvent }
  /** `snapshots`: the encoded schemas (by hash) the nodes' `schemaBefore` / `schemaAfter` name (apply). */
  | { type: 'result'; result: RunResult; snapshots: Record<string, string> }
  | { type: 'demo'; counts: Record<string, number> }
  | { type: 'fleet'; event: FleetEvent }
  | { type: 'fleet_plan'; matrix: PlanMatrix }
  /** A fleet waits before `wave` for the main side's `confirm`. */
  | { type: 'wave_confirm'; wave: number; labels: string[] }
  /**
   * The job failed: the error by code, node and field (a DataflowError's own, anything else
   * `failed`), password removed; the main side rebuilds its class (electron/main/worker-errors.ts).
   */
  | { type: 'failed'; error: ErrorData };

/** From the main side, on the job's control port: stop between statements, or answer a fleet's pause. */
export type ControlMessage = { type: 'cancel' } | { type: 'confirm'; go: boolean };
