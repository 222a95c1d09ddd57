/**
 * Runs the nodes of one workflow in order: routing (Switch), data passing, reference resolution,
 * param parsing, TransactionScopes, per-node events and statuses. The run lifecycle around it
 * (modes, lock, diff) is in run.ts.
 */
import { formLabel, nodeDescription } from '../../shared/nodes/index.ts';
import { formatProblem, orderingEdges, switchRoutes, type WorkflowNode } from '../../shared/workflow.ts';
import {
  emptyNodeResult,
  type NodeError,
  type NodeResult,
  type Progress,
  type RunEvent,
  type RunStatus,
  type SkipReason,
} from '../../shared/run.ts';
import type { TransactionScopeParams } from '../../shared/nodes/transaction-scope.ts';
import { DatabaseError } from '../db/driver.ts';
import { laterOnColumn } from '../db/reapply.ts';
import { NodeRunContext, scopeExpired, scopeTimeoutFailure, type RunSession, type ScopeGuard } from './context.ts';
import { executorFor } from './executors/index.ts';
import { LaterChanges } from './later-changes.ts';
import { PlanMemo, type MemoEntry } from './plan-memo.ts';
import type { PlannedSchemaRecorder } from './planned-schemas.ts';
import type { RunRecorder } from './run-record.ts';
import { gatherInputs, normalizeOutputs, resolveParams } from './references.ts';
import { SCOPE_TYPE, type RunLayout } from './scopes.ts';
import type { TxFrame } from './transactions.ts';
import { NodeFailure, RunCancelled } from './types.ts';

interface OpenScope extends ScopeGuard {
  members: Set<string>;
  frame: TxFrame | null;
  params: TransactionScopeParams;
  controller: AbortController;
  timer: ReturnType<typeof setTimeout> | null;
}

export interface SchedulerOutcome {
  status: RunStatus;
  /** The failure, naming node and field; null when the run succeeded. */
  error: string | null;
}

/** What of a node's result a PlanMemo keeps. */
function pick(r: NodeResult): MemoEntry['result'] {
  return {
    outputs: r.outputs,
    sql: r.sql,
    rowsAffected: r.rowsAffected,
    warnings: r.warnings,
    ...(r.notes && { notes: r.notes }),
    ...(r.outcome && { outcome: r.outcome }),
  };
}

/** The error of node type `type` that failed with `e`, its field named by param and form label. */
function toNodeError(e: unknown, type: string): NodeError {
  if (e instanceof NodeFailure) {
    const err: NodeError = { message: e.message };
    if (e.field !== undefined) err.field = e.field;
    const label = formLabel(type, e.field);
    if (label !== undefined) err.label = label;
    if (e.databaseCode !== undefined) err.code = e.databaseCode;
    return err;
  }
  if (e instanceof DatabaseError)
    return e.code === undefined ? { message: e.message } : { message: e.message, code: e.code };
  return { message: e instanceof Error ? e.message : String(e) };
}

/** Recorded outputs a resumed run can hand on: not those kept only as their size (too large to record). */
function usableOutputs(recorded: unknown): Record<string, unknown> {
  const ok =
    typeof recorded === 'object' && recorded !== null && !Array.isArray(recorded) && !('truncated' in recorded);
  return ok ? (recorded as Record<string, unknown>) : {};
}

/** Why a node done before a resume does not give an input: its outputs were not recorded, or only their size. */
function recordedNote(recorded: unknown): string {
  if (recorded === undefined)
    return 'its run recorded no outputs for it; run the workflow from that node (Run from here)';
  if (Object.keys(usableOutputs(recorded)).length === 0) {
    const chars = (recorded as { chars?: unknown }).chars;
    return `its outputs (${String(chars)} characters) were too large to record, so a resume cannot give them; run the workflow from that node (Run from here)`;
  }
  return `its recorded outputs are ${Object.keys(usableOutputs(recorded)).join(', ')}`;
}

