/**
 * SQL of the run records a database keeps of the applies run on it (run-records.ts): the tables
 * `dataflow_runs` (one row per run, everything a listing shows), `dataflow_run_nodes` (one row per
 * node: status, statements, schema hashes), `dataflow_schema_snapshots` (each schema once, by
 * hash, compressed: schema-snapshot.ts), `dataflow_run_outputs` (each node's outputs, bounded) and
 * `dataflow_run_continuations` (which run a resume continued). Values are bound parameters, in
 * the order they appear.
 */
import type { Dialect } from './dialect.ts';
import { cols, params, q, type Query } from './migration-sql.ts';

export const RUNS_TABLE = 'dataflow_runs';
export const RUN_NODES_TABLE = 'dataflow_run_nodes';
export const SNAPSHOTS_TABLE = 'dataflow_schema_snapshots';
/** A node's outputs (JSON, bounded: OUTPUTS_LIMIT), one row per node that produced any; added after the three others. */
export const OUTPUTS_TABLE = 'dataflow_run_outputs';

/**
 * Which run continued which: one row per run a resume continued (`run_id`), naming the resuming
 * run (`continued_by`) and the status the continued run was stored with when the resume started
 * (`found_status`: `running` when its process had died holding it, and the resume closed its
 * record). Added after the four others.
 */
export const CONTINUATIONS_TABLE = 'dataflow_run_continuations';

/** The longest outputs text kept for a node; longer outputs are kept as their size and keys (boundedOutputs). */
export const OUTPUTS_LIMIT = 64 * 1024;

/**
 * The status a run row holds: `running` until the run ends. A run whose process died stays
 * `running` until a resume continues it: the resume stores it `failed` (the CHECK of databases
 * recorded before knows no other status) with the error saying so, and its continuation row says
 * it was found running (listings show it `interrupted` or `partially applied`).
 */
export const STORED_RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export type StoredRunStatus = (typeof STORED_RUN_STATUSES)[number];

/** Which of the run record tables exist in the connection's current schema. */
export function existingRunTablesQuery(d: Dialect): Query {
  return d.existingTablesSql([RUNS_TABLE, RUN_NODES_TABLE, SNAPSHOTS_TABLE, OUTPUTS_TABLE, CONTINUATIONS_TABLE]);
}

/** CREATE TABLE IF NOT EXISTS of the continuations table (added on a database's next apply, as the outputs table). */
export function createContinuationsTableSql(d: Dialect): string {
  const t = d.bookkeepingTypes;
  return (
    `CREATE TABLE IF NOT EXISTS ${q(d, CONTINUATIONS_TABLE)} (` +
    `${q(d, 'run_id')} ${t.text} NOT NULL PRIMARY KEY, ${q(d, 'continued_by')} ${t.text} NOT NULL, ` +
    `${q(d, 'found_status')} ${t.text} NOT NULL)`
  );
}

/**
 * A resume starts: the run it continues (`resumed`) gets its continuation row (with the status it
 * was stored with) and, when it was still stored `running` (its process died holding it), is
 * closed: `failed`, with `error` saying it stopped part-way and which run continued it.
 */
export function continueRunQueries(d: Dialect, resumed: string, by: string, error: string): Query[] {
  const run = q(d, 'run_id');
  return [
    {
      sql:
        `INSERT INTO ${q(d, CONTINUATIONS_TABLE)} (${cols(d, ['run_id', 'continued_by', 'found_status'])}) ` +
        `SELECT ${run}, ${d.placeholder(1)}, ${q(d, 'status')} FROM ${q(d, RUNS_TABLE)} WHERE ${run} = ${d.placeholder(2)}`,
      params: [by, resumed],
    },
    {
      sql:
        `UPDATE ${q(d, RUNS_TABLE)} SET ${q(d, 'status')} = ${d.literal('failed')}, ${q(d, 'error')} = ${d.placeholder(1)} ` +
        `WHERE ${run} = ${d.placeholder(2)} AND ${q(d, 'status')} = ${d.literal('running')}`,
      params: [error, resumed],
    },
  ];
}

