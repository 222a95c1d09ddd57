/**
 * SQL of migration tracking: the tables `dataflow_migrations`, `dataflow_migration_events` and
 * `dataflow_migration_lock`, the record steps a MigrationNode runs, and the migration lock
 * (PostgreSQL advisory lock plus a descriptive row; SQLite lock row). The only place where the
 * dialects' differences for tracking (types, advisory lock, busy timeout) are spelled out.
 */
import type { Dialect, Step } from './dialect.ts';
import { MIGRATION_STATUSES } from '../../shared/nodes/migration.ts';

export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

export const MIGRATIONS_TABLE = 'dataflow_migrations';
export const EVENTS_TABLE = 'dataflow_migration_events';
export const LOCK_TABLE = 'dataflow_migration_lock';

/**
 * Key of the PostgreSQL advisory lock (the bytes "DF_M"). Below 2^32, so pg_locks shows it as
 * classid 0, objid = key, objsubid 1.
 */
export const ADVISORY_LOCK_KEY = 1145462605;

/** A statement with bound params. */
export interface Query {
  sql: string;
  params: unknown[];
}

interface Types {
  text: string;
  bool: string;
  time: string;
  int: string;
  serial: string;
}

function types(d: Dialect): Types {
  return d.name === 'postgres'
    ? {
        text: 'text',
        bool: 'boolean',
        time: 'timestamptz',
        int: 'integer',
        serial: 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
      }
    : { text: 'TEXT', bool: 'INTEGER', time: 'TEXT', int: 'INTEGER', serial: 'INTEGER PRIMARY KEY AUTOINCREMENT' };
}

const q = (d: Dialect, name: string) => d.quoteIdent(name);
const cols = (d: Dialect, names: readonly string[]) => names.map((n) => q(d, n)).join(', ');
const params = (d: Dialect, count: number, from = 1) =>
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
  const t = types(d);
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

const OPEN_STATUSES: readonly MigrationStatus[] = ['pending', 'running'];

/** Names of the migrations a run left pending or running. */
export function openMigrationsOfRunQuery(d: Dialect, runId: string): Query {
  return {
    sql: `SELECT ${q(d, 'name')} FROM ${q(d, MIGRATIONS_TABLE)} WHERE ${q(d, 'run_id')} = ${d.placeholder(1)} AND ${q(d, 'status')} IN (${params(d, 2, 2)}) ORDER BY ${q(d, 'name')}`,
    params: [runId, ...OPEN_STATUSES],
  };
}

/** Marks one migration of a run failed, with the error. */
export function failMigrationQuery(d: Dialect, name: string, runId: string, error: string): Query {
  return {
    sql:
      `UPDATE ${q(d, MIGRATIONS_TABLE)} SET ${q(d, 'status')} = ${d.placeholder(1)}, ${q(d, 'error')} = ${d.placeholder(2)} ` +
      `WHERE ${q(d, 'name')} = ${d.placeholder(3)} AND ${q(d, 'run_id')} = ${d.placeholder(4)} AND ${q(d, 'status')} IN (${params(d, 2, 5)})`,
    params: ['failed', error, name, runId, ...OPEN_STATUSES],
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
  const t = types(d);
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

/** Writes this run as the holder; on PostgreSQL also records the session's backend pid. */
export function upsertLockQuery(d: Dialect, v: LockRowValues): Query {
  const names = ['id', 'run_id', 'workflow', 'pid', 'host', 'backend_pid', 'acquired_at', 'heartbeat_at', 'expires_at'];
  const backend = d.name === 'postgres' ? 'pg_backend_pid()' : 'NULL';
  return {
    sql:
      `INSERT INTO ${q(d, LOCK_TABLE)} (${cols(d, names)}) VALUES (1, ${params(d, 4)}, ${backend}, ${params(d, 3, 5)}) ` +
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

/**
 * PostgreSQL, inside a transaction: wait at most `ms` for an ACCESS EXCLUSIVE lock on the lock
 * table (SQLSTATE 55P03 when another session uses it), so no other session reads it while it is dropped.
 */
export function lockLockTableSqls(d: Dialect, ms: number): string[] {
  return [
    `SET LOCAL lock_timeout = '${Math.max(1, Math.floor(ms))}ms'`,
    `LOCK TABLE ${q(d, LOCK_TABLE)} IN ACCESS EXCLUSIVE MODE`,
  ];
}

/** PostgreSQL: take the advisory lock without waiting; one row `{ ok: boolean }`. */
export const TRY_ADVISORY_LOCK = `SELECT pg_try_advisory_lock(${ADVISORY_LOCK_KEY}) AS ok`;
/** PostgreSQL: release the advisory lock held by this session. */
export const ADVISORY_UNLOCK = `SELECT pg_advisory_unlock(${ADVISORY_LOCK_KEY}) AS ok`;
/** PostgreSQL: backend pids of the sessions holding the advisory lock in this database. */
export const ADVISORY_HOLDERS =
  `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = ${ADVISORY_LOCK_KEY}::oid AND objsubid = 1 ` +
  `AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/** SQLite: the connection's busy timeout (one row, one value). */
export const SQLITE_BUSY_TIMEOUT = 'PRAGMA busy_timeout';
/** SQLite: sets the busy timeout in milliseconds. */
export function sqliteSetBusyTimeout(ms: number): string {
  return `PRAGMA busy_timeout = ${Math.max(0, Math.floor(ms))}`;
}
