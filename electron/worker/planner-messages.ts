/**
 * Messages between the host and a warm planning worker (planning-worker.ts): one long-lived
 * `worker_threads` thread per saved connection, opened with the connection's target in
 * `workerData` (PlannerInit). The host sends requests, each with an id; the worker answers each
 * once, in the order they came (one at a time: they share one database session), with the value
 * or the error as data. `forget` has no answer: the database changed (a run, a refresh), so the
 * worker drops its cached schema, its kept node plans and its session.
 */
import type { ErrorData } from '../../shared/errors.ts';
import type { LintConfig } from '../../shared/lint/config.ts';
import type { LintReport } from '../../shared/lint/finding.ts';
import type { RunResult, RunSubset } from '../../shared/run.ts';
import type { Schema } from '../../shared/schema.ts';
import type { DbTarget } from './targets.ts';

export interface PlannerInit {
  target: DbTarget;
  nativeBinding?: string;
}

/** What each request kind is answered with. */
export interface PlannerAnswers {
  /** A plan (RunOptions mode plan), with the simulated schemas when `plannedSchemas` (a draft: the editor's document). */
  plan: RunResult;
  /** The safety review of the workflow (electron/engine/review.ts `reviewWorkflow`). */
  lint: LintReport;
  /** The live schema, read once and kept until `forget` (or read again with `refresh`). */
  schema: Schema;
}

export type PlannerRequest = { id: number } & (
  | {
      kind: 'plan';
      text: string;
      trustCode: boolean;
      subset?: RunSubset;
      plannedSchemas: boolean;
      /** The read of the live schema whose outline the requester holds (PlannedSchemas.live): left out of the answer. */
      haveLive?: string;
    }
  | { kind: 'lint'; text: string; config: LintConfig }
  | { kind: 'schema'; refresh: boolean }
);

export type PlannerMessage = PlannerRequest | { kind: 'forget' };

export type PlannerReply =
  | { id: number; ok: true; value: PlannerAnswers[keyof PlannerAnswers] }
  /** The error by code, node and field, password removed; the host rebuilds its class (worker-errors.ts). */
  | { id: number; ok: false; error: ErrorData };