/** CREATE TABLE IF NOT EXISTS of the outputs table (a database whose run records predate it gets it on its next apply). */
export function createOutputsTableSql(d: Dialect): string {
  const t = d.bookkeepingTypes;
  return (
    `CREATE TABLE IF NOT EXISTS ${q(d, OUTPUTS_TABLE)} (` +
    `${q(d, 'run_id')} ${t.text} NOT NULL, ${q(d, 'node_id')} ${t.text} NOT NULL, ${q(d, 'outputs')} ${t.text} NOT NULL, ` +
    `PRIMARY KEY (${cols(d, ['run_id', 'node_id'])}))`
  );
}

/** Writes a node's outputs (JSON text), replacing what an earlier write of the same run said. */
export function upsertOutputsQuery(d: Dialect, runId: string, nodeId: string, outputs: string): Query {
  return {
    sql:
      `INSERT INTO ${q(d, OUTPUTS_TABLE)} (${cols(d, ['run_id', 'node_id', 'outputs'])}) VALUES (${params(d, 3)}) ` +
      `ON CONFLICT (${cols(d, ['run_id', 'node_id'])}) DO UPDATE SET ${q(d, 'outputs')} = EXCLUDED.${q(d, 'outputs')}`,
    params: [runId, nodeId, outputs],
  };
}

/** The outputs of a run's nodes. */
export function runOutputsQuery(d: Dialect, runId: string): Query {
  return {
    sql: `SELECT ${cols(d, ['node_id', 'outputs'])} FROM ${q(d, OUTPUTS_TABLE)} WHERE ${q(d, 'run_id')} = ${d.placeholder(1)}`,
    params: [runId],
  };
}

/** CREATE TABLE IF NOT EXISTS of the five tables. */
export function createRunTablesSql(d: Dialect): string[] {
  const t = d.bookkeepingTypes;
  const statuses = STORED_RUN_STATUSES.map((s) => d.literal(s)).join(', ');
  return [
    `CREATE TABLE IF NOT EXISTS ${q(d, RUNS_TABLE)} (` +
      `${q(d, 'run_id')} ${t.text} NOT NULL PRIMARY KEY, ${q(d, 'workflow')} ${t.text} NOT NULL, ` +
      `${q(d, 'workflow_checksum')} ${t.text} NOT NULL, ` +
      `${q(d, 'status')} ${t.text} NOT NULL CHECK (${q(d, 'status')} IN (${statuses})), ` +
      `${q(d, 'applied_by')} ${t.text}, ${q(d, 'host')} ${t.text}, ${q(d, 'pid')} ${t.int}, ` +
      `${q(d, 'started_at')} ${t.time} NOT NULL, ${q(d, 'finished_at')} ${t.time}, ` +
      `${q(d, 'nodes_total')} ${t.int} NOT NULL, ${q(d, 'nodes_done')} ${t.int} NOT NULL, ` +
      `${q(d, 'nodes_applied')} ${t.int} NOT NULL, ${q(d, 'current_node')} ${t.text}, ` +
      `${q(d, 'error')} ${t.text}, ${q(d, 'schema_before')} ${t.text}, ${q(d, 'schema_after')} ${t.text}, ` +
      `${q(d, 'drift_accepted')} ${t.text})`,
    `CREATE TABLE IF NOT EXISTS ${q(d, RUN_NODES_TABLE)} (` +
      `${q(d, 'run_id')} ${t.text} NOT NULL, ${q(d, 'node_id')} ${t.text} NOT NULL, ` +
      `${q(d, 'position')} ${t.int} NOT NULL, ${q(d, 'type')} ${t.text} NOT NULL, ${q(d, 'status')} ${t.text} NOT NULL, ` +
      `${q(d, 'checksum')} ${t.text} NOT NULL, ${q(d, 'started_at')} ${t.time}, ${q(d, 'duration_ms')} ${t.int}, ` +
      `${q(d, 'rows_affected')} ${t.int} NOT NULL, ${q(d, 'error')} ${t.text}, ${q(d, 'statements')} ${t.text} NOT NULL, ` +
      `${q(d, 'schema_before')} ${t.text}, ${q(d, 'schema_after')} ${t.text}, ` +
      `PRIMARY KEY (${cols(d, ['run_id', 'node_id'])}))`,
    `CREATE TABLE IF NOT EXISTS ${q(d, SNAPSHOTS_TABLE)} (` +
      `${q(d, 'hash')} ${t.text} NOT NULL PRIMARY KEY, ${q(d, 'data')} ${t.text} NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS ${q(d, `${RUNS_TABLE}_started_at`)} ON ${q(d, RUNS_TABLE)} (${q(d, 'started_at')})`,
    createOutputsTableSql(d),
    createContinuationsTableSql(d),
  ];
}

