/**
 * One target of a fleet applied: the ordinary run `dataflow run` makes (engine/run.ts
 * `runWorkflow` in apply mode, with the preflight plan, the safety review, the drift check, the
 * migration lock and the run record on the target), reported as a `TargetOutcome`. The fleet's
 * local runner (waves.ts) and the job queue's worker both apply a target through `runTarget`.
 */
import type { RunEvent, RunResult } from '../../shared/run.ts';
import type { Workflow } from '../../shared/workflow.ts';
import type { Database } from '../db/connect.ts';
import type { Driver } from '../db/driver.ts';
import { listRuns, type RunRecord } from '../db/run-records.ts';
import { runWorkflow, type RunOptions } from '../engine/run.ts';
import { workflowChecksum } from '../engine/run-record.ts';
import type { DbTarget } from '../worker/targets.ts';
import { FleetTargetError, openFleetTarget, type TargetError, type TargetErrorKind } from './target-error.ts';
import { dbTargetOf, type FleetTarget } from './targets.ts';

/** A target ready to open: its label, and where it connects (the password read only when opened). */
export interface OpenableTarget {
  label: string;
  /** The connection as messages show it (no password). */
  connectionLabel: string;
  /** Builds the worker's target, password included; throws when the password cannot be had. */
  connect(): DbTarget;
  /** better-sqlite3's binary for this process (the desktop app's main process), when not the default. */
  nativeBinding?: string;
}

/** A target of a targets file or query, its password from the environment (targets.ts `dbTargetOf`). */
export function openable(target: FleetTarget, env: NodeJS.ProcessEnv = process.env): OpenableTarget {
  return { label: target.label, connectionLabel: target.connectionLabel, connect: () => dbTargetOf(target, env) };
}

/** How one target ended. Plain data: it goes to the history, the matrix, the JSON output and the queue. */
export interface TargetOutcome {
  label: string;
  connection: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  /** The run's id in the target's own run records (`dataflow runs`); null when it never opened. */
  runId: string | null;
  /** True when the target's records show this very workflow applied already: `runId` is that run, nothing ran now. */
  alreadyApplied: boolean;
  error: TargetError | null;
  startedAt: string;
  durationMs: number;
}

/** What `runTarget` hands back: the outcome, and the run's full result and schema snapshots when it ran. */
export interface TargetRun {
  outcome: TargetOutcome;
  result: RunResult | null;
  /** Schema snapshot hash -> encoded, as the app's history keeps them (AppStore.addRun). */
  snapshots: Record<string, string>;
}

/** What a target's apply takes from the fleet: the same choices `dataflow run` offers. */
export type TargetRunOptions = Pick<
  RunOptions,
  'runId' | 'signal' | 'trustCode' | 'review' | 'acceptDrift' | 'lockWaitMs' | 'backupMaxRows' | 'resume'
> & {
  /** Every event of the target's run, as it happens. */
  onEvent?: (event: RunEvent) => void;
  /** Wraps the target's driver (the run worker reads its control port before each statement). */
  wrapDriver?: (driver: Driver) => Driver;
};

const KIND_OF_CODE: Partial<Record<string, TargetErrorKind>> = {
  migration_lock_held: 'lock_held',
  schema_drift: 'drift',
  lint_refused: 'lint_refused',
};

/** The error of a run that did not succeed, named after the target. */
function runError(label: string, result: RunResult): TargetError | null {
  if (result.status === 'succeeded') return null;
  if (result.status === 'cancelled') return { kind: 'cancelled', message: `${label}: cancelled` };
  const kind = (result.errorCode && KIND_OF_CODE[result.errorCode]) ?? 'failed';
  const failed = result.order.find((id) => result.nodes[id]?.status === 'failed');
  const why = result.error ?? (failed && result.nodes[failed]?.error?.message) ?? 'the run failed';
  return { kind, message: `${label}: ${why}` };
}

/**
 * The target's newest recorded run of this very workflow (same checksum, engine/run-record.ts)
 * when it succeeded: the workflow is applied there, and planning it again would read its own
 * later nodes' changes as conflicts. Null when it never ran there or its newest run did not succeed.
 */
export async function appliedBefore(db: Database, workflow: Workflow): Promise<RunRecord | null> {
  const checksum = workflowChecksum(workflow);
  const last = (await listRuns(db)).find((r) => r.workflowChecksum === checksum);
  return last?.state === 'succeeded' ? last : null;
}

/**
 * Applies `workflow` to one target, unless its records show it applied already (`appliedBefore`:
 * the outcome is `succeeded`, `alreadyApplied`, nothing run). Never throws for the target's own faults (it cannot be
 * opened, a node fails, the lock is held): they are the outcome's `error`. An invalid workflow
 * throws (`WorkflowError`), as it would for every target.
 */
export async function runTarget(
  workflow: Workflow,
  target: OpenableTarget,
  options: TargetRunOptions,
): Promise<TargetRun> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const ended = (error: TargetError): TargetRun => ({
    outcome: {
      label: target.label,
      connection: target.connectionLabel,
      status: error.kind === 'cancelled' ? 'cancelled' : 'failed',
      runId: null,
      alreadyApplied: false,
      error,
      startedAt,
      durationMs: performance.now() - t0,
    },
    result: null,
    snapshots: {},
  });
  if (options.signal?.aborted)
    return ended({ kind: 'cancelled', message: `${target.label}: cancelled before it started` });
  const { wrapDriver, ...run } = options;
  let db: Database;
  try {
    db = await openFleetTarget(target.label, target.connect(), target.nativeBinding);
    if (wrapDriver) db = { ...db, driver: wrapDriver(db.driver) };
  } catch (e) {
    if (e instanceof FleetTargetError) return ended(e.error);
    return ended({ kind: 'bad_credentials', message: `${target.label}: ${(e as Error).message}` });
  }
  const snapshots = new Map<string, string>();
  try {
    const applied = await appliedBefore(db, workflow);
    if (applied)
      return {
        outcome: {
          label: target.label,
          connection: target.connectionLabel,
          status: 'succeeded',
          runId: applied.runId,
          alreadyApplied: true,
          error: null,
          startedAt,
          durationMs: performance.now() - t0,
        },
        result: null,
        snapshots: {},
      };
    const result = await runWorkflow(workflow, db, {
      ...run,
      mode: 'apply',
      // A resumed run is part-way already: its nodes are planned from the live schema as they
      // run, as dataflow run --resume does.
      preflight: run.resume === undefined,
      driftCheck: true,
      snapshots,
    });
    return {
      outcome: {
        label: target.label,
        connection: target.connectionLabel,
        status: result.status,
        runId: result.runId,
        alreadyApplied: false,
        error: runError(target.label, result),
        startedAt,
        durationMs: performance.now() - t0,
      },
      result,
      snapshots: Object.fromEntries(snapshots),
    };
  } finally {
    await db.driver.close();
  }
}
