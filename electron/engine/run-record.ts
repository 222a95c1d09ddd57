/**
 * The RunRecorder: what an apply did, per node, kept as the run goes (docs/recovery.md). For each
 * node that runs it takes the schema before and after it (the live schema the session reads
 * anyway for planning, so a node that writes nothing costs no introspection), names each schema
 * by its snapshot hash on the node's result (`schemaBefore`, `schemaAfter`), hands every snapshot
 * to the caller (`RunOptions.snapshots`, the app's store) and writes the run and node rows into
 * the database's run record tables (electron/db/run-records.ts): the run row when the run starts,
 * a node's row when it starts and when it finishes (with its outputs, bounded), the final status at the end. A resume's run row
 * is written with the continuation of the run it resumes, closing that run's record when its
 * process died still recorded `running`. Rows are written
 * only between transactions: the rows of nodes inside a TransactionScope wait for its end, so a
 * rolled-back scope's nodes are recorded `rolled_back`. A failed write warns and the run goes on.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { stringifyJson } from '../../shared/json-text.ts';
import { emptyNodeResult, type NodeResult, type RunResult, type RunStatus } from '../../shared/run.ts';
import type { Schema } from '../../shared/schema.ts';
import type { Workflow, WorkflowNode } from '../../shared/workflow.ts';
import { boundedOutputs, writeRunRecord, type NodeRowValues } from '../db/run-records.ts';
import * as sql from '../db/run-record-sql.ts';
import { encodeSnapshot, type EncodedSnapshot } from '../db/schema-snapshot.ts';
import type { RunSession } from './context.ts';
import { appliedBy } from './executors/migration.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** sha256 of what a node does: its type, params and disabled flag (not its place on the canvas). */
export function nodeChecksum(node: WorkflowNode): string {
  return sha256(stringifyJson({ type: node.type, params: node.params, disabled: node.disabled ?? false }));
}

/** sha256 of what a workflow does: each node's checksum by id, and the connections. */
export function workflowChecksum(workflow: Workflow): string {
  const nodes = [...workflow.nodes].sort((a, b) => (a.id < b.id ? -1 : 1)).map((n) => [n.id, nodeChecksum(n)]);
  return sha256(stringifyJson({ nodes, connections: workflow.connections }));
}

/** A node that succeeded and executed at least one statement: it changed the database. */
function applied(result: NodeResult): boolean {
  return result.status === 'succeeded' && result.sql.some((s) => !s.notRun);
}

export class RunRecorder {
  /** Every snapshot of this run, by hash. */
  readonly snapshots = new Map<string, string>();
  /** Snapshots not yet written to the database. */
  private unsaved: EncodedSnapshot[] = [];
  /** Nodes whose row changed since the last write. */
  private readonly dirty = new Set<string>();
  private readonly nodes: Map<string, WorkflowNode>;
  private current: string | null = null;
  private latest: string | null = null;
  private started = false;
  private failedWrite = false;
  /** The nodes the run this one resumes completed: recorded `skipped` from the start. */
  private doneBefore = new Set<string>();

  constructor(
    private readonly session: RunSession,
    private readonly order: readonly string[],
    /** Write the rows into the database (apply); otherwise only the snapshots are kept. */
    private readonly toDatabase: boolean,
    private readonly warn: (message: string) => void,
  ) {
    this.nodes = new Map(session.workflow.nodes.map((n) => [n.id, n]));
  }

  private snapshot(schema: Schema): string {
    const s = encodeSnapshot(schema);
    if (!this.snapshots.has(s.hash)) {
      this.snapshots.set(s.hash, s.data);
      this.unsaved.push(s);
    }
    return s.hash;
  }

