/**
 * The contract between the scheduler and the executors (one executor per node type, in
 * executors/, registered in executors/index.ts).
 */
import { DataflowError } from '../../shared/errors.ts';
import type { Schema } from '../../shared/schema.ts';
import type { Workflow, WorkflowNode } from '../../shared/workflow.ts';
import type { NodeOutcome, NodeResult, Progress, RunMode } from '../../shared/run.ts';
import type { Database } from '../db/connect.ts';
import type { LaterChange, Step } from '../db/dialect.ts';
import type { QueryResult } from '../db/driver.ts';

/**
 * A node failure (code `node_failed`) that names the param at fault. Executors throw it for bad
 * input and for database errors they explain; `databaseCode` keeps the database's own code
 * (SQLSTATE or SQLite code), which the node's result reports as `error.code`.
 */
export class NodeFailure extends DataflowError {
  /**
   * Outputs the node still reports although it failed (a MonitoringNode failing on degradation
   * keeps its snapshot and comparison in the run result).
   */
  outputs?: Record<string, unknown>;

  constructor(
    message: string,
    field?: string,
    readonly databaseCode?: string,
    node?: string,
  ) {
    super('node_failed', message, { field, node });
    this.name = 'NodeFailure';
  }
}

/**
 * Thrown when the run was cancelled (between statements, batches or nodes). The scheduler marks
 * the running node `cancelled`; executors let it propagate.
 */
export class RunCancelled extends DataflowError {
  constructor(message = 'the run was cancelled') {
    super('run_cancelled', message);
    this.name = 'RunCancelled';
  }
}

/** What an executor sees while it runs. */
export interface NodeContext<P = unknown> {
  readonly runId: string;
  readonly mode: RunMode;
  /**
   * True in the rehearse or apply pass that follows a passed preflight plan: the plan-time data
   * checks already ran, so a planner may leave to the statement what it enforces atomically.
   */
  readonly preflighted: boolean;
  readonly workflow: Workflow;
  readonly node: WorkflowNode;
  /** Params after `":field"` references were resolved, parsed by the type's schema (defaults filled). */
  readonly params: P;
  /** Inputs delivered by connections, keyed by target input name. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly db: Database;
  /** The schema as it is now: live in apply/rehearse (re-read after DDL), simulated in plan mode. */
  schema(): Promise<Schema>;
  /**
   * In plan mode, replaces the simulated schema (SchemaModificationNode hands over `plan.after`).
   * Ignored in the other modes, where the schema is re-read from the database.
   */
  setPlannedSchema(schema: Schema): void;
  /** The workflow's SchemaModificationNodes that run after this one (SchemaPlanOptions.later). */
  laterChanges(): readonly LaterChange[];
  /**
   * Runs steps atomically: in one transaction, or a savepoint inside a scope or rehearse.
   * Non-transactional steps run on their own (in rehearse they are reported, not run; inside a
   * TransactionScope they are an error), and outside a scope and rehearse the transaction also
   * commits after a `commitAfter` step; when a later step fails, what had committed is undone by
   * the steps' `reverse`. In plan mode nothing runs: the steps are recorded. Checks for
   * cancellation between statements. Returns rows affected.
   * `tables`: the tables the steps change (their definition or their rows); the live schema
   * then reads only those again. Without it, the whole schema is read again.
   */
  execute(steps: readonly Step[], tables?: readonly string[]): Promise<number>;
  /**
   * Runs `fn` as one atomic unit: every `execute` call inside commits together when `fn` returns,
   * and is undone together when it throws (a transaction, or a savepoint inside a scope or
   * rehearse). For a step whose SQL needs what an earlier one did, such as a checkpoint recording
   * the rows its batch updated. Only transactional steps; let errors propagate. In plan mode `fn`
   * just runs (its steps are recorded).
   */
  atomic<T>(fn: () => Promise<T>): Promise<T>;
  /** A read-only query (introspection, checks, status reads); not recorded as the node's SQL. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Reports progress of long work; streamed as a `progress` event. */
  progress(progress: Progress): void;
  /** Adds a warning to the node and the run. */
  warn(message: string): void;
  /** Adds information that needs no action to the node (NodeResult.notes). */
  note(message: string): void;
  /** Marks the node as having found its work done already (NodeOutcome): it ran no statement. */
  setOutcome(outcome: NodeOutcome): void;
  /** Results of nodes that ran before this one. */
  readonly results: ReadonlyMap<string, NodeResult>;
  /**
   * Aborted when the run is cancelled or the enclosing TransactionScope's timeout passes; child
   * processes and waits listen to it.
   */
  readonly signal: AbortSignal;
  /** Throws RunCancelled when cancelled, or a NodeFailure when the enclosing scope timed out. */
  throwIfCancelled(): void;
  /** True when the user confirmed the workflow's code (CLI `--trust-code`); code nodes refuse to run otherwise. */
  readonly trustCode: boolean;
  /** Id of the TransactionScopeNode this node runs inside, or null. */
  readonly scope: string | null;
  /**
   * The run's limit of a prior backup, in rows (RunOptions.backupMaxRows, default
   * DEFAULT_BACKUP_MAX_ROWS): a step that would back up more warns and keeps none, unless its node
   * sets `backup_max_rows` higher; 0 keeps none.
   */
  readonly backupMaxRows: number;
  /**
   * Plan mode: this node's outputs are known only when it really runs (code nodes). Downstream
   * params that read them are not planned (those nodes are skipped with a warning) instead of failing.
   */
  markOutputsUnknown(reason: string): void;
}

export interface Executor<P = unknown> {
  /**
   * Outputs of the node. The engine adds `result`, holding every other output as a field, unless
   * the executor returns its own `result` object (then the other outputs are merged into it).
   */
  run(ctx: NodeContext<P>): Promise<Record<string, unknown>>;
}
