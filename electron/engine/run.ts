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
import { readDeferredTables } from '../../shared/deferred-tables.ts';
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
import { driftLines, driftRefusal, hasDrift, type DriftReport, type RunDrift } from '../../shared/drift.ts';
import type { Schema } from '../../shared/schema.ts';
import {
  WorkflowError,
  nothingToRun,
  subsetNodes,
  validateWorkflow,
  type Workflow,
  type WorkflowNode,
} from '../../shared/workflow.ts';
import type { Database } from '../db/connect.ts';
import { acquireMigrationLock, type MigrationLock } from '../db/migration-lock.ts';
import { failRunMigrations, finishRunMigrations } from '../db/migration-records.ts';
import type { LintFinding } from '../../shared/lint/finding.ts';
import { describeStanding, standingErrors, type RunReview } from '../../shared/lint/waiver.ts';
import { RunSession } from './context.ts';
import { reviewBeforeApply, type ReviewOptions } from './review.ts';
import { checkDrift } from './drift.ts';
import { RunRecorder } from './run-record.ts';
import type { PlanMemo } from './plan-memo.ts';
import { PlannedSchemaRecorder } from './planned-schemas.ts';
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
  /**
   * Apply only: lint before apply (docs/lint.md). The plan is reviewed on the target and the
   * apply refused (`lint_refused`, nothing run) while an error-level finding stands that no
   * waiver covers; the review and the waivers that applied are kept in `RunResult.review`.
   */
  review?: ReviewOptions;
  /**
   * Apply: receives the schema snapshots (hash -> encoded, electron/db/schema-snapshot.ts) that
   * the nodes' `schemaBefore` / `schemaAfter` name, for a record kept elsewhere (the app's store).
   */
  snapshots?: Map<string, string>;
  /**
   * Apply: first compare the live schema with the schema the last recorded apply left, and the
   * workflow's completed migrations with its nodes now (docs/recovery.md); on a difference the
   * apply is refused (`schema_drift`, nothing run) unless `acceptDrift`. The CLI and the app turn
   * it on; off by default, like `preflight`, so tests can change a database between applies.
   */
  driftCheck?: boolean;
  /**
   * Plan only: keep the simulated schema before and after each node in `RunResult.plannedSchemas`
   * (the editor's inspector offers its tables and columns).
   */
  plannedSchemas?: boolean;
  /**
   * Plan only: the workflow is a draft (`validateWorkflow`'s `draft`): a node whose params are not
   * valid fails in the plan with their problem; the rest is planned (the editor's plan).
   */
  draft?: boolean;
  /** The user accepted the drift the check finds: the run goes on and keeps it (`RunResult.drift`). */
  acceptDrift?: boolean;
  /**
   * Resumes a recorded run (docs/recovery.md): the nodes it completed (`done`: succeeded, or
   * skipped by routing) are skipped `done_before` and count as run for the nodes after them; the
   * others run as a partial run does, planned from the live schema; a data node continues from its
   * checkpoint. `outputs`: the recorded outputs of the `done` nodes (by id), given to the nodes
   * after them as if they had run now. Not with `subset`.
   */
  resume?: { runId: string; done: readonly string[]; outputs?: Readonly<Record<string, unknown>> };
  /**
   * Rows a prior backup may hold (docs/recovery.md, "Prior backups"), for every node that does not
   * set its own `backup_max_rows`; 0 keeps no backup. Default DEFAULT_BACKUP_MAX_ROWS.
   */
  backupMaxRows?: number;
  /**
   * Plan only: the live schema as just read from the database (the warm planner's cache,
   * electron/worker/planner-state.ts); the plan reads none itself. Never changed in place.
   */
  schema?: Schema;
  /** Plan with `schema` only: reuses the plans of the nodes that see what they saw in its last plan. */
  memo?: PlanMemo;
  /** Plan with `schema` and `plannedSchemas`: an id of `schema`'s read, kept in `PlannedSchemas.live`. */
  schemaRead?: string;
}

/**
 * The result of a rehearse/apply that its preflight plan, its review or its drift check stopped before anything
 * was written: every blocking node failed with the reason given for it, every other node not_run,
 * an empty diff.
 */
