/**
 * The NodeContext an executor runs with: atomic execution of dialect steps (a transaction, or a
 * savepoint inside a scope or rehearse; split where a step commits early, undone by `reverse`
 * when a later one fails), the live or planned schema, warnings, progress and cancellation.
 */
import type { PlanMemo } from './plan-memo.ts';
import { DEFAULT_BACKUP_MAX_ROWS } from '../db/backups.ts';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Schema } from '../../shared/schema.ts';
import type { Workflow, WorkflowNode } from '../../shared/workflow.ts';
import type { ExecutedStep, NodeOutcome, NodeResult, Progress, RunMode } from '../../shared/run.ts';
import type { Database } from '../db/connect.ts';
import type { LaterChange, Step } from '../db/dialect.ts';
import { DatabaseError, type QueryResult } from '../db/driver.ts';
import { Transactions } from './transactions.ts';
import { NodeFailure, RunCancelled, type NodeContext } from './types.ts';

/**
 * The transactions a node's steps run in on their own (apply outside a scope): a run of
 * transactional steps ending at a `commitAfter` step or before a non-transactional one, which
 * runs alone.
 */
function commitGroups(steps: readonly Step[]): { transactional: boolean; steps: Step[] }[] {
  const groups: { transactional: boolean; steps: Step[] }[] = [];
  let open: Step[] | null = null;
  for (const step of steps) {
    if (!step.transactional) {
      open = null;
      groups.push({ transactional: false, steps: [step] });
      continue;
    }
    if (!open) groups.push({ transactional: true, steps: (open = []) });
    open.push(step);
    if (step.commitAfter) open = null;
  }
  return groups;
}

/** State shared by every node of one run. */
export class RunSession {
  /** The run's prior backup limit in rows (RunOptions.backupMaxRows). */
  backupMaxRows = DEFAULT_BACKUP_MAX_ROWS;
  /** Plan mode with a schema read given (RunOptions.schema): the node plans kept between plans. */
  memo: PlanMemo | null = null;
  readonly tx: Transactions;
  private live: Schema | null = null;
  /** Tables written since `live` was read: the next `schema()` reads only them again. */
  private stale = new Set<string>();
  private planned: Schema | null = null;
  /** Plan mode: the schema as read from the database, before any node's simulated change. */
  private read: Schema | null = null;

  constructor(
    readonly db: Database,
    readonly mode: RunMode,
    readonly runId: string,
    readonly workflow: Workflow,
    readonly trustCode: boolean,
    readonly results: Map<string, NodeResult>,
    /**
     * True in the rehearse or apply pass of a run whose preflight plan passed just before (every
     * plan-time data check ran then): planners may leave out the checks their statements enforce.
     */
    readonly preflighted = false,
  ) {
    this.tx = new Transactions(db);
  }

  /**
   * Live schema (cached; after a write the tables written are read again, after anything else
   * the whole schema) or, in plan mode, the simulated one. Schemas are never changed in place:
   * a change makes a new one, which shares the tables it did not change.
   */
  async schema(): Promise<Schema> {
    // A plan only reads, on a connection open until it ends: tables' details are read on first use.
    if (this.mode === 'plan')
      return (this.planned ??= this.read =
        await this.db.dialect.introspect(this.db.driver, undefined, { deferDetails: true }));
    if (this.live && this.stale.size > 0) {
      const tables = [...this.stale];
      this.stale.clear();
      this.live = await this.db.dialect.introspect(this.db.driver, { schema: this.live, tables });
    }
    return (this.live ??= await this.db.dialect.introspect(this.db.driver));
  }

  /** Plan mode: the schema the run read from the database (null when no node needed it). */
  get schemaRead(): Schema | null {
    return this.read;
  }

  /** Plan mode: takes `schema`, read from the database by the caller, as the schema the plan starts from. */
  primeRead(schema: Schema): void {
    if (this.mode === 'plan') this.planned = this.read = schema;
  }

  setPlannedSchema(schema: Schema): void {
    if (this.mode === 'plan') this.planned = schema;
  }

  /** Takes `schema`, just read from the database, as the live schema until the next write. */
  primeLive(schema: Schema): void {
    if (this.mode !== 'plan') {
      this.live = schema;
      this.stale.clear();
    }
  }

