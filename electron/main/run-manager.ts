/**
 * The run manager: the runs in flight, one worker each, their events relayed to the sender that
 * started them, each result written to the history before `run_finished` is relayed. A run whose
 * worker fails or is terminated still ends with a `run_finished` and a history entry, built from
 * what it reported.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../../shared/errors.ts';
import type { LintConfig } from '../../shared/lint/config.ts';
import type { LintWaiver } from '../../shared/lint/waiver.ts';
import {
  emptyNodeResult,
  type NodeResult,
  type RunEvent,
  type RunMode,
  type RunResult,
  type RunStatus,
  type RunSubset,
} from '../../shared/run.ts';
import type { AppStore } from '../store/store.ts';
import { startJob, type JobHandle } from '../worker/client.ts';
import type { WorkerJob } from '../worker/messages.ts';
import { scrubDeep, type DbTarget } from '../worker/targets.ts';
import type { IpcSender } from './ipc-table.ts';
import { rebuildError } from './worker-errors.ts';

/** How long a cancelled run may take to stop by itself before its worker is terminated. */
export const CANCEL_GRACE_MS = 10_000;

export interface RunRequest {
  sender: IpcSender;
  text: string;
  workflowName: string;
  /** Node ids in run order, for a result the worker could not produce. */
  order: string[];
  mode: RunMode;
  trustCode: boolean;
  target: DbTarget;
  connectionId: string;
  connectionName: string;
  filePath: string | null;
  /** Part of the workflow to run; absent: all of it. */
  subset?: RunSubset;
  /** Apply: lint before apply (the configuration that applies, the user's waivers). */
  review?: { config: LintConfig; waivers: LintWaiver[] };
  /** Apply: the user accepted the database's drift (docs/recovery.md). */
  acceptDrift?: boolean;
  /** Apply: continue this recorded run (docs/recovery.md); `force` although nodes changed since. */
  resume?: { runId: string; force: boolean };
}

interface ActiveRun {
  job: JobHandle;
  cancelled: boolean;
}

export interface RunnerOptions {
  store: AppStore;
  nativeBinding?: string;
  workerEntry?: URL;
  /** Told after a rehearse or apply on a connection ended: its database may have changed (Planners.forget). */
  changed?(connectionId: string): void;
}

export class RunManager {
  private readonly active = new Map<string, ActiveRun>();

  constructor(private readonly options: RunnerOptions) {}

  /** Starts the run; answers its id at once. */
  start(req: RunRequest): string {
    const runId = randomUUID();
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const nodes = new Map<string, NodeResult>();
    let started = false;
    let finished = false;
    const relay = (event: RunEvent) => req.sender.send({ type: 'run', event });
    const finish = (result: RunResult, snapshots: Readonly<Record<string, string>> = {}) => {
      if (finished) return;
      finished = true;
      this.active.delete(runId);
      if (req.mode !== 'plan') this.options.changed?.(req.connectionId);
      const clean = scrubResult(result, req.target);
      this.options.store.addRun(
        clean,
        { connectionId: req.connectionId, connectionName: req.connectionName, filePath: req.filePath },
        snapshots,
      );
      if (!started)
        relay({
          type: 'run_started',
          runId,
          mode: req.mode,
          workflow: req.workflowName,
          order: req.order,
          at: startedAt,
        });
      relay({ type: 'run_finished', runId, result: clean });
    };
    const synthesize = (status: RunStatus, error: string, errorCode?: ErrorCode): RunResult => ({
      runId,
      workflow: req.workflowName,
      mode: req.mode,
      connection: req.target.label,
      status,
      startedAt,
      durationMs: performance.now() - t0,
      order: req.order,
      nodes: Object.fromEntries(
        req.order.map((id) => [id, nodes.get(id) ?? emptyNodeResult(status === 'cancelled' ? 'cancelled' : 'not_run')]),
      ),
      diff: null,
      metrics: {},
      progress: {},
      warnings: [],
      error,
      ...(errorCode !== undefined && { errorCode }),
    });

    const job: WorkerJob = {
      kind: 'run',
      runId,
      text: req.text,
      mode: req.mode,
      trustCode: req.trustCode,
      target: req.target,
      events: true,
      ...(req.subset ? { subset: req.subset } : {}),
      ...(req.review ? { review: req.review } : {}),
      ...(req.acceptDrift ? { acceptDrift: true } : {}),
      ...(req.resume ? { resume: req.resume } : {}),
    };
    const handle = startJob(job, {
      entry: this.options.workerEntry,
      nativeBinding: this.options.nativeBinding,
      onMessage: (m) => {
        if (m.type === 'event') {
          if (m.event.type === 'run_finished') return;
          if (m.event.type === 'run_started') started = true;
          if (m.event.type === 'node_finished') nodes.set(m.event.nodeId, m.event.result);
          relay(scrubEvent(m.event, req.target));
        } else if (m.type === 'result') finish(m.result, m.snapshots);
        else if (m.type === 'failed') finish(synthesize('failed', m.error.message, m.error.code));
      },
    });
    const run: ActiveRun = { job: handle, cancelled: false };
    this.active.set(runId, run);
    void handle.ended.then((error) => {
      this.active.delete(runId);
      if (run.cancelled) finish(synthesize('cancelled', 'the run was cancelled'));
      else finish(synthesize('failed', `the run stopped unexpectedly: ${error?.message ?? 'no result'}`));
    });
    return runId;
  }

  /** Asks a run to stop; its worker is terminated if it has not stopped after CANCEL_GRACE_MS. */
  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.cancelled = true;
    run.job.cancel();
    const timer = setTimeout(() => void run.job.terminate(), CANCEL_GRACE_MS);
    void run.job.ended.then(() => clearTimeout(timer));
    return true;
  }

  /** Creates the demo tables on the target (the SQLite file is created when missing). */
  demo(target: DbTarget, rows: number | undefined, force: boolean): Promise<Record<string, number>> {
    return new Promise((resolve, reject) => {
      const handle = startJob(
        { kind: 'demo', target, rows, force },
        {
          entry: this.options.workerEntry,
          nativeBinding: this.options.nativeBinding,
          onMessage: (m) => {
            if (m.type === 'demo') resolve(m.counts);
            else if (m.type === 'failed') reject(rebuildError(m.error));
          },
        },
      );
      void handle.ended.then((e) => reject(e ?? new Error('creating the demo database stopped without a result')));
    });
  }

  /** How many runs are going. */
  get running(): number {
    return this.active.size;
  }

  /** Cancels every run and waits for the workers to end (app quit, host stop). */
  async stopAll(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) {
      run.cancelled = true;
      await run.job.terminate();
    }
    await Promise.all(runs.map((r) => r.job.ended));
  }
}

function scrubResult(result: RunResult, target: DbTarget): RunResult {
  return target.kind === 'postgres' && target.password ? scrubDeep(result, target) : result;
}

function scrubEvent(event: RunEvent, target: DbTarget): RunEvent {
  return target.kind === 'postgres' && target.password ? scrubDeep(event, target) : event;
}