function refused(
  workflow: Workflow,
  db: Database,
  options: RunOptions,
  runId: string,
  plan: Pick<RunResult, 'order' | 'nodes' | 'warnings' | 'durationMs'>,
  blockers: ReadonlyMap<string, string>,
  extra: Pick<RunResult, 'errorCode' | 'review' | 'drift'> & { error?: string } = {},
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
    const reason = blockers.get(id);
    if (reason !== undefined) {
      const failed = plan.nodes[id]!;
      reasons.push(reason);
      nodes[id] = { ...failed, status: 'failed', error: { ...failed.error, message: reason } };
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
    ...extra,
    error: extra.error ?? reasons.join('; '),
  };
  emit({ type: 'run_finished', runId, result });
  return result;
}

/** The nodes of `plan` a review's standing errors are on, each with the reason the apply is refused. */
function refusedByReview(plan: RunResult, standing: readonly LintFinding[]): Map<string, string> {
  const byNode = new Map<string, string>();
  for (const id of plan.order) {
    const own = standing.filter((f) => f.node === id);
    if (own.length > 0)
      byNode.set(
        id,
        `the safety review refuses to apply node "${id}" while an error stands, so nothing was run: ${describeStanding(own)}. Change the node, or waive the finding with a reason`,
      );
  }
  return byNode;
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
  return runPass(workflow, db, options, {});
}

/** What one pass of a run hands to the next: the schema a preflight plan read from the database. */
interface Handover {
  schemaRead?: Schema;
}