  /**
   * After writes and rollbacks: forgets the cached live schema, or with `tables` (what a write
   * changed) only those tables of it.
   */
  invalidate(tables?: readonly string[]): void {
    if (tables === undefined || this.live === null) {
      this.live = null;
      this.stale.clear();
    } else {
      for (const t of tables) this.stale.add(t);
    }
  }
}

/** An open TransactionScope, as the nodes inside it see it. */
export interface ScopeGuard {
  readonly id: string;
  readonly startedAt: number;
  /** Milliseconds, or null for no limit. */
  readonly timeoutMs: number | null;
}

export function scopeExpired(scope: ScopeGuard): boolean {
  return scope.timeoutMs !== null && performance.now() - scope.startedAt >= scope.timeoutMs;
}

export function scopeTimeoutFailure(scope: ScopeGuard): NodeFailure {
  const seconds = (scope.timeoutMs ?? 0) / 1000;
  return new NodeFailure(
    `transaction scope "${scope.id}" ran longer than its timeout of ${seconds} s and was stopped; raise the scope's timeout or move slow nodes out of it`,
  );
}

export interface NodeHooks {
  /** The workflow's SchemaModificationNodes after this node in the run (LaterChanges). */
  laterChanges(): readonly LaterChange[];
  warn(message: string): void;
  progress(progress: Progress): void;
  markOutputsUnknown(reason: string): void;
}

export class NodeRunContext<P = unknown> implements NodeContext<P> {
  /** Open `atomic` units of this node: their `execute` calls run in the unit's frame. */
  private units = 0;

  constructor(
    private readonly session: RunSession,
    readonly node: WorkflowNode,
    readonly params: P,
    readonly inputs: Readonly<Record<string, unknown>>,
    /** Open scopes, outermost first. */
    private readonly scopes: readonly ScopeGuard[],
    readonly signal: AbortSignal,
    private readonly runSignal: AbortSignal,
    private readonly result: NodeResult,
    private readonly hooks: NodeHooks,
  ) {}

  get runId(): string {
    return this.session.runId;
  }
  get mode(): RunMode {
    return this.session.mode;
  }
  get workflow(): Workflow {
    return this.session.workflow;
  }
  get db(): Database {
    return this.session.db;
  }
  get results(): ReadonlyMap<string, NodeResult> {
    return this.session.results;
  }
  get trustCode(): boolean {
    return this.session.trustCode;
  }
  get preflighted(): boolean {
    return this.session.preflighted;
  }
  get backupMaxRows(): number {
    return this.session.backupMaxRows;
  }
  get scope(): string | null {
    return this.scopes[this.scopes.length - 1]?.id ?? null;
  }

  schema(): Promise<Schema> {
    return this.session.schema();
  }

  setPlannedSchema(schema: Schema): void {
    this.session.setPlannedSchema(schema);
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.session.db.driver.query<R>(sql, params);
  }

  progress(progress: Progress): void {
    this.hooks.progress(progress);
  }

  laterChanges(): readonly LaterChange[] {
    return this.hooks.laterChanges();
  }

  warn(message: string): void {
    this.hooks.warn(message);
  }

  note(message: string): void {
    (this.result.notes ??= []).push(message);
  }

  setOutcome(outcome: NodeOutcome): void {
    this.result.outcome = outcome;
  }

  markOutputsUnknown(reason: string): void {
    if (this.mode === 'plan') this.hooks.markOutputsUnknown(reason);
  }

  throwIfCancelled(): void {
    if (this.runSignal.aborted) throw new RunCancelled();
    const expired = this.scopes.find(scopeExpired);
    if (expired) throw scopeTimeoutFailure(expired);
  }

