/**
 * Run records in the target database (docs/recovery.md): what every apply did, per node, kept in
 * `dataflow_runs`, `dataflow_run_nodes`, `dataflow_schema_snapshots`, `dataflow_run_outputs` and
 * `dataflow_run_continuations` (which resume continued which run) so that the CLI, another
 * machine or a colleague can read it. Written by the engine's RunRecorder as the run goes
 * (electron/engine/run-record.ts), read here; listing runs reads only `dataflow_runs`. SQL comes
 * from run-record-sql.ts.
 */
import { hostname } from 'node:os';
import { stringifyJson } from '../../shared/json-text.ts';
import type { ExecutedStep } from '../../shared/run.ts';
import type { Schema } from '../../shared/schema.ts';
import type { Database } from './connect.ts';
import * as sql from './run-record-sql.ts';
import { COMMIT, ROLLBACK, type Query } from './migration-sql.ts';
import { decodeSnapshot, type EncodedSnapshot } from './schema-snapshot.ts';

export type { StoredRunStatus, RunRowValues, RunProgressValues, NodeRowValues } from './run-record-sql.ts';

/**
 * A run's state as listings show it: the stored status, except that a run that stopped part-way
 * (failed, cancelled, or its process gone) after a node had applied something is
 * `partially applied`, and a run whose process is gone (still `running` in the record, its pid
 * dead on this host; or closed by the resume that continued it, on any host) is `interrupted`
 * (nothing applied) or `partially applied`.
 */
export type RunState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted' | 'partially applied';

/** One row of `dataflow_runs`; times are ISO 8601 text, schemas snapshot hashes. */
export interface RunRecord {
  runId: string;
  workflow: string;
  workflowChecksum: string;
  status: sql.StoredRunStatus;
  state: RunState;
  appliedBy: string | null;
  host: string | null;
  pid: number | null;
  startedAt: string;
  finishedAt: string | null;
  nodesTotal: number;
  /** Nodes that finished (any status). */
  nodesDone: number;
  /** Nodes that succeeded and executed at least one statement. */
  nodesApplied: number;
  /** The node that was running when the record was last written (a killed run stopped in it). */
  currentNode: string | null;
  error: string | null;
  schemaBefore: string | null;
  schemaAfter: string | null;
  /** The drift the user accepted before this run (JSON), or null. */
  driftAccepted: unknown;
  /** The run that resumed this one (`dataflow_run_continuations`), or null. */
  continuedBy: string | null;
  /** The run this one resumed, or null. */
  continues: string | null;
}

/** One row of `dataflow_run_nodes`. */
export interface RunNodeRecord {
  nodeId: string;
  position: number;
  type: string;
  status: string;
  /** sha256 of the node's type, params and disabled flag as the run read them. */
  checksum: string;
  startedAt: string | null;
  durationMs: number | null;
  rowsAffected: number;
  error: string | null;
  statements: ExecutedStep[];
  schemaBefore: string | null;
  schemaAfter: string | null;
  /** The node's outputs as recorded (see boundedOutputs), or null when it recorded none. */
  outputs: unknown;
}

/**
 * A node's outputs as the run record keeps them: their JSON text, or, beyond OUTPUTS_LIMIT
 * characters, what they were (`truncated`, their size in characters, their keys).
 */