async function runPass(workflow: Workflow, db: Database, options: RunOptions, handover: Handover): Promise<RunResult> {
  const draft = options.draft === true && options.mode === 'plan';
  const errors = validateWorkflow(workflow, { draft }).filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new WorkflowError(errors);
  const idle = options.mode === 'plan' ? null : nothingToRun(workflow);
  if (idle) throw new WorkflowError([{ message: idle, severity: 'error' }]);
  const layout = layoutRun(workflow);
  const done = new Map((options.resume?.done ?? []).map((id) => [id, options.resume?.outputs?.[id]]));
  const part: RunSubset | undefined = options.resume
    ? { only: workflow.nodes.map((n) => n.id).filter((id) => !done.has(id)) }
    : options.subset;
  const subset = part ? subsetNodes(workflow, part) : null;
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
  // The drift check, under the lock too: the database as the last recorded apply left it?
  let drift: RunDrift | undefined;
  if (mode === 'apply' && options.driftCheck && !lockFailure) {
    let report: DriftReport;
    try {
      report = await checkDrift(db, workflow);
    } catch (e) {
      await lock?.release().catch(() => {});
      throw e;
    }
    if (hasDrift(report)) {
      drift = { report, accepted: options.acceptDrift === true };
      if (!drift.accepted) {
        await lock?.release().catch(() => {});
        const nothingPlanned = { order: layout.order, nodes: {}, warnings: [], durationMs: 0 };
        return refused(workflow, db, options, runId, nothingPlanned, new Map(), {
          errorCode: 'schema_drift',
          error: driftRefusal(report, db.driver.label),
          drift,
        });
      }
    }
  }
  const reviewing = mode === 'apply' && options.review !== undefined;
  let review: RunReview | undefined;
  // The preflight plan reads the schema as the run starts from: the run takes it as its schema before.
  const preflight: Handover = {};
  if (mode !== 'plan' && (options.preflight || reviewing) && !lockFailure) {
    let plan: RunResult;
    try {
      plan = await runPass(
        workflow,
        db,
        {
          mode: 'plan',
          runId,
          signal: options.signal,
          trustCode: options.trustCode,
          preflight: false,
          subset: part,
        },
        preflight,
      );
    } catch (e) {
      await lock?.release().catch(() => {});
      throw e;
    }
    const blockers = new Map<string, string>();
    for (const id of options.preflight ? plan.order : []) {
      const node = plan.nodes[id];
      const type = workflow.nodes.find((n) => n.id === id)?.type ?? '';
      if (node?.status === 'failed' && nodeDescription(type)?.writes)
        blockers.set(
          id,
          `node "${id}" cannot succeed on ${db.driver.label}, so nothing was run: ${node.error?.message ?? 'plan failed'}`,
        );
    }
    const releaseLock = () =>
      lock?.release().catch((e: unknown) => plan.warnings.push(`could not release the migration lock: ${message(e)}`));
    if (blockers.size > 0) {
      await releaseLock();
      return refused(workflow, db, options, runId, plan, blockers);
    }
    if (reviewing) {
      try {
        review = await reviewBeforeApply(workflow, plan, db, options.review!);
      } catch (e) {
        await releaseLock();
        throw e;
      }
      const standing = standingErrors(review.findings, review.waivers);
      if (standing.length > 0) {
        await releaseLock();
        return refused(workflow, db, options, runId, plan, refusedByReview(plan, standing), {
          errorCode: 'lint_refused',
          review,
        });
      }
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
  if (options.backupMaxRows !== undefined) session.backupMaxRows = options.backupMaxRows;
  if (mode === 'plan' && options.schema) {
    session.primeRead(options.schema);
    session.memo = options.memo ?? null;
  }
  const runWarning = (text: string) => {
    scheduler.warnings.push(text);
    emit({ type: 'warning', runId, nodeId: null, message: text });
  };
  // Every apply is recorded: per node its status, statements and the schema before and after it.
  const recorder = mode === 'apply' ? new RunRecorder(session, layout.order, true, runWarning) : null;
  const live = options.schema && options.schemaRead ? { schema: options.schema, read: options.schemaRead } : undefined;
  const planned = mode === 'plan' && options.plannedSchemas ? new PlannedSchemaRecorder(session, live) : null;
  const scheduler = new Scheduler(session, layout, signal, emit, subset, recorder, done, planned);
  const tracksSchema = recorder !== null || (mode !== 'plan' && running.some((n) => nodeDescription(n.type)?.writes));
  let status: RunStatus = 'failed';
  let error: string | null = null;
  let errorCode: ErrorCode | undefined;
  let diff: SchemaDiff | null = null;
  try {
    if (lockFailure) throw lockFailure;
    const before = tracksSchema ? (preflight.schemaRead ?? (await db.dialect.introspect(db.driver))) : null;
    if (before) {
      // The preflight plan deferred tables' details: they are read now, before a write could change them.
      readDeferredTables(before);
      session.primeLive(before);
    }
    // The run row keeps the drift the user accepted: the run it was compared with, and each change.
    const accepted = drift && { baseline: drift.report.baseline?.runId ?? null, changes: driftLines(drift.report) };
    if (recorder && before) await recorder.start(before, accepted ?? null, options.resume);
    if (mode === 'rehearse') await session.tx.open();
    let after: Schema | null = null;
    try {
      const outcome = await scheduler.run();
      status = outcome.status;
      error = outcome.error;
      handover.schemaRead = session.schemaRead ?? undefined;
      if (before) {
        try {
          after = await session.schema();
        } catch (e) {
          runWarning(`could not read the schema after the run, so there is no diff: ${message(e)}`);
        }
      }
    } finally {
      if (mode === 'rehearse') await session.tx.reset();
    }
    if (mode !== 'plan') diff = before && after ? diffSchemas(before, after) : { changes: [], tables: [] };
    scheduler.markNotRun();
    await recorder?.finish({ status, error }, after);
  } catch (e) {
    status = 'failed';
    error = message(e);
    errorCode = errorData(e).code;
    await session.tx.reset().catch((r: unknown) => runWarning(`could not roll back after the failure: ${message(r)}`));
    scheduler.markNotRun();
    await recorder?.finish({ status, error }, null);
  }
  if (recorder) for (const [hash, data] of recorder.snapshots) options.snapshots?.set(hash, data);
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
    ...(review !== undefined && { review }),
    ...(drift !== undefined && { drift }),
    ...(planned && { plannedSchemas: planned.result() }),
    ...(options.resume && { resumed: { runId: options.resume.runId, done: [...options.resume.done] } }),
  };
  emit({ type: 'run_finished', runId, result });
  return result;
}
