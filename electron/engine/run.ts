/**
 * Runs a workflow against one database in a mode (docs/nodes.md, "Running"):
 * - plan: nothing is written (no lock, no tracking tables); every node reports the SQL it would run
 *   against the live schema as simulated by the nodes before it.
 * - rehearse: everything runs inside one transaction (each node in a savepoint) that is rolled back
 *   at the end; the result reports the diff as if applied.
 * - apply: each node commits on its own (TransactionScopes group nodes into one transaction).
 * Rehearse and apply hold the migration lock for the whole run when a MigrationNode records a status,
 * taken before the preflight plan, so the plan sees what a run that held the lock before finished.
 * Events: `run_started`; per node `node_started` then `node_finished` (a node that never starts:
 * skipped by routing, or not_run, gets `node_finished` only; a scope whose commit fails gets a
 * second `node_finished`, now failed); `progress`, `warning`; `run_finished`.
 */
import { randomUUID } from 'node:crypto';
import { diffSchemas } from '../../shared/diff.ts';
import { errorData, type ErrorCode } from '../../shared/errors.ts';
import { nodeDescription } from '../../shared/nodes/index.ts';
import {
  emptyNodeResult,
  type RunEvent,
  type RunMode,
  type RunResult,
  type RunStatus,
  type RunSubset,
} from '../../shared/run.ts';
import type { SchemaDiff } from '../../shared/diff-types.ts';
import type { Schema } from '../../shared/schema.ts';
import {
  WorkflowError,
  subsetNodes,
  validateWorkflow,
  type Workflow,
  type WorkflowNode,
} from '../../shared/workflow.ts';
import type { Database } from '../db/connect.ts';
import { acquireMigrationLock, type MigrationLock } from '../db/migration-lock.ts';
import { failRunMigrations, finishRunMigrations } from '../db/migration-records.ts';
import { RunSession } from './context.ts';
import { Scheduler } from './scheduler.ts';
import { layoutRun } from './scopes.ts';

export interface RunOptions {
  mode: RunMode;
  /** Defaults to a new UUID. */
  runId?: string;
  /** Cancels the run between statements, batches and nodes. */
  signal?: AbortSignal;
  /** Receives every run event as it happens; an exception it throws is ignored. */
  onEvent?: (event: RunEvent) => void;
  /** The user confirmed the workflow's code (CLI `--trust-code`); code nodes refuse to run without it. */
  trustCode?: boolean;
  /** How long to wait for another run's migration lock (default: the lock module's). */
  lockWaitMs?: number;
  /**
   * Rehearse and apply first plan the whole workflow (no writes) and refuse to start when a node
   * that writes cannot succeed (a missing table, NOT NULL without default on a table with rows...),
   * so a change that fails in its third node does not leave the first two applied. The CLI and
   * the app turn it on; off by default so the engine's own run-time semantics stay observable.
   */
  preflight?: boolean;
  /**
   * Runs only part of the workflow (see RunSubset); the other nodes are skipped (`outside_run`).
   * The preflight plans the same part. Disabled nodes are skipped (`disabled`) in every run.
   */
  subset?: RunSubset;
}

/**
 * The result of a rehearse/apply that its preflight plan stopped before anything was written:
 * every blocking node (a node that writes and failed in the plan) failed with its plan error,
 * every other node not_run, an empty diff.
 */
function refusedByPlan(
  workflow: Workflow,
  db: Database,
  options: RunOptions,
  runId: string,
  plan: RunResult,
  blockers: readonly string[],
): RunResult {
  const emit = (event: RunEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not change the run.
    }
  };
  const startedAt = new Date().toISOString();
  emit({ type: 'run_started', runId, mode: options.mode, workflow: workflow.name, order: plan.order, at: startedAt });
  const reasons: string[] = [];
  const nodes: RunResult['nodes'] = {};
  for (const id of plan.order) {
    const failed = plan.nodes[id]!;
    if (blockers.includes(id)) {
      const reason = `node "${id}" cannot succeed on ${db.driver.label}, so nothing was run: ${failed.error?.message ?? 'plan failed'}`;
      reasons.push(reason);
      nodes[id] = { ...failed, error: { ...failed.error, message: reason } };
    } else {
      nodes[id] = emptyNodeResult('not_run');
    }
    emit({ type: 'node_finished', runId, nodeId: id, result: nodes[id] });
  }
  const result: RunResult = {
    runId,
    workflow: workflow.name,
    mode: options.mode,
    connection: db.driver.label,
    status: 'failed',
    startedAt,
    durationMs: plan.durationMs,
    order: plan.order,
    nodes,
    diff: { changes: [], tables: [] },
    metrics: {},
    progress: {},
    warnings: plan.warnings,
    error: reasons.join('; '),
  };
  emit({ type: 'run_finished', runId, result });
  return result;
}

