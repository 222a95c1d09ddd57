/**
 * Messages between the main process and a run worker (worker_threads). One worker per job: it
 * gets the job in `workerData`, posts events and exactly one final message (`result`, `demo` or
 * `failed`), then exits. Cancellation arrives on `cancelPort`; the worker also polls that port
 * synchronously before every statement, so a synchronous SQLite run sees it between statements.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ErrorData } from '../../shared/errors.ts';
import type { LintConfig } from '../../shared/lint/config.ts';
import type { LintWaiver } from '../../shared/lint/waiver.ts';
import type { RunEvent, RunMode, RunResult, RunSubset } from '../../shared/run.ts';
import type { DbTarget } from './targets.ts';

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
  | { kind: 'demo'; target: DbTarget; rows?: number; force: boolean };

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
  /**
   * The job failed: the error by code, node and field (a DataflowError's own, anything else
   * `failed`), password removed; the main side rebuilds its class (electron/main/worker-errors.ts).
   */
  | { type: 'failed'; error: ErrorData };

export interface CancelMessage {
  type: 'cancel';
}