export class Scheduler {
  readonly warnings: string[] = [];
  readonly progress: Record<string, Progress> = {};
  readonly metrics: Record<string, unknown> = {};
  private readonly unknown = new Set<string>();
  private readonly selected = new Map<string, string | null>();
  /**
   * Skipped nodes that the nodes after them see as having run: disabled nodes that would have
   * run, and nodes outside a partial run (true when their Switch routes count as taken too).
   */
  private readonly passed = new Map<string, { routes: boolean; reason: SkipReason }>();
  private readonly stack: OpenScope[] = [];
  private readonly preds = new Map<string, string[]>();
  private readonly nodes: Map<string, WorkflowNode>;
  /** Failed nodes in run order: apply and rehearse stop at the first; plan goes on with the nodes that do not depend on one. */
  private readonly failures: { node: string; error: NodeError }[] = [];
  /** Plan mode: failed nodes and the nodes after them over connections and routes (not planned). */
  private readonly blocked = new Set<string>();
  private cancelled = false;
  private readonly later: LaterChanges;

  constructor(
    private readonly session: RunSession,
    private readonly layout: RunLayout,
    private readonly signal: AbortSignal,
    private readonly emit: (event: RunEvent) => void,
    /** The nodes of a partial run; null runs them all. */
    private readonly subset: ReadonlySet<string> | null = null,
    /** Apply: records each node's schema before and after it, and its row in the run record. */
    private readonly recorder: RunRecorder | null = null,
    /**
     * A resumed run: the nodes outside `subset` that the resumed run completed (skipped
     * `done_before`), each with the outputs that run recorded for it (undefined: none recorded).
     */
    private readonly doneBefore: ReadonlyMap<string, unknown> = new Map(),
    /** Plan mode, asked for: notes the simulated schema before and after each node. */
    private readonly planned: PlannedSchemaRecorder | null = null,
  ) {
    this.nodes = new Map(session.workflow.nodes.map((n) => [n.id, n]));
    this.later = new LaterChanges(session.workflow, layout.order);
    for (const e of orderingEdges(session.workflow)) {
      const list = this.preds.get(e.target) ?? [];
      if (!list.includes(e.source)) list.push(e.source);
      this.preds.set(e.target, list);
    }
  }

  private get results(): Map<string, NodeResult> {
    return this.session.results;
  }

  /** The first failure, the one apply and rehearse stop at. */
  private get failure(): { node: string; error: NodeError } | null {
    return this.failures[0] ?? null;
  }

  /**
   * What else a node's kept plan depends on (PlanMemo.key): for an add_column, the later changes
   * its already-applied check compares the column with (laterOnColumn, names in any case).
   */
  private laterKey(id: string, params: unknown): unknown {
    const p = params as { operation?: unknown; table?: unknown; column_name?: unknown };
    if (p.operation !== 'add_column' || typeof p.table !== 'string' || typeof p.column_name !== 'string')
      return undefined;
    const changes = laterOnColumn(this.later.after(id), p.table, p.column_name, sameInAnyCase);
    return changes.length > 0 ? changes : undefined;
  }

  /** Apply and rehearse stop at the first failure; plan evaluates every node it can. */
  private get stopped(): boolean {
    return this.cancelled || (this.failures.length > 0 && this.session.mode !== 'plan');
  }