/** True for a MigrationNode that writes a status (the ones that need the migration lock). */
function recordsMigration(n: WorkflowNode): boolean {
  return n.type === 'MigrationNode' && (n.params.action ?? 'record') === 'record';
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Validates and runs the workflow. Throws WorkflowError for an invalid workflow; every other
 * problem (a failed node, a held lock, a lost connection) is reported in the result.
 */
export async function runWorkflow(workflow: Workflow, db: Database, options: RunOptions): Promise<RunResult> {
  const errors = validateWorkflow(workflow).filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new WorkflowError(errors);
  const layout = layoutRun(workflow);
  const subset = options.subset ? subsetNodes(workflow, options.subset) : null;
  const { mode } = options;
  const runId = options.runId ?? randomUUID();
  const running = workflow.nodes.filter((n) => !n.disabled && (!subset || subset.has(n.id)));
  const needsLock = mode !== 'plan' && running.some(recordsMigration);
  // The lock first, then the preflight: a run that waited for another one plans against the state
  // that run finished with, not a half-done one. A lock not granted fails the run below.
  let lock: MigrationLock | null = null;
  let lockFailure: unknown = null;
  if (needsLock) {
    try {
      lock = await acquireMigrationLock(
        db,
        { runId, workflow: workflow.name },
        { waitMs: options.lockWaitMs, dropCreatedTable: mode === 'rehearse' },
      );
    } catch (e) {
      lockFailure = e;
    }
  }
  if (mode !== 'plan' && options.preflight && !lockFailure) {
    let plan: RunResult;
    try {
      plan = await runWorkflow(workflow, db, {
        mode: 'plan',
        runId,
        signal: options.signal,
        trustCode: options.trustCode,
        preflight: false,
        subset: options.subset,
      });
    } catch (e) {
      await lock?.release().catch(() => {});
      throw e;
    }
    const blockers = plan.order.filter((id) => {
      const node = plan.nodes[id];
      const type = workflow.nodes.find((n) => n.id === id)?.type ?? '';
      return node?.status === 'failed' && nodeDescription(type)?.writes;
    });
    if (blockers.length > 0) {
      await lock
        ?.release()
        .catch((e: unknown) => plan.warnings.push(`could not release the migration lock: ${message(e)}`));
      return refusedByPlan(workflow, db, options, runId, plan, blockers);
    }
  }
  const signal = options.signal ?? new AbortController().signal;
  const emit = (event: RunEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not change the run.
    }
  };
  const startedAt = new Date();
  const t0 = performance.now();
  emit({ type: 'run_started', runId, mode, workflow: workflow.name, order: layout.order, at: startedAt.toISOString() });

  const session = new RunSession(
    db,
    mode,
    runId,
    workflow,
    options.trustCode ?? false,
    new Map(),
    mode !== 'plan' && options.preflight === true,
  );
  const scheduler = new Scheduler(session, layout, signal, emit, subset);
  const runWarning = (text: string) => {
    scheduler.warnings.push(text);
    emit({ type: 'warning', runId, nodeId: null, message: text });
  };
  const tracksSchema = mode !== 'plan' && running.some((n) => nodeDescription(n.type)?.writes);
  let status: RunStatus = 'failed';
  let error: string | null = null;
  let errorCode: ErrorCode | undefined;
  let diff: SchemaDiff | null = null;
  try {
    if (lockFailure) throw lockFailure;
    const before = tracksSchema ? await db.dialect.introspect(db.driver) : null;
    if (before) session.primeLive(before);
    if (mode === 'rehearse') await session.tx.open();
    let after: Schema | null = null;
    try {
      const outcome = await scheduler.run();
      status = outcome.status;
      error = outcome.error;
      if (before) {
        try {
          after = await db.dialect.introspect(db.driver);
        } catch (e) {
          runWarning(`could not read the schema after the run, so there is no diff: ${message(e)}`);
        }
      }
    } finally {
      if (mode === 'rehearse') await session.tx.reset();
    }
    if (mode !== 'plan') diff = before && after ? diffSchemas(before, after) : { changes: [], tables: [] };
  } catch (e) {
    status = 'failed';
    error = message(e);
    errorCode = errorData(e).code;
    await session.tx.reset().catch((r: unknown) => runWarning(`could not roll back after the failure: ${message(r)}`));
  }
  scheduler.markNotRun();
  if (lock) {
    if (mode === 'apply' && status !== 'succeeded') {
      await failRunMigrations(db, runId, error ?? 'the run failed').catch((e: unknown) =>
        runWarning(`could not mark this run's migrations failed: ${message(e)}`),
      );
    } else if (mode === 'apply') {
      await finishRunMigrations(db, runId).catch((e: unknown) =>
        runWarning(`could not set this run's running migrations back to pending: ${message(e)}`),
      );
    }
    await lock.release().catch((e: unknown) => runWarning(`could not release the migration lock: ${message(e)}`));
  }

  const result: RunResult = {
    runId,
    workflow: workflow.name,
    mode,
    connection: db.driver.label,
    status,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - t0,
    order: layout.order,
    nodes: Object.fromEntries(layout.order.map((id) => [id, session.results.get(id)!])),
    diff,
    metrics: scheduler.metrics,
    progress: scheduler.progress,
    warnings: scheduler.warnings,
    error,
    ...(errorCode !== undefined && { errorCode }),
  };
  emit({ type: 'run_finished', runId, result });
  return result;
}
