/**
 * SQL of migration tracking: the tables `dataflow_migrations`, `dataflow_migration_events` and
 * `dataflow_migration_lock`, the record steps a MigrationNode runs, and the lock row both
 * dialects keep. Column types and the session id come from the dialect (`bookkeepingTypes`,
 * `sessionIdSql`); what only one dialect's lock does (PostgreSQL's advisory lock, SQLite's busy
 * timeout) is in electron/db/<dialect>/migration-lock.ts.
 */
import type { Dialect, Step } from './dialect.ts';
import { MIGRATION_STATUSES } from '../../shared/nodes/migration.ts';

export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

export const MIGRATIONS_TABLE = 'dataflow_migrations';
export const EVENTS_TABLE = 'dataflow_migration_events';
export const LOCK_TABLE = 'dataflow_migration_lock';

/** A statement with bound params. */
export interface Query {
  sql: string;
  params: unknown[];
}

/** A quoted identifier. */
export const q = (d: Dialect, name: string) => d.quoteIdent(name);
/** Quoted column names, comma-separated. */
export const cols = (d: Dialect, names: readonly string[]) => names.map((n) => q(d, n)).join(', ');
/** `count` placeholders numbered from `from`, comma-separated. */
export const params = (d: Dialect, count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => d.placeholder(from + i)).join(', ');

/** Which of the three tracking tables exist in the connection's current schema. */
export function existingTablesQuery(d: Dialect): Query {
  return d.existingTablesSql([MIGRATIONS_TABLE, EVENTS_TABLE, LOCK_TABLE]);
}

function step(sql: string, comment: string): Step {
  return { sql, comment, transactional: true, bookkeeping: true };
}

/** CREATE TABLE IF NOT EXISTS of `dataflow_migrations` and `dataflow_migration_events`. */
export function createTrackingTablesSteps(d: Dialect): Step[] {
  const t = d.bookkeepingTypes;
  const statuses = MIGRATION_STATUSES.map((s) => d.literal(s)).join(', ');
  return [
    step(
      `CREATE TABLE IF NOT EXISTS ${q(d, MIGRATIONS_TABLE)} (` +
        `${q(d, 'name')} ${t.text} NOT NULL PRIMARY KEY, ` +
        `${q(d, 'status')} ${t.text} NOT NULL CHECK (${q(d, 'status')} IN (${statuses})), ` +
        `${q(d, 'checksum')} ${t.text}, ${q(d, 'version')} ${t.text}, ${q(d, 'description')} ${t.text}, ` +
        `${q(d, 'breaking_change')} ${t.bool}, ${q(d, 'metadata')} ${t.text}, ${q(d, 'run_id')} ${t.text}, ` +
        `${q(d, 'workflow')} ${t.text}, ${q(d, 'applied_by')} ${t.text}, ${q(d, 'started_at')} ${t.time}, ` +
        `${q(d, 'completed_at')} ${t.time}, ${q(d, 'error')} ${t.text})`,
      'migration tracking table, created on first use',
    ),
    step(
      `CREATE TABLE IF NOT EXISTS ${q(d, EVENTS_TABLE)} (` +
        `${q(d, 'id')} ${t.serial}, ${q(d, 'name')} ${t.text} NOT NULL, ${q(d, 'status')} ${t.text} NOT NULL, ` +
        `${q(d, 'run_id')} ${t.text}, ${q(d, 'at')} ${t.time} NOT NULL, ${q(d, 'detail')} ${t.text})`,
      'append-only migration event log, created on first use',
    ),
    step(
      `CREATE INDEX IF NOT EXISTS ${q(d, `${EVENTS_TABLE}_name`)} ON ${q(d, EVENTS_TABLE)} (${cols(d, ['name', 'id'])})`,
      'events of one migration, in order',
    ),
  ];
}

/** What one record writes. `at` is an ISO 8601 timestamp. */
export interface RecordValues {
  name: string;
  status: MigrationStatus;
  runId: string;
  workflow: string;
  appliedBy: string;
  at: string;
  /** Written when given (completions); otherwise the stored checksum is kept. */
  checksum?: string;
  /** Written when given; otherwise the stored metadata is kept. */
  metadata?: { version: string | null; description: string | null; breakingChange: boolean | null; json: string };
  error?: string | null;
  /** JSON text for the event's `detail`. */
  detail: string;
}

/**
 * The upsert of the record and its event, with values rendered as literals (the steps are plain
 * SQL text, shown in the preview). `pending`/`running` restart the migration (started_at); a
 * completion sets completed_at; completed_at of an earlier completion is kept otherwise, so a
 * later completion can tell drift.
 */