/** A run row as written when the run starts. */
export interface RunRowValues {
  runId: string;
  workflow: string;
  workflowChecksum: string;
  appliedBy: string;
  host: string;
  pid: number;
  startedAt: string;
  nodesTotal: number;
  schemaBefore: string | null;
  /** JSON text of the drift the user accepted for this run, or null. */
  driftAccepted: string | null;
}

const RUN_INSERT = [
  'run_id',
  'workflow',
  'workflow_checksum',
  'status',
  'applied_by',
  'host',
  'pid',
  'started_at',
  'nodes_total',
  'nodes_done',
  'nodes_applied',
  'schema_before',
  'schema_after',
  'drift_accepted',
];

export function insertRunQuery(d: Dialect, v: RunRowValues): Query {
  return {
    sql: `INSERT INTO ${q(d, RUNS_TABLE)} (${cols(d, RUN_INSERT)}) VALUES (${params(d, RUN_INSERT.length)})`,
    params: [
      v.runId,
      v.workflow,
      v.workflowChecksum,
      'running',
      v.appliedBy,
      v.host,
      v.pid,
      v.startedAt,
      v.nodesTotal,
      0,
      0,
      v.schemaBefore,
      v.schemaBefore,
      v.driftAccepted,
    ],
  };
}

/** What a run row says of its progress; `status` and `finishedAt` change only when the run ends. */
export interface RunProgressValues {
  status: StoredRunStatus;
  finishedAt: string | null;
  nodesDone: number;
  nodesApplied: number;
  currentNode: string | null;
  error: string | null;
  schemaAfter: string | null;
}

export function updateRunQuery(d: Dialect, runId: string, v: RunProgressValues): Query {
  const set = ['status', 'finished_at', 'nodes_done', 'nodes_applied', 'current_node', 'error', 'schema_after'];
  return {
    sql:
      `UPDATE ${q(d, RUNS_TABLE)} SET ${set.map((c, i) => `${q(d, c)} = ${d.placeholder(i + 1)}`).join(', ')} ` +
      `WHERE ${q(d, 'run_id')} = ${d.placeholder(set.length + 1)}`,
    params: [v.status, v.finishedAt, v.nodesDone, v.nodesApplied, v.currentNode, v.error, v.schemaAfter, runId],
  };
}

/** One node row; `statements` is the JSON text of the node's executed steps. */
export interface NodeRowValues {
  nodeId: string;
  position: number;
  type: string;
  status: string;
  checksum: string;
  startedAt: string | null;
  durationMs: number | null;
  rowsAffected: number;
  error: string | null;
  statements: string;
  schemaBefore: string | null;
  schemaAfter: string | null;
}

const NODE_COLUMNS = [
  'run_id',
  'node_id',
  'position',
  'type',
  'status',
  'checksum',
  'started_at',
  'duration_ms',
  'rows_affected',
  'error',
  'statements',
  'schema_before',
  'schema_after',
];

/** Writes the node's row, replacing what an earlier write of the same run said of it. */
export function upsertNodeQuery(d: Dialect, runId: string, v: NodeRowValues): Query {
  const update = NODE_COLUMNS.slice(2);
  return {
    sql:
      `INSERT INTO ${q(d, RUN_NODES_TABLE)} (${cols(d, NODE_COLUMNS)}) VALUES (${params(d, NODE_COLUMNS.length)}) ` +
      `ON CONFLICT (${cols(d, ['run_id', 'node_id'])}) DO UPDATE SET ${update.map((c) => `${q(d, c)} = EXCLUDED.${q(d, c)}`).join(', ')}`,
    params: [
      runId,
      v.nodeId,
      v.position,
      v.type,
      v.status,
      v.checksum,
      v.startedAt,
      v.durationMs === null ? null : Math.round(v.durationMs),
      v.rowsAffected,
      v.error,
      v.statements,
      v.schemaBefore,
      v.schemaAfter,
    ],
  };
}