  async run(): Promise<SchedulerOutcome> {
    for (const id of this.layout.order) {
      while (this.stack.length > 0 && !this.stack[this.stack.length - 1]!.members.has(id)) {
        await this.closeScope(true);
        await this.recorder?.flush();
      }
      if (this.stopped) break;
      if (this.signal.aborted) {
        this.cancelled = true;
        break;
      }
      await this.planned?.record(id, 'before');
      await this.runNode(id);
      await this.planned?.record(id, 'after');
      if (this.stopped) break;
    }
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1]!;
      await this.closeScope(!this.cancelled && (!this.failure || !top.params.rollback_on_error));
    }
    this.markNotRun();
    if (this.cancelled) return { status: 'cancelled', error: 'the run was cancelled' };
    if (this.failures.length > 0) {
      return {
        status: 'failed',
        error: this.failures
          .map(({ node, error }) =>
            formatProblem({ node, field: error.field, label: error.label, message: error.message, severity: 'error' }),
          )
          .join('; '),
      };
    }
    return { status: 'succeeded', error: null };
  }

  /** Gives every node without a result `not_run`. */
  markNotRun(): void {
    for (const id of this.layout.order) {
      if (this.results.has(id)) continue;
      const result = emptyNodeResult('not_run');
      this.results.set(id, result);
      this.emit({ type: 'node_finished', runId: this.session.runId, nodeId: id, result });
    }
  }

  private warn(id: string, result: NodeResult, message: string): void {
    result.warnings.push(message);
    this.warnings.push(`node "${id}": ${message}`);
    this.emit({ type: 'warning', runId: this.session.runId, nodeId: id, message });
  }

  private edgeActive(source: string, target: string): boolean {
    const passed = this.passed.get(source);
    const node = this.nodes.get(source)!;
    const route = switchRoutes(node).some((r) => r.target === target);
    if (passed) return !route || passed.routes;
    const r = this.results.get(source);
    if (!r || r.status !== 'succeeded') return false;
    if (route) return this.selected.get(source) === target;
    return true;
  }

  /** A node that does not run: skipped, with the reason when it is not routing (and, done before, its recorded outputs). */
  private skip(id: string, reason?: SkipReason, outputs: Record<string, unknown> = {}): void {
    const result = emptyNodeResult('skipped');
    if (reason) result.reason = reason;
    result.outputs = outputs;
    this.results.set(id, result);
    this.emit({ type: 'node_finished', runId: this.session.runId, nodeId: id, result });
  }

  /** Why an input a param reads is missing, when a node before it did not run because of its reason. */
  private passedHint(id: string): string {
    const notes = (this.preds.get(id) ?? []).flatMap((p) => {
      const passed = this.passed.get(p);
      if (!passed) return [];
      if (passed.reason === 'done_before')
        return [`node "${p}" ran before this resume: ${recordedNote(this.doneBefore.get(p))}`];
      return [
        `node "${p}" ${passed.reason === 'disabled' ? 'is disabled' : 'is outside this run'}, so its outputs are not available`,
      ];
    });
    return notes.length > 0 ? ` (${notes.join('; ')})` : '';
  }

  private async runNode(id: string): Promise<void> {
    const node = this.nodes.get(id)!;
    const preds = this.preds.get(id) ?? [];
    if (this.subset && !this.subset.has(id)) {
      const reason = this.doneBefore.has(id) ? 'done_before' : 'outside_run';
      this.passed.set(id, { routes: true, reason });
      this.skip(id, reason, usableOutputs(this.doneBefore.get(id)));
      return;
    }
    const reached = preds.length === 0 || preds.some((p) => this.edgeActive(p, id));
    if (node.disabled) {
      if (reached) this.passed.set(id, { routes: false, reason: 'disabled' });
      this.skip(id, 'disabled');
      return;
    }
    const { mode, tx } = this.session;
    const after = preds.filter((p) => this.blocked.has(p));
    if (after.length > 0) {
      // Plan mode only (apply and rehearse stopped at the failure): what these nodes would do
      // depends on the failed one, so they are not planned; the nodes that do not still are.
      this.blocked.add(id);
      const result = emptyNodeResult('not_run');
      this.results.set(id, result);
      const which = after.map(
        (p) => `node "${p}" (${this.results.get(p)?.status === 'failed' ? 'failed' : 'not planned'})`,
      );
      this.warn(id, result, `not planned: it runs after ${which.join(', ')}; fix the failed node and plan again`);
      this.emit({ type: 'node_finished', runId: this.session.runId, nodeId: id, result });
      return;
    }
    if (!reached) {
      this.skip(id);
      return;
    }
    const gathered = gatherInputs(this.session.workflow, id, this.results, this.unknown);
    const resolved = resolveParams(node.params, gathered.inputs);
    const result = emptyNodeResult('succeeded');
    if (mode === 'plan') {
      const unknownSources = [...gathered.unknownSources, ...gathered.missing.map((m) => m.source)];
      if (resolved.unresolved.length > 0 && unknownSources.length > 0) {
        result.status = 'skipped';
        this.results.set(id, result);
        this.unknown.add(id);
        const refs = resolved.unresolved.map((u) => `"${u.field}" reads "${u.reference}"`).join(', ');
        this.warn(
          id,
          result,
          `not planned: param ${refs}, which comes from ${[...new Set(unknownSources)].map((s) => `"${s}"`).join(', ')}, known only when the workflow really runs (rehearse or apply)`,
        );
        this.emit({ type: 'node_finished', runId: this.session.runId, nodeId: id, result });
        return;
      }
    }
    result.startedAt = new Date().toISOString();
    this.results.set(id, result);
    await this.recorder?.nodeStarting(id, result);
    this.emit({ type: 'node_started', runId: this.session.runId, nodeId: id, at: result.startedAt });
    const t0 = performance.now();
    const scopes = [...this.stack];
    const signal =
      scopes.length > 0 ? AbortSignal.any([this.signal, ...scopes.map((s) => s.controller.signal)]) : this.signal;
    try {
      const missing = mode === 'plan' ? undefined : gathered.missing[0];
      if (missing) {
        throw new NodeFailure(
          `the connection ${missing.source}.${missing.sourceOutput} -> ${id}.${missing.targetInput} reads output "${missing.sourceOutput}", which node "${missing.source}" did not produce (it has ${missing.available.join(', ') || 'no outputs'}); fix the connection's sourceOutput`,
          missing.targetInput,
        );
      }
      const unresolved = resolved.unresolved[0];
      if (unresolved) {
        const available = Object.keys(gathered.inputs);
        throw new NodeFailure(
          `param "${unresolved.field}" reads "${unresolved.reference}", but no input provides "${unresolved.reference.slice(1)}" (inputs: ${available.length > 0 ? available.join(', ') : 'none'})${this.passedHint(id)}; connect a node that outputs it, or write the value itself`,
          unresolved.field,
        );
      }
      const desc = nodeDescription(node.type)!;
      const parsed = desc.params.safeParse(resolved.params);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.map(String).join('.');
        throw new NodeFailure(field ? `param "${field}": ${issue.message}` : issue.message, field || undefined);
      }
      const executor = executorFor(node.type);
      if (!executor) throw new NodeFailure(`node type ${node.type} has no executor in this build`, 'type');
      const memo = this.session.memo;
      const key = memo && PlanMemo.key(node.type, parsed.data, gathered.inputs, this.laterKey(id, parsed.data));
      const before = key !== null ? await this.session.schema() : null;
      const kept = key !== null && before ? memo!.get(id, key, before) : null;
      if (kept) {
        this.replay(id, result, kept);
        this.afterSuccess(node, result);
        if (node.type === SCOPE_TYPE) await this.openScope(id, parsed.data as TransactionScopeParams);
        result.durationMs = performance.now() - t0;
        this.emit({ type: 'node_finished', runId: this.session.runId, nodeId: id, result });
        return;
      }
      const ctx = new NodeRunContext(
        this.session,
        node,
        parsed.data,
        gathered.inputs,
        scopes,
        signal,
        this.signal,
        result,
        {
          warn: (m) => this.warn(id, result, m),
          progress: (p) => {
            this.progress[id] = p;
            this.emit({ type: 'progress', runId: this.session.runId, nodeId: id, progress: p });
          },
          laterChanges: () => this.later.after(id),
          markOutputsUnknown: (reason) => {
            this.unknown.add(id);
            this.warn(id, result, reason);
          },
        },
      );
      ctx.throwIfCancelled();
      const body = async () => {
        const outputs = await executor.run(ctx);
        const expired = scopes.find(scopeExpired);
        if (expired) throw scopeTimeoutFailure(expired);
        return outputs;
      };
      result.outputs = normalizeOutputs(mode !== 'plan' && tx.depth > 0 ? await tx.atomic(body) : await body());
      if (key !== null && before && this.progress[id] === undefined)
        memo!.set(id, {
          key,
          before,
          after: await this.session.schema(),
          result: structuredClone(pick(result)),
          unknown: this.unknown.has(id),
        });
      this.afterSuccess(node, result);
      if (node.type === SCOPE_TYPE) await this.openScope(id, parsed.data as TransactionScopeParams);
    } catch (e) {
      this.session.invalidate();
      if (e instanceof RunCancelled || (this.signal.aborted && !(e instanceof NodeFailure))) {
        result.status = 'cancelled';
        result.error = { message: e instanceof RunCancelled ? e.message : 'the run was cancelled' };
        this.cancelled = true;
      } else {
        const expired = scopes.find(scopeExpired);
        result.status = 'failed';
        result.error = toNodeError(
          expired && !(e instanceof NodeFailure) ? scopeTimeoutFailure(expired) : e,
          node.type,
        );
        this.failures.push({ node: id, error: result.error });
        this.blocked.add(id);
        if (e instanceof NodeFailure && e.outputs) {
          result.outputs = normalizeOutputs(e.outputs);
          this.recordMetrics(node, result);
        }
      }
    }
    result.durationMs = performance.now() - t0;
    await this.recorder?.nodeFinished(id, result);
    this.emit({ type: 'node_finished', runId: this.session.runId, nodeId: id, result });
  }

  /** Plan mode: gives node `id` the result its last plan had (PlanMemo), as if it had just been planned. */
  private replay(id: string, result: NodeResult, kept: MemoEntry): void {
    const { warnings, ...rest } = structuredClone(kept.result);
    Object.assign(result, rest);
    for (const w of warnings) this.warn(id, result, w);
    if (kept.unknown) this.unknown.add(id);
    this.session.setPlannedSchema(kept.after);
  }

  private afterSuccess(node: WorkflowNode, result: NodeResult): void {
    result.status = 'succeeded';
    const out = result.outputs.result as Record<string, unknown> | undefined;
    if (node.type === 'SwitchNode') {
      const selected = out?.selected;
      this.selected.set(node.id, typeof selected === 'string' ? selected : null);
    }
    this.recordMetrics(node, result);
  }

  private recordMetrics(node: WorkflowNode, result: NodeResult): void {
    if (nodeDescription(node.type)?.category === 'Monitoring') this.metrics[node.id] = result.outputs.result;
  }

  private async openScope(id: string, params: TransactionScopeParams): Promise<void> {
    const members = new Set(this.layout.scopes.get(id) ?? []);
    if (members.size === 0) return;
    const { mode, tx } = this.session;
    const frame = mode === 'plan' ? null : await tx.open(tx.depth === 0 ? params.isolation_level : undefined);
    const controller = new AbortController();
    const timeoutMs = mode !== 'plan' && params.timeout !== undefined ? params.timeout * 1000 : null;
    const timer = timeoutMs === null ? null : setTimeout(() => controller.abort(), timeoutMs).unref();
    this.stack.push({ id, startedAt: performance.now(), timeoutMs, members, frame, params, controller, timer });
  }

  /** Commits (or rolls back) the innermost open scope. A failed commit fails the scope node. */
  private async closeScope(commit: boolean): Promise<void> {
    const scope = this.stack.pop()!;
    if (scope.timer) clearTimeout(scope.timer);
    if (!scope.frame) return;
    this.session.invalidate();
    if (commit) {
      try {
        await this.session.tx.commit(scope.frame);
        return;
      } catch (e) {
        const result = this.results.get(scope.id)!;
        result.status = 'failed';
        result.error = toNodeError(e, SCOPE_TYPE);
        if (!this.failure) this.failures.push({ node: scope.id, error: result.error });
        this.markRolledBack(scope, `transaction scope "${scope.id}" failed to commit: ${result.error.message}`);
        this.emit({ type: 'node_finished', runId: this.session.runId, nodeId: scope.id, result });
        return;
      }
    }
    await this.session.tx.rollback(scope.frame);
    const why = this.cancelled ? 'the run was cancelled' : `node "${this.failure?.node}" failed`;
    this.markRolledBack(scope, `rolled back with transaction scope "${scope.id}" because ${why}`);
  }

  /**
   * The scope and its members that succeeded are `rolled_back` (their work was undone), with the
   * reason as a warning; each gets a second `node_finished` with its new status.
   */
  private markRolledBack(scope: OpenScope, message: string): void {
    for (const id of [scope.id, ...scope.members]) {
      const r = this.results.get(id);
      if (r?.status !== 'succeeded') continue;
      r.status = 'rolled_back';
      this.warn(id, r, message);
      this.emit({ type: 'node_finished', runId: this.session.runId, nodeId: id, result: r });
    }
  }
}

const sameInAnyCase = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