export function recordSteps(d: Dialect, v: RecordValues): Step[] {
  const lit = (x: string | number | boolean | null | undefined) => d.literal(x ?? null);
  const m = v.metadata;
  const completed = v.status === 'completed';
  const insert: [string, string][] = [
    ['name', lit(v.name)],
    ['status', lit(v.status)],
    ['checksum', lit(v.checksum)],
    ['version', lit(m?.version)],
    ['description', lit(m?.description)],
    ['breaking_change', lit(m?.breakingChange)],
    ['metadata', lit(m?.json)],
    ['run_id', lit(v.runId)],
    ['workflow', lit(v.workflow)],
    ['applied_by', lit(v.appliedBy)],
    ['started_at', lit(v.at)],
    ['completed_at', lit(completed ? v.at : null)],
    ['error', lit(v.error)],
  ];
  const update = ['status', 'run_id', 'workflow', 'applied_by', 'error'];
  if (v.checksum !== undefined) update.push('checksum');
  if (m) update.push('version', 'description', 'breaking_change', 'metadata');
  if (v.status === 'pending' || v.status === 'running') update.push('started_at');
  if (completed) update.push('completed_at');
  const upsert =
    `INSERT INTO ${q(d, MIGRATIONS_TABLE)} (${cols(
      d,
      insert.map(([c]) => c),
    )}) VALUES (${insert.map(([, x]) => x).join(', ')}) ` +
    `ON CONFLICT (${q(d, 'name')}) DO UPDATE SET ${update.map((c) => `${q(d, c)} = EXCLUDED.${q(d, c)}`).join(', ')}`;
  const event =
    `INSERT INTO ${q(d, EVENTS_TABLE)} (${cols(d, ['name', 'status', 'run_id', 'at', 'detail'])}) ` +
    `VALUES (${[lit(v.name), lit(v.status), lit(v.runId), lit(v.at), lit(v.detail)].join(', ')})`;
  return [step(upsert, `record migration "${v.name}" as ${v.status}`), step(event, 'migration event')];
}

const RECORD_COLUMNS = [
  'name',
  'status',
  'checksum',
  'version',
  'description',
  'breaking_change',
  'metadata',
  'run_id',
  'workflow',
  'applied_by',
  'started_at',
  'completed_at',
  'error',
];

/** One migration record by name. */
export function selectMigrationQuery(d: Dialect, name: string): Query {
  return {
    sql: `SELECT ${cols(d, RECORD_COLUMNS)} FROM ${q(d, MIGRATIONS_TABLE)} WHERE ${q(d, 'name')} = ${d.placeholder(1)}`,
    params: [name],
  };
}

/** Every migration record, oldest first. */
export function historyQuery(d: Dialect): Query {
  return {
    sql: `SELECT ${cols(d, RECORD_COLUMNS)} FROM ${q(d, MIGRATIONS_TABLE)} ORDER BY COALESCE(${q(d, 'started_at')}, ${q(d, 'completed_at')}), ${q(d, 'name')}`,
    params: [],
  };
}

/** The statuses of a migration whose run has not ended it: `pending` or `running`. */
export const OPEN_STATUSES: readonly MigrationStatus[] = ['pending', 'running'];

/** Names of the migrations a run left in one of `statuses`. */
export function migrationsOfRunQuery(d: Dialect, runId: string, statuses: readonly MigrationStatus[]): Query {
  return {
    sql: `SELECT ${q(d, 'name')} FROM ${q(d, MIGRATIONS_TABLE)} WHERE ${q(d, 'run_id')} = ${d.placeholder(1)} AND ${q(d, 'status')} IN (${params(d, statuses.length, 2)}) ORDER BY ${q(d, 'name')}`,
    params: [runId, ...statuses],
  };
}

/** Sets one migration of a run that is still in one of `from` to `to`, with `error` (null clears it). */
export function settleMigrationQuery(
  d: Dialect,
  name: string,
  runId: string,
  to: MigrationStatus,
  error: string | null,
  from: readonly MigrationStatus[],
): Query {
  return {
    sql:
      `UPDATE ${q(d, MIGRATIONS_TABLE)} SET ${q(d, 'status')} = ${d.placeholder(1)}, ${q(d, 'error')} = ${d.placeholder(2)} ` +
      `WHERE ${q(d, 'name')} = ${d.placeholder(3)} AND ${q(d, 'run_id')} = ${d.placeholder(4)} AND ${q(d, 'status')} IN (${params(d, from.length, 5)})`,
    params: [to, error, name, runId, ...from],
  };
}