/** Stores a snapshot unless one of that hash is stored already. */
export function insertSnapshotQuery(d: Dialect, hash: string, data: string): Query {
  return {
    sql: `INSERT INTO ${q(d, SNAPSHOTS_TABLE)} (${cols(d, ['hash', 'data'])}) VALUES (${params(d, 2)}) ON CONFLICT (${q(d, 'hash')}) DO NOTHING`,
    params: [hash, data],
  };
}

const RUN_COLUMNS = [...RUN_INSERT, 'finished_at', 'current_node', 'error'];

/**
 * The run columns and the run's continuations (`continued_by` and `found_status`: the resume
 * that continued it; `continues`: the run it continued), from `dataflow_runs` as `r`; null links
 * when the database has no continuations table (`links` false).
 */
function runSelect(d: Dialect, links: boolean): string {
  const columns = RUN_COLUMNS.map((c) => `r.${q(d, c)}`).join(', ');
  const runs = `${q(d, RUNS_TABLE)} r`;
  if (!links)
    return `SELECT ${columns}, NULL AS ${q(d, 'continued_by')}, NULL AS ${q(d, 'found_status')}, NULL AS ${q(d, 'continues')} FROM ${runs}`;
  const table = q(d, CONTINUATIONS_TABLE);
  const [run, by] = [q(d, 'run_id'), q(d, 'continued_by')];
  return (
    `SELECT ${columns}, c.${by}, c.${q(d, 'found_status')}, ` +
    `(SELECT p.${run} FROM ${table} p WHERE p.${by} = r.${run}) AS ${q(d, 'continues')} ` +
    `FROM ${runs} LEFT JOIN ${table} c ON c.${run} = r.${run}`
  );
}

/** The newest runs first, at most `limit`. */
export function listRunsQuery(d: Dialect, limit: number, links: boolean): Query {
  return {
    sql: `${runSelect(d, links)} ORDER BY r.${q(d, 'started_at')} DESC, r.${q(d, 'run_id')} LIMIT ${d.placeholder(1)}`,
    params: [limit],
  };
}

/** The runs whose id starts with `prefix` (at most two: enough to tell an ambiguous prefix). */
export function runsByPrefixQuery(d: Dialect, prefix: string, links: boolean): Query {
  return {
    sql: `${runSelect(d, links)} WHERE substr(r.${q(d, 'run_id')}, 1, ${d.placeholder(1)}) = ${d.placeholder(2)} ORDER BY r.${q(d, 'run_id')} LIMIT 2`,
    params: [prefix.length, prefix],
  };
}

/** The node rows of a run, in run order. */
export function runNodesQuery(d: Dialect, runId: string): Query {
  return {
    sql: `SELECT ${cols(d, NODE_COLUMNS.slice(1))} FROM ${q(d, RUN_NODES_TABLE)} WHERE ${q(d, 'run_id')} = ${d.placeholder(1)} ORDER BY ${q(d, 'position')}`,
    params: [runId],
  };
}

/** One stored snapshot's data. */
export function snapshotQuery(d: Dialect, hash: string): Query {
  return {
    sql: `SELECT ${q(d, 'data')} FROM ${q(d, SNAPSHOTS_TABLE)} WHERE ${q(d, 'hash')} = ${d.placeholder(1)}`,
    params: [hash],
  };
}

/** The newest run that recorded a schema after it: the schema the product last left the database in. */
export function lastRecordedRunQuery(d: Dialect, links: boolean): Query {
  return {
    sql: `${runSelect(d, links)} WHERE r.${q(d, 'schema_after')} IS NOT NULL ORDER BY r.${q(d, 'started_at')} DESC, r.${q(d, 'run_id')} LIMIT 1`,
    params: [],
  };
}
