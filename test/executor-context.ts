/**
 * A minimal NodeContext for running one executor against a real database in tests, without the
 * scheduler: `execute` and `atomic` run in a transaction of their own (or inside the one open),
 * `execute` records its steps and runs nothing in plan mode; `schema()` introspects, or returns what `setPlannedSchema` handed over.
 */
import { DEFAULT_BACKUP_MAX_ROWS } from '../electron/db/backups.ts';
import type { Database } from '../electron/db/connect.ts';
import type { Step } from '../electron/db/dialect.ts';
import { NodeFailure, RunCancelled, type Executor, type NodeContext } from '../electron/engine/types.ts';
import type { ExecutedStep, NodeOutcome, NodeResult, RunMode } from '../shared/run.ts';
import type { Schema } from '../shared/schema.ts';
import { executionOrder, type Workflow } from '../shared/workflow.ts';
import { LaterChanges } from '../electron/engine/later-changes.ts';

export interface TestContext<P> extends NodeContext<P> {
  readonly warnings: string[];
  /** What `note` added. */
  readonly notes: string[];
  /** What `setOutcome` set, if anything. */
  readonly outcome: NodeOutcome | null;
  /** Steps passed to `execute`, run or (plan mode) only recorded. */
  readonly executed: Step[];
}

export function testContext<P>(opts: {
  db: Database;
  mode: RunMode;
  workflow: Workflow;
  nodeId: string;
  params: P;
  runId?: string;
  results?: ReadonlyMap<string, NodeResult>;
  plannedSchema?: Schema;
}): TestContext<P> {
  const node = opts.workflow.nodes.find((n) => n.id === opts.nodeId);
  if (!node) throw new Error(`no node ${opts.nodeId} in the test workflow`);
  const { db } = opts;
  const warnings: string[] = [];
  const notes: string[] = [];
  const executed: Step[] = [];
  let planned = opts.plannedSchema;
  /** Runs `fn` in a transaction of its own, or inside the one already open. */
  const inTransaction = async <T>(fn: () => Promise<T>): Promise<T> => {
    const own = !db.driver.inTransaction();
    if (own) await db.driver.query(db.dialect.beginSql());
    try {
      const value = await fn();
      if (own) await db.driver.query('COMMIT');
      return value;
    } catch (e) {
      if (own && db.driver.inTransaction()) await db.driver.query('ROLLBACK');
      throw e;
    }
  };
  const controller = new AbortController();
  let outcome: NodeOutcome | null = null;
  return {
    runId: opts.runId ?? 'test-run',
    mode: opts.mode,
    preflighted: false,
    backupMaxRows: DEFAULT_BACKUP_MAX_ROWS,
    workflow: opts.workflow,
    node,
    params: opts.params,
    inputs: {},
    db,
    trustCode: false,
    scope: null,
    warnings,
    executed,
    results: opts.results ?? new Map(),
    signal: controller.signal,
    async schema() {
      return opts.mode === 'plan' && planned ? planned : db.dialect.introspect(db.driver);
    },
    laterChanges() {
      const order = executionOrder(opts.workflow) ?? opts.workflow.nodes.map((n) => n.id);
      return new LaterChanges(opts.workflow, order).after(node.id);
    },
    setPlannedSchema(schema) {
      planned = schema;
    },
    async execute(steps) {
      executed.push(...steps);
      if (opts.mode === 'plan') return 0;
      return inTransaction(async () => {
        let rows = 0;
        for (const s of steps) rows += await db.dialect.executeStep(db.driver, s);
        return rows;
      });
    },
    async atomic(fn) {
      return opts.mode === 'plan' ? fn() : inTransaction(fn);
    },
    query: (sql, params) => db.driver.query(sql, params),
    progress() {},
    warn(message) {
      warnings.push(message);
    },
    notes,
    note(message) {
      notes.push(message);
    },
    get outcome() {
      return outcome;
    },
    setOutcome(o) {
      outcome = o;
    },
    throwIfCancelled() {
      if (controller.signal.aborted) throw new RunCancelled();
    },
    markOutputsUnknown() {},
  };
}

/** Runs an executor; returns its outputs, or the NodeFailure it threw as `failure`. */
export async function runExecutor<P>(
  executor: Executor<P>,
  ctx: TestContext<P>,
): Promise<{ outputs: Record<string, unknown> | null; failure: NodeFailure | null }> {
  try {
    return { outputs: await executor.run(ctx), failure: null };
  } catch (e) {
    if (e instanceof NodeFailure) return { outputs: null, failure: e };
    throw e;
  }
}

/** A succeeded node's result holding the SQL it ran, for `ctx.results`. */
export function ranSql(sql: readonly string[], outputs: Record<string, unknown> = {}): NodeResult {
  const steps: ExecutedStep[] = sql.map((s) => ({ sql: s, comment: '', transactional: true, rowsAffected: 0 }));
  return {
    status: 'succeeded',
    startedAt: new Date().toISOString(),
    durationMs: 1,
    outputs,
    sql: steps,
    rowsAffected: 0,
    error: null,
    warnings: [],
  };
}
