/**
 * What a run produces: per-node lifecycle events (n8n's nodeExecuteBefore/After) and the run
 * result. The CLI, the app store and the canvas all consume the same stream. Plain data only.
 */
import type { RunReview } from './lint/waiver.ts';
import type { ErrorCode } from './errors.ts';
import type { SchemaDiff } from './diff-types.ts';
import type { RunDrift } from './drift.ts';
import type { PlannedSchemas } from './planned-schema.ts';

/** plan: no writes, exact SQL from the live schema; rehearse: run in one transaction, roll back; apply: commit. */
export type RunMode = 'plan' | 'rehearse' | 'apply';

/**
 * `rolled_back`: the node succeeded inside a TransactionScopeNode whose transaction then rolled
 * back (a later member failed, or the run was cancelled), so nothing it did remains; the scope
 * node itself is `rolled_back` too. `not_run`: the run stopped before the node (apply, rehearse),
 * or, in plan mode, the node runs after a failed one.
 */
export type NodeStatus = 'succeeded' | 'failed' | 'skipped' | 'not_run' | 'cancelled' | 'rolled_back';
export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

/** One statement a node ran (or, in plan mode, would run). */
export interface ExecutedStep {
  sql: string;
  comment: string;
  transactional: boolean;
  /** Rows affected, where the statement reports it; null in plan mode. */
  rowsAffected: number | null;
  /** How long the statement took, in milliseconds (run or failed); absent for a step that was not run. */
  durationMs?: number;
  /** True when the step was reported but not run (plan mode, or non-transactional in rehearse). */
  notRun?: boolean;
  /** True when the step loses data or structure (drops); apply asks for confirmation listing these. */
  destructive?: boolean;
  /** True when the transaction commits after this step, before the next one (a lock released early). */
  commitAfter?: boolean;
  /** The database's error, when this statement failed (its node failed with it). */
  error?: string;
  /**
   * True for the product's own bookkeeping (migration records, batch checkpoints, prior backups):
   * not counted in the node's rows, not part of the safety review.
   */
  bookkeeping?: true;
}

export interface NodeError {
  message: string;
  /** The param at fault, when one is. */
  field?: string;
  /** The form label of `field` (`Column` for `column_name`), when the inspector shows it under one. */
  label?: string;
  /** Database error code (SQLSTATE or SQLite code), when the database raised it. */
  code?: string;
}

/**
 * Why a `skipped` node did not run, when it is not a Switch's routing: `disabled` (the node is
 * disabled in the workflow file), `outside_run` (the run covered only part of the workflow),
 * `done_before` (a resumed run: the run it resumes completed the node, docs/recovery.md).
 */
export type SkipReason = 'disabled' | 'outside_run' | 'done_before';

/**
 * A run of part of a workflow (the editor's "run from here", "run only this node", a group's
 * run): `from` runs that node and every node downstream of it (over connections and Switch
 * routes); `only` runs exactly the listed nodes. The other nodes are `skipped` (`outside_run`) and
 * count, for the nodes after them, as if they had run before (their outputs are not available).
 */
export type RunSubset = { from: string } | { only: string[] };

/**
 * A `succeeded` node that found its work done already, so it changed nothing: a
 * SchemaModificationNode whose change is in the schema exactly as it would make it
 * (`already_applied`), a MigrationNode recording a migration that is completed
 * (`already_completed`). `note` says what is there, for the run output, the card and the run panel.
 */
export interface NodeOutcome {
  kind: 'already_applied' | 'already_completed';
  note: string;
}

/** How a node outcome reads: `already applied`, `already completed`. */
export function outcomeLabel(outcome: NodeOutcome): string {
  return outcome.kind.replace('_', ' ');
}

export interface NodeResult {
  status: NodeStatus;
  /** Set on some skipped nodes: why (see SkipReason). */
  reason?: SkipReason;
  /** Set on a succeeded node that found its work done already (see NodeOutcome). */
  outcome?: NodeOutcome;
  startedAt: string | null;
  durationMs: number | null;
  outputs: Record<string, unknown>;
  sql: ExecutedStep[];
  rowsAffected: number;
  error: NodeError | null;
  warnings: string[];
  /** Information that needs no action (a serial column_type written as an identity column); absent when none. */
  notes?: string[];
  /**
   * Apply: the snapshot hashes (electron/db/schema-snapshot.ts) of the schema before and after
   * the node, as its run record keeps them (docs/recovery.md). Absent for a node that did not run.
   */
  schemaBefore?: string;
  schemaAfter?: string;
}

/** Progress of long work (backfills, data copies, rebuilds). */
export interface Progress {
  done: number;
  total: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
  message?: string;
}

export interface RunResult {
  runId: string;
  workflow: string;
  mode: RunMode;
  /** The connection's label, never its secrets. */
  connection: string;
  status: RunStatus;
  startedAt: string;
  durationMs: number;
  /** Node ids in run order. */
  order: string[];
  nodes: Record<string, NodeResult>;
  /** Schema diff of the tables the run touched (apply and rehearse); null in plan mode. */
  diff: SchemaDiff | null;
  /** Each MonitoringNode's snapshot and comparison, keyed by node id. */
  metrics: Record<string, unknown>;
  /** Last progress of each long-running node, keyed by node id. */
  progress: Record<string, Progress>;
  warnings: string[];
  error: string | null;
  /**
   * The code of `error` (shared/errors.ts) when the run failed outside its nodes: another run's
   * migration lock (`migration_lock_held`), a connection that could not open (`failed`)...
   * Absent when the run succeeded or a node failed (the node's result says why).
   */
  errorCode?: ErrorCode;
  /**
   * An apply that linted before it ran (the CLI and the editor): the safety review's findings on
   * the target and the waivers the user gave for its error-level ones. Refused (`lint_refused`)
   * when an error stood unwaived.
   */
  review?: RunReview;
  /**
   * An apply on a database that changed outside the product since its last recorded apply
   * (docs/recovery.md): refused (`schema_drift`, nothing run, `accepted` false) until the user
   * accepts it; a run the user let go on keeps the drift it accepted (`accepted` true).
   */
  drift?: RunDrift;
  /** A plan that asked for it (the editor's): the simulated schema before and after each node (shared/planned-schema.ts). */
  plannedSchemas?: PlannedSchemas;
  /**
   * A resumed apply (docs/recovery.md): the recorded run it continues and the nodes that run had
   * completed, skipped here (`done_before`).
   */
  resumed?: { runId: string; done: string[] };
}

export type RunEvent =
  | { type: 'run_started'; runId: string; mode: RunMode; workflow: string; order: string[]; at: string }
  | { type: 'node_started'; runId: string; nodeId: string; at: string }
  | { type: 'node_finished'; runId: string; nodeId: string; result: NodeResult }
  | { type: 'progress'; runId: string; nodeId: string; progress: Progress }
  | { type: 'warning'; runId: string; nodeId: string | null; message: string }
  | { type: 'run_finished'; runId: string; result: RunResult };

/** The result of a node that did not run (or has not yet): no time, outputs, SQL, rows or error. */
export function emptyNodeResult(status: NodeStatus): NodeResult {
  return {
    status,
    startedAt: null,
    durationMs: null,
    outputs: {},
    sql: [],
    rowsAffected: 0,
    error: null,
    warnings: [],
  };
}