/** One event with bound params. */
export function insertEventQuery(
  d: Dialect,
  name: string,
  status: MigrationStatus,
  runId: string,
  at: string,
  detail: string,
): Query {
  return {
    sql: `INSERT INTO ${q(d, EVENTS_TABLE)} (${cols(d, ['name', 'status', 'run_id', 'at', 'detail'])}) VALUES (${params(d, 5)})`,
    params: [name, status, runId, at, detail],
  };
}

export const COMMIT = 'COMMIT';
export const ROLLBACK = 'ROLLBACK';

/** CREATE TABLE IF NOT EXISTS of `dataflow_migration_lock` (at most one row, id 1). */
export function createLockTableSql(d: Dialect): string {
  const t = d.bookkeepingTypes;
  return (
    `CREATE TABLE IF NOT EXISTS ${q(d, LOCK_TABLE)} (` +
    `${q(d, 'id')} ${t.int} NOT NULL PRIMARY KEY CHECK (${q(d, 'id')} = 1), ${q(d, 'run_id')} ${t.text} NOT NULL, ` +
    `${q(d, 'workflow')} ${t.text}, ${q(d, 'pid')} ${t.int}, ${q(d, 'host')} ${t.text}, ${q(d, 'backend_pid')} ${t.int}, ` +
    `${q(d, 'acquired_at')} ${t.time} NOT NULL, ${q(d, 'heartbeat_at')} ${t.time} NOT NULL, ${q(d, 'expires_at')} ${t.time})`
  );
}

/** The holder row. */
export function selectLockQuery(d: Dialect): Query {
  return {
    sql: `SELECT ${cols(d, ['run_id', 'workflow', 'pid', 'host', 'backend_pid', 'acquired_at', 'heartbeat_at', 'expires_at'])} FROM ${q(d, LOCK_TABLE)} WHERE ${q(d, 'id')} = 1`,
    params: [],
  };
}

export interface LockRowValues {
  runId: string;
  workflow: string;
  pid: number;
  host: string;
  at: string;
  /** Null where the lock never expires by time (PostgreSQL: it ends with the session). */
  expiresAt: string | null;
}

/** Writes this run as the holder, with the session's id where the dialect has one (`sessionIdSql`). */
export function upsertLockQuery(d: Dialect, v: LockRowValues): Query {
  const names = ['id', 'run_id', 'workflow', 'pid', 'host', 'backend_pid', 'acquired_at', 'heartbeat_at', 'expires_at'];
  return {
    sql:
      `INSERT INTO ${q(d, LOCK_TABLE)} (${cols(d, names)}) VALUES (1, ${params(d, 4)}, ${d.sessionIdSql}, ${params(d, 3, 5)}) ` +
      `ON CONFLICT (${q(d, 'id')}) DO UPDATE SET ${names
        .slice(1)
        .map((c) => `${q(d, c)} = EXCLUDED.${q(d, c)}`)
        .join(', ')}`,
    params: [v.runId, v.workflow, v.pid, v.host, v.at, v.at, v.expiresAt],
  };
}

/** Refreshes the holder's heartbeat and expiry; changes no row when another run took the lock over. */
export function heartbeatLockQuery(d: Dialect, runId: string, pid: number, at: string, expiresAt: string): Query {
  return {
    sql:
      `UPDATE ${q(d, LOCK_TABLE)} SET ${q(d, 'heartbeat_at')} = ${d.placeholder(1)}, ${q(d, 'expires_at')} = ${d.placeholder(2)} ` +
      `WHERE ${q(d, 'id')} = 1 AND ${q(d, 'run_id')} = ${d.placeholder(3)} AND ${q(d, 'pid')} = ${d.placeholder(4)}`,
    params: [at, expiresAt, runId, pid],
  };
}

/** Removes the holder row if it is still this run's. */
export function deleteLockQuery(d: Dialect, runId: string, pid: number): Query {
  return {
    sql: `DELETE FROM ${q(d, LOCK_TABLE)} WHERE ${q(d, 'id')} = 1 AND ${q(d, 'run_id')} = ${d.placeholder(1)} AND ${q(d, 'pid')} = ${d.placeholder(2)}`,
    params: [runId, pid],
  };
}

/** One row when the lock table holds any row, none when it is empty. */
export function anyLockRowQuery(d: Dialect): Query {
  return { sql: `SELECT 1 AS ${q(d, 'x')} FROM ${q(d, LOCK_TABLE)} LIMIT 1`, params: [] };
}

/** DROP TABLE of `dataflow_migration_lock` (a rehearse removes the table its lock created). */
export function dropLockTableSql(d: Dialect): string {
  return `DROP TABLE ${q(d, LOCK_TABLE)}`;
}