  /** The live schema's snapshot hash, or null (with a warning) when it cannot be read. */
  private async live(): Promise<string | null> {
    try {
      return (this.latest = this.snapshot(await this.session.schema()));
    } catch (e) {
      this.warn(`could not read the schema for the run record: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }

  /**
   * The run starts: its row, with the schema before it and the drift the user accepted; for a
   * resume, in the same transaction, the continuation of the run it resumes (`resumed.runId`),
   * and the nodes that run completed recorded `skipped` at once, so that a resume of this run,
   * should it die too, does not run them again.
   */
  async start(
    before: Schema,
    driftAccepted: unknown,
    resumed: { runId: string; done: readonly string[] } | undefined,
  ): Promise<void> {
    this.doneBefore = new Set(resumed?.done);
    this.latest = this.snapshot(before);
    const { workflow, runId } = this.session;
    const values: sql.RunRowValues = {
      runId,
      workflow: workflow.name,
      workflowChecksum: workflowChecksum(workflow),
      appliedBy: appliedBy(),
      host: hostname(),
      pid: process.pid,
      startedAt: new Date().toISOString(),
      nodesTotal: this.order.length,
      schemaBefore: this.latest,
      driftAccepted: driftAccepted === undefined || driftAccepted === null ? null : stringifyJson(driftAccepted),
    };
    this.started = true;
    // Every node gets its row now (`not_run`, with its checksum), so even a run killed in its
    // first node says what workflow it was running.
    const rows = this.order.flatMap((id) => this.nodeRow(id));
    const closed = 'stopped part-way: its process died holding the run (closed by the resume that continued it)';
    await this.write((d) => [
      sql.insertRunQuery(d, values),
      ...rows.map((row) => sql.upsertNodeQuery(d, runId, row)),
      ...(resumed ? sql.continueRunQueries(d, resumed.runId, runId, closed) : []),
    ]);
    // Without its run row the node rows would belong to no run: record nothing more.
    if (this.failedWrite) this.started = false;
  }

  /** A node is about to run: its schema before, and (between transactions) its `running` row. */
  async nodeStarting(id: string, result: NodeResult): Promise<void> {
    this.current = id;
    const before = await this.live();
    if (before !== null) result.schemaBefore = before;
    this.dirty.add(id);
    await this.flush();
  }

  /** A node finished (any status): its schema after, when it ran, and its row. */
  async nodeFinished(id: string, result: NodeResult): Promise<void> {
    if (result.schemaBefore !== undefined) {
      const after = await this.live();
      if (after !== null) result.schemaAfter = after;
    }
    if (this.current === id) this.current = null;
    this.dirty.add(id);
    await this.flush();
  }

  /** Writes the rows that changed, unless a transaction is open (they wait for its end). */
  async flush(status: sql.StoredRunStatus = 'running', error: string | null = null): Promise<void> {
    if (!this.toDatabase || !this.started || this.session.tx.depth > 0 || this.session.db.driver.inTransaction())
      return;
    if (status === 'running' && this.dirty.size === 0) return;
    const results = this.session.results;
    const rows = [...this.dirty].flatMap((id) => this.nodeRow(id));
    const outputs = [...this.dirty].flatMap((id) => this.outputsRow(id));
    const done = [...results.entries()].filter(([id]) => id !== this.current);
    const progress: sql.RunProgressValues = {
      status,
      finishedAt: status === 'running' ? null : new Date().toISOString(),
      nodesDone: done.length,
      nodesApplied: done.filter(([, r]) => applied(r)).length,
      currentNode: this.current,
      error,
      schemaAfter: this.latest,
    };
    this.dirty.clear();
    const runId = this.session.runId;
    await this.write((d) => [
      ...rows.map((row) => sql.upsertNodeQuery(d, runId, row)),
      ...outputs.map((o) => sql.upsertOutputsQuery(d, runId, o.nodeId, o.outputs)),
      sql.updateRunQuery(d, runId, progress),
    ]);
  }

  /** The outputs of a node that finished with some (bounded: boundedOutputs). */
  private outputsRow(id: string): { nodeId: string; outputs: string }[] {
    const r = this.session.results.get(id);
    if (!r || this.current === id || Object.keys(r.outputs).length === 0) return [];
    return [{ nodeId: id, outputs: boundedOutputs(r.outputs) }];
  }

  /** The row of a node as it stands: `running` while it runs, `not_run` before it has a result (`skipped`: done before a resume). */
  private nodeRow(id: string): NodeRowValues[] {
    const node = this.nodes.get(id);
    if (!node) return [];
    const r = this.session.results.get(id) ?? emptyNodeResult(this.doneBefore.has(id) ? 'skipped' : 'not_run');
    return [
      {
        nodeId: id,
        position: this.order.indexOf(id),
        type: node.type,
        status: this.current === id ? 'running' : r.status,
        checksum: nodeChecksum(node),
        startedAt: r.startedAt,
        durationMs: r.durationMs,
        rowsAffected: r.rowsAffected,
        error: r.error?.message ?? null,
        statements: stringifyJson(r.sql),
        schemaBefore: r.schemaBefore ?? null,
        schemaAfter: r.schemaAfter ?? null,
      },
    ];
  }

  /** The run ended: every node's row (not_run and skipped ones too) and the run's status. */
  async finish(result: Pick<RunResult, 'status' | 'error'>, after: Schema | null): Promise<void> {
    if (after) this.latest = this.snapshot(after);
    this.current = null;
    for (const id of this.order) this.dirty.add(id);
    const status: RunStatus = result.status;
    await this.flush(status, result.error);
  }

  private async write(build: Parameters<typeof writeRunRecord>[1]): Promise<void> {
    if (!this.toDatabase) return;
    const snapshots = this.unsaved;
    this.unsaved = [];
    try {
      await writeRunRecord(this.session.db, build, snapshots);
    } catch (e) {
      this.unsaved.push(...snapshots);
      if (!this.failedWrite)
        this.warn(
          `could not write the run record into the database (the run goes on; dataflow runs will not show all of it): ${e instanceof Error ? e.message : String(e)}`,
        );
      this.failedWrite = true;
    }
  }
}