  async execute(steps: readonly Step[], tables?: readonly string[]): Promise<number> {
    const inScope = this.scope;
    if (inScope !== null) {
      const bad = steps.find((s) => !s.transactional);
      if (bad) {
        throw new NodeFailure(
          `"${bad.sql}" cannot run inside a transaction, and this node is inside transaction scope "${inScope}"; move the node out of the scope${/concurrently/i.test(bad.sql) ? ' or drop "concurrently"' : ''}`,
        );
      }
      const early = steps.find((s, i) => s.commitAfter && i < steps.length - 1);
      if (early) {
        this.warn(
          `inside transaction scope "${inScope}" the transaction cannot commit after "${early.sql}", so the lock it takes is held until the scope ends; move the node out of the scope to release it at once`,
        );
      }
    }
    if (this.mode === 'plan') {
      for (const s of steps) this.record(s, null, true);
      return 0;
    }
    const { tx } = this.session;
    if (this.units > 0) {
      const bad = steps.find((s) => !s.transactional);
      if (bad) throw new Error(`"${bad.sql}" cannot run inside a transaction, so it cannot be part of an atomic unit`);
      this.session.invalidate(tables);
      return this.runAll(steps);
    }
    this.session.invalidate(tables);
    try {
      if (tx.depth > 0) return await tx.atomic(() => this.runAll(steps));
      const committed: Step[] = [];
      let total = 0;
      try {
        for (const group of commitGroups(steps)) {
          total += group.transactional
            ? await tx.atomic(() => this.runAll(group.steps))
            : await this.runStep(group.steps[0]!);
          committed.push(...group.steps);
        }
      } catch (e) {
        const stuck = await this.undo(committed);
        if (stuck.length === 0) throw e;
        throw new NodeFailure(
          `${e instanceof Error ? e.message : String(e)}; ${stuck.join('; ')}`,
          undefined,
          e instanceof DatabaseError ? e.code : undefined,
        );
      }
      return total;
    } finally {
      this.session.invalidate(tables);
    }
  }

  /**
   * After a failed step: undoes the steps this `execute` call had already committed, newest first,
   * each by its `reverse` on its own (a step without one, such as VALIDATE CONSTRAINT, has nothing
   * of its own to undo). The undo statements are part of the node's SQL. Returns, for each one
   * that failed, what was left committed and the statement to run by hand.
   */
  private async undo(committed: readonly Step[]): Promise<string[]> {
    const stuck: string[] = [];
    for (const step of [...committed].reverse()) {
      if (!step.reverse) continue;
      const undo: Step = {
        sql: step.reverse,
        comment: `undo after the failure: ${step.comment}`,
        transactional: step.transactional,
        locking: step.locking ?? false,
      };
      const t0 = performance.now();
      try {
        this.record(undo, await this.session.db.dialect.executeStep(this.session.db.driver, undo), false, t0);
      } catch (e) {
        this.record(undo, null, false, t0, e);
        stuck.push(
          `"${step.sql}" had committed and could not be undone (${e instanceof Error ? e.message : String(e)}): run "${step.reverse}" by hand`,
        );
      }
    }
    return stuck;
  }

  async atomic<T>(fn: () => Promise<T>): Promise<T> {
    if (this.mode === 'plan') return fn();
    this.session.invalidate();
    try {
      return await this.session.tx.atomic(async () => {
        this.units++;
        try {
          return await fn();
        } finally {
          this.units--;
        }
      });
    } finally {
      this.session.invalidate();
    }
  }

  /** Inside an open transaction: runs the transactional steps; non-transactional ones (rehearse) are reported. */
  private async runAll(steps: readonly Step[]): Promise<number> {
    let total = 0;
    for (const step of steps) {
      if (!step.transactional) {
        this.record(step, null, true);
        this.warn(`not run in rehearse: "${step.sql}" cannot run inside a transaction; it will run on apply`);
        continue;
      }
      total += await this.runStep(step);
    }
    return total;
  }

  private async runStep(step: Step): Promise<number> {
    await nextTurn();
    this.throwIfCancelled();
    let rows: number;
    const t0 = performance.now();
    try {
      rows = await this.session.db.dialect.executeStep(this.session.db.driver, step);
    } catch (e) {
      this.record(step, null, false, t0, e);
      throw e;
    }
    this.record(step, rows, false, t0);
    if (step.bookkeeping) return 0;
    this.result.rowsAffected += rows;
    return rows;
  }

  /** Records a step: `startedAt` (performance.now()) when it ran, for its duration; none when it was only reported. */
  private record(
    step: Step,
    rowsAffected: number | null,
    notRun: boolean,
    startedAt?: number,
    failure?: unknown,
  ): void {
    const executed: ExecutedStep = {
      sql: step.sql,
      comment: step.comment,
      transactional: step.transactional,
      rowsAffected,
    };
    if (startedAt !== undefined) executed.durationMs = Math.round((performance.now() - startedAt) * 100) / 100;
    if (notRun) executed.notRun = true;
    if (failure !== undefined) executed.error = failure instanceof Error ? failure.message : String(failure);
    if (step.destructive) executed.destructive = true;
    if (step.bookkeeping) executed.bookkeeping = true;
    if (step.commitAfter && this.scope === null && this.mode !== 'rehearse') executed.commitAfter = true;
    this.result.sql.push(executed);
  }
}