export function boundedOutputs(outputs: Record<string, unknown>): string {
  const text = stringifyJson(outputs);
  if (text.length <= sql.OUTPUTS_LIMIT) return text;
  return stringifyJson({ truncated: true, chars: text.length, keys: Object.keys(outputs).slice(0, 100) });
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `found`: the status the run was stored with when a resume continued it (null: never continued). */
function stateOf(row: {
  status: sql.StoredRunStatus;
  applied: number;
  host: string | null;
  pid: number | null;
  found: string | null;
}): RunState {
  const { status, applied, host, pid } = row;
  if (status === 'succeeded') return 'succeeded';
  const gone =
    row.found === 'running' ||
    (status === 'running' && host === hostname() && pid !== null && pid !== process.pid && !pidAlive(pid));
  if (gone) return applied > 0 ? 'partially applied' : 'interrupted';
  if (status === 'running') return 'running';
  return applied > 0 ? 'partially applied' : status;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toRun(row: Record<string, unknown>): RunRecord {
  const status = String(row.status) as sql.StoredRunStatus;
  const applied = Number(row.nodes_applied);
  const host = str(row.host);
  const pid = num(row.pid);
  return {
    runId: String(row.run_id),
    workflow: String(row.workflow),
    workflowChecksum: String(row.workflow_checksum),
    status,
    state: stateOf({ status, applied, host, pid, found: str(row.found_status) }),
    appliedBy: str(row.applied_by),
    host,
    pid,
    startedAt: iso(row.started_at)!,
    finishedAt: iso(row.finished_at),
    nodesTotal: Number(row.nodes_total),
    nodesDone: Number(row.nodes_done),
    nodesApplied: applied,
    currentNode: str(row.current_node),
    error: str(row.error),
    schemaBefore: str(row.schema_before),
    schemaAfter: str(row.schema_after),
    driftAccepted: parseJson(str(row.drift_accepted)),
    continuedBy: str(row.continued_by),
    continues: str(row.continues),
  };
}

function toNode(row: Record<string, unknown>): RunNodeRecord {
  return {
    nodeId: String(row.node_id),
    position: Number(row.position),
    type: String(row.type),
    status: String(row.status),
    checksum: String(row.checksum),
    startedAt: iso(row.started_at),
    durationMs: num(row.duration_ms),
    rowsAffected: Number(row.rows_affected),
    error: str(row.error),
    statements: JSON.parse(String(row.statements)) as ExecutedStep[],
    schemaBefore: str(row.schema_before),
    schemaAfter: str(row.schema_after),
    outputs: null,
  };
}

/** Which run record tables exist: the three of every record, and the outputs and continuations tables added later. */
async function existingTables(db: Database): Promise<{ core: boolean; outputs: boolean; continuations: boolean }> {
  const q = sql.existingRunTablesQuery(db.dialect);
  const names = new Set((await db.driver.query<{ name: string }>(q.sql, q.params)).rows.map((r) => r.name));
  return {
    core: [sql.RUNS_TABLE, sql.RUN_NODES_TABLE, sql.SNAPSHOTS_TABLE].every((n) => names.has(n)),
    outputs: names.has(sql.OUTPUTS_TABLE),
    continuations: names.has(sql.CONTINUATIONS_TABLE),
  };
}

/** True when the run record tables exist (an apply ran here since runs were recorded). Read only. */
export async function runTablesExist(db: Database): Promise<boolean> {
  return (await existingTables(db)).core;
}

async function select(db: Database, q: Query): Promise<Record<string, unknown>[]> {
  return (await db.driver.query<Record<string, unknown>>(q.sql, q.params)).rows;
}

/** The newest runs first (at most `limit`); empty when no apply was recorded here. Reads `dataflow_runs` only. */
export async function listRuns(db: Database, limit = 50): Promise<RunRecord[]> {
  const tables = await existingTables(db);
  if (!tables.core) return [];
  return (await select(db, sql.listRunsQuery(db.dialect, limit, tables.continuations))).map(toRun);
}

/** Thrown when a run id (or prefix) names no run, or more than one. */
export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError';
}

/** The run whose id is `id` or starts with it, with its node rows in run order. */
export async function readRun(db: Database, id: string): Promise<{ run: RunRecord; nodes: RunNodeRecord[] }> {
  const tables = await existingTables(db);
  const rows = tables.core ? await select(db, sql.runsByPrefixQuery(db.dialect, id, tables.continuations)) : [];
  if (rows.length === 0)
    throw new RunNotFoundError(`no run "${id}" is recorded in this database (dataflow runs lists them)`);
  if (rows.length > 1) throw new RunNotFoundError(`"${id}" starts more than one run id; give more of it`);
  const run = toRun(rows[0]!);
  const nodes = (await select(db, sql.runNodesQuery(db.dialect, run.runId))).map(toNode);
  if (tables.outputs) {
    const outputs = new Map(
      (await select(db, sql.runOutputsQuery(db.dialect, run.runId))).map((r) => [String(r.node_id), String(r.outputs)]),
    );
    for (const n of nodes) if (outputs.has(n.nodeId)) n.outputs = parseJson(outputs.get(n.nodeId)!);
  }
  return { run, nodes };
}

/** A stored snapshot's schema, or null when no snapshot of that hash is stored. */
export async function readSnapshot(db: Database, hash: string): Promise<Schema | null> {
  const [row] = await select(db, sql.snapshotQuery(db.dialect, hash));
  return row ? decodeSnapshot(String(row.data)) : null;
}

/**
 * The schema the product last left the database in: the schema after the newest run that
 * recorded one (for a run that stopped part-way, after its last recorded node), with that run.
 * Null when no apply was recorded here.
 */
export async function lastRecordedSchema(db: Database): Promise<{ run: RunRecord; schema: Schema } | null> {
  const tables = await existingTables(db);
  if (!tables.core) return null;
  const [row] = await select(db, sql.lastRecordedRunQuery(db.dialect, tables.continuations));
  if (!row) return null;
  const run = toRun(row);
  const schema = await readSnapshot(db, run.schemaAfter!);
  return schema ? { run, schema } : null;
}

/**
 * Writes run record rows in one transaction of their own: the tables first when they are not
 * there, then the snapshots not stored yet, then `queries`. The connection must not be inside a
 * transaction (the record must not be rolled back with a node's work).
 */
export async function writeRunRecord(
  db: Database,
  build: (d: Database['dialect']) => Query[],
  snapshots: readonly EncodedSnapshot[],
): Promise<void> {
  if (db.driver.inTransaction()) throw new Error('run records are written between transactions, never inside one');
  const d = db.dialect;
  const existing = await existingTables(db);
  const create = !existing.core
    ? sql.createRunTablesSql(d)
    : [
        ...(existing.outputs ? [] : [sql.createOutputsTableSql(d)]),
        ...(existing.continuations ? [] : [sql.createContinuationsTableSql(d)]),
      ];
  await db.driver.query(d.beginSql());
  try {
    for (const statement of create) await db.driver.query(statement);
    for (const s of snapshots) {
      const q = sql.insertSnapshotQuery(d, s.hash, s.data);
      await db.driver.query(q.sql, q.params);
    }
    for (const q of build(d)) await db.driver.query(q.sql, q.params);
    await db.driver.query(COMMIT);
  } catch (e) {
    if (db.driver.inTransaction()) await db.driver.query(ROLLBACK);
    throw e;
  }
}
