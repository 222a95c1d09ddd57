/**
 * Migration tracking in the target database (NODES.md "MigrationNode"): the records in
 * `dataflow_migrations`, the append-only `dataflow_migration_events`, and the migration lock a run
 * holds for its whole length. SQL comes from migration-sql.ts.
 */
import { hostname } from 'node:os';
import type { Database } from './connect.ts';
import { isLockUnavailable, type Dialect, type Step } from './dialect.ts';
import { DatabaseError, type Driver } from './driver.ts';
import * as sql from './migration-sql.ts';
import type { MigrationStatus } from './migration-sql.ts';

export type { MigrationStatus } from './migration-sql.ts';

/** How long a run waits for another run's migration lock by default. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;
/**
 * SQLite lock rows expire this long after the last heartbeat, so a crashed run's lock is taken
 * over (at once when its process is gone from this host). The heartbeat cannot commit while the
 * run's own transaction is open, so a single transaction longer than this lets a waiting run take
 * the lock when it ends; the holder then notices (its heartbeat finds the row gone).
 */
export const LOCK_TTL_MS = 60_000;
const HEARTBEAT_MS = 5_000;
/** Heartbeat retry while the run's connection is inside a transaction (its write cannot commit on its own). */
const HEARTBEAT_RETRY_MS = 250;
const POLL_MS = 100;
const SQLITE_BUSY_WAIT_MS = 50;
/** How long dropping a rehearse's lock table waits for another session using the table before it leaves it. */
const DROP_WAIT_MS = 250;

/** Reads need only a dialect and a query function: a Database, or a node's read-only `ctx.query`. */
export interface MigrationReader {
  readonly dialect: Dialect;
  query: Driver['query'];
}

function reader(db: Database | MigrationReader): MigrationReader {
  return 'driver' in db ? { dialect: db.dialect, query: db.driver.query.bind(db.driver) } : db;
}

/** One row of `dataflow_migrations`; times are ISO 8601 text. */
export interface MigrationRecord {
  name: string;
  status: MigrationStatus;
  checksum: string | null;
  version: string | null;
  description: string | null;
  breakingChange: boolean | null;
  metadata: Record<string, unknown> | null;
  runId: string | null;
  workflow: string | null;
  appliedBy: string | null;
  startedAt: string | null;
  completedAt: string | null;
  error: string | null;
}

/** The run holding the migration lock, as its lock row describes it. */
export interface LockHolder {
  runId: string;
  workflow: string | null;
  pid: number | null;
  host: string | null;
  /** PostgreSQL backend pid of the holding session. */
  backendPid: number | null;
  since: string;
  heartbeatAt: string | null;
  /** SQLite: when the lock counts as abandoned unless refreshed. */
  expiresAt: string | null;
}

/** A held migration lock. */
export interface MigrationLock {
  /** Releases the lock. Call it after the run's transaction ended; calling it twice is harmless. */
  release(): Promise<void>;
}

/** How a run takes the migration lock. */
export interface LockOptions {
  /** How long to wait for another run's lock (default DEFAULT_LOCK_WAIT_MS). */
  waitMs?: number;
  /**
   * Rehearse: when this acquisition created `dataflow_migration_lock`, release drops it again if it
   * is empty and no other session uses it, so the run leaves no table behind.
   */
  dropCreatedTable?: boolean;
}

/** Another run holds the migration lock; the message names it (run id, workflow, pid, host, since). */
export class MigrationLockError extends Error {
  override name = 'MigrationLockError';
  constructor(
    message: string,
    readonly holder: LockHolder | null = null,
  ) {
    super(message);
  }
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function existingTables(r: MigrationReader): Promise<Set<string>> {
  const q = sql.existingTablesQuery(r.dialect);
  const { rows } = await r.query<{ name: string }>(q.sql, q.params);
  return new Set(rows.map((row) => row.name));
}

function toRecord(row: Record<string, unknown>): MigrationRecord {
  let metadata: Record<string, unknown> | null = null;
  if (typeof row.metadata === 'string') {
    try {
      metadata = JSON.parse(row.metadata) as Record<string, unknown>;
    } catch {
      metadata = { raw: row.metadata };
    }
  }
  return {
    name: String(row.name),
    status: row.status as MigrationStatus,
    checksum: str(row.checksum),
    version: str(row.version),
    description: str(row.description),
    breakingChange:
      row.breaking_change === null || row.breaking_change === undefined ? null : Boolean(row.breaking_change),
    metadata,
    runId: str(row.run_id),
    workflow: str(row.workflow),
    appliedBy: str(row.applied_by),
    startedAt: iso(row.started_at),
    completedAt: iso(row.completed_at),
    error: str(row.error),
  };
}

/** The record of a migration, or null when it was never recorded (or tracking was never used here). Read only. */
export async function readMigration(db: Database | MigrationReader, name: string): Promise<MigrationRecord | null> {
  const r = reader(db);
  if (!(await existingTables(r)).has(sql.MIGRATIONS_TABLE)) return null;
  const q = sql.selectMigrationQuery(r.dialect, name);
  const { rows } = await r.query(q.sql, q.params);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The status of a migration; `pending` when it was never recorded. Read only (never creates tables). */
export async function readStatus(db: Database | MigrationReader, name: string): Promise<MigrationStatus> {
  return (await readMigration(db, name))?.status ?? 'pending';
}

/** Every migration record, oldest first (`dataflow history`); empty when tracking was never used here. */
export async function history(db: Database | MigrationReader): Promise<MigrationRecord[]> {
  const r = reader(db);
  if (!(await existingTables(r)).has(sql.MIGRATIONS_TABLE)) return [];
  const q = sql.historyQuery(r.dialect);
  const { rows } = await r.query(q.sql, q.params);
  return rows.map(toRecord);
}

/** What a record writes besides name and status. */
export interface RecordOptions {
  runId: string;
  workflow: string;
  appliedBy: string;
  /** Written for completions; omitted, the stored checksum is kept. */
  checksum?: string;
  /** `version`, `description`, `breaking_change` go to their columns; all of it to `metadata` as JSON. */
  metadata?: Record<string, unknown>;
  /** Extra fields of the event's detail (e.g. the node id). */
  detail?: Record<string, unknown>;
  /** Timestamp to record; now by default. */
  at?: string;
  /** Plan mode: an earlier record of the same plan creates the tracking tables, so these steps need not. */
  tablesPlanned?: boolean;
}

/**
 * The steps that record a migration: CREATE TABLE IF NOT EXISTS when the tracking tables are not
 * there yet (so creating them is part of the first write), then the upsert and its event. Reads
 * the catalog only.
 */
export async function recordMigrationSteps(
  db: Database | MigrationReader,
  name: string,
  status: MigrationStatus,
  options: RecordOptions,
): Promise<Step[]> {
  const r = reader(db);
  const present = options.tablesPlanned ? null : await existingTables(r);
  const create =
    !present || (present.has(sql.MIGRATIONS_TABLE) && present.has(sql.EVENTS_TABLE))
      ? []
      : sql.createTrackingTablesSteps(r.dialect);
  const m = options.metadata;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return [
    ...create,
    ...sql.recordSteps(r.dialect, {
      name,
      status,
      runId: options.runId,
      workflow: options.workflow,
      appliedBy: options.appliedBy,
      at: options.at ?? new Date().toISOString(),
      checksum: options.checksum,
      metadata: m && {
        version: text(m.version),
        description: text(m.description),
        breakingChange: typeof m.breaking_change === 'boolean' ? m.breaking_change : null,
        json: JSON.stringify(m),
      },
      error: null,
      detail: JSON.stringify({
        workflow: options.workflow,
        ...(options.checksum !== undefined && { checksum: options.checksum }),
        ...options.detail,
      }),
    }),
  ];
}

/** Runs steps in one transaction of their own, or inside the transaction already open. */
async function runSteps(db: Database, steps: readonly Step[]): Promise<void> {
  const own = !db.driver.inTransaction();
  if (own) await db.driver.query(db.dialect.beginSql());
  try {
    for (const s of steps) await db.dialect.executeStep(db.driver, s);
    if (own) await db.driver.query(sql.COMMIT);
  } catch (e) {
    if (own && db.driver.inTransaction()) await db.driver.query(sql.ROLLBACK);
    throw e;
  }
}

/** Creates the tracking tables if they are missing. */
export async function ensureTables(db: Database): Promise<void> {
  const present = await existingTables(reader(db));
  if (!present.has(sql.MIGRATIONS_TABLE) || !present.has(sql.EVENTS_TABLE))
    await runSteps(db, sql.createTrackingTablesSteps(db.dialect));
}

/** Records a migration's status (and an event) directly, outside a workflow. */
export async function record(
  db: Database,
  name: string,
  status: MigrationStatus,
  options: RecordOptions,
): Promise<void> {
  await runSteps(db, await recordMigrationSteps(db, name, status, options));
}

/**
 * Marks every migration the run left `pending` or `running` as `failed`, with the error, and
 * logs an event for each. Call it after the run's transaction ended. Nothing to do when the run
 * recorded nothing (or its records were rolled back).
 */
export async function failRunMigrations(db: Database, runId: string, error: string): Promise<void> {
  if (!(await existingTables(reader(db))).has(sql.MIGRATIONS_TABLE)) return;
  if (db.driver.inTransaction())
    throw new Error(
      "failRunMigrations must be called after the run's transaction ended, so the failure is committed on its own",
    );
  const d = db.dialect;
  await db.driver.query(d.beginSql());
  try {
    const open = sql.openMigrationsOfRunQuery(d, runId);
    const { rows } = await db.driver.query<{ name: string }>(open.sql, open.params);
    const at = new Date().toISOString();
    for (const { name } of rows) {
      const fail = sql.failMigrationQuery(d, name, runId, error);
      await db.driver.query(fail.sql, fail.params);
      const event = sql.insertEventQuery(d, name, 'failed', runId, at, JSON.stringify({ error }));
      await db.driver.query(event.sql, event.params);
    }
    await db.driver.query(sql.COMMIT);
  } catch (e) {
    if (db.driver.inTransaction()) await db.driver.query(sql.ROLLBACK);
    throw e;
  }
}

function toHolder(row: Record<string, unknown>): LockHolder {
  return {
    runId: String(row.run_id),
    workflow: str(row.workflow),
    pid: num(row.pid),
    host: str(row.host),
    backendPid: num(row.backend_pid),
    since: iso(row.acquired_at) ?? '',
    heartbeatAt: iso(row.heartbeat_at),
    expiresAt: iso(row.expires_at),
  };
}

async function readLockRow(r: MigrationReader): Promise<LockHolder | null> {
  if (!(await existingTables(r)).has(sql.LOCK_TABLE)) return null;
  const q = sql.selectLockQuery(r.dialect);
  try {
    const { rows } = await r.query(q.sql, q.params);
    return rows[0] ? toHolder(rows[0]) : null;
  } catch (e) {
    // A rehearse dropped its lock table between the two queries: no holder.
    if (!(await existingTables(r).catch(() => null))?.has(sql.LOCK_TABLE)) return null;
    throw e;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock row whose expiry passed, or whose process on this host no longer exists. */
function abandoned(h: LockHolder, now: number): boolean {
  if (h.expiresAt !== null && Date.parse(h.expiresAt) <= now) return true;
  return h.host === hostname() && h.pid !== null && !pidAlive(h.pid);
}

/** The run holding the migration lock right now, or null when none does (read only). */
export async function liveLockHolder(db: Database | MigrationReader): Promise<LockHolder | null> {
  const r = reader(db);
  const row = await readLockRow(r);
  if (!row) return null;
  if (r.dialect.capabilities.supportsAdvisoryLock) {
    const { rows } = await r.query<{ pid: number }>(sql.ADVISORY_HOLDERS);
    return rows.some((x) => Number(x.pid) === row.backendPid) ? row : null;
  }
  return abandoned(row, Date.now()) ? null : row;
}

/**
 * True when the migration needs a rollback: it `failed`, or it is `running` but no live run holds
 * the migration lock for it (the run that started it is gone). Read only.
 */
export async function needsRollback(db: Database | MigrationReader, name: string): Promise<boolean> {
  const rec = await readMigration(db, name);
  if (!rec) return false;
  if (rec.status === 'failed') return true;
  if (rec.status !== 'running') return false;
  const holder = await liveLockHolder(db);
  return holder === null || holder.runId !== rec.runId;
}

function lockError(holder: LockHolder | null, waitMs: number): MigrationLockError {
  const waited = `waited ${(waitMs / 1000).toFixed(1)} s`;
  if (!holder) {
    return new MigrationLockError(
      `the migration lock is held by another run that has not recorded itself yet (${waited}); try again once it finished`,
    );
  }
  const who = [
    `run ${holder.runId}`,
    holder.workflow !== null && `workflow "${holder.workflow}"`,
    holder.pid !== null && `pid ${holder.pid}`,
    holder.host !== null && `host ${holder.host}`,
    `since ${holder.since}`,
  ]
    .filter(Boolean)
    .join(', ');
  const expiry = holder.expiresAt ? `; if that run crashed, its lock expires at ${holder.expiresAt}` : '';
  return new MigrationLockError(
    `the migration lock is held by ${who} (${waited}); wait for that run to finish${expiry}`,
    holder,
  );
}

/**
 * Takes the migration lock for a run, waiting up to `waitMs` (default 10 s) for another run to
 * release it, then failing with MigrationLockError naming the holder. Call it before the run opens
 * a transaction: the lock row commits on its own. PostgreSQL: a session advisory lock on the
 * run's connection plus a row naming the holder. SQLite: a lock row with owner, pid, host,
 * heartbeat and expiry, refreshed while held; a row that expired, or whose process no longer
 * exists on this host, is taken over. With `dropCreatedTable` (rehearse), release removes the
 * lock table again when this acquisition created it and it is unused.
 */
export async function acquireMigrationLock(
  db: Database,
  owner: { runId: string; workflow: string },
  options?: LockOptions,
): Promise<MigrationLock> {
  if (db.driver.inTransaction())
    throw new Error(
      'acquireMigrationLock must be called before the run opens a transaction: the lock row commits on its own',
    );
  const waitMs = Math.max(0, options?.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  const drop = options?.dropCreatedTable ?? false;
  return db.dialect.capabilities.supportsAdvisoryLock
    ? acquireAdvisory(db, owner, waitMs, drop)
    : acquireLockRow(db, owner, waitMs, drop);
}

const isBusy = (e: unknown) => e instanceof DatabaseError && isLockUnavailable(e.code);

/** Runs `fn` with the SQLite connection's busy timeout set to `ms`, then restores it. */
async function withBusyTimeout<T>(db: Database, ms: number, fn: () => Promise<T>): Promise<T> {
  const { rows } = await db.driver.query(sql.SQLITE_BUSY_TIMEOUT);
  const previous = Number(Object.values(rows[0] ?? {})[0] ?? 0);
  await db.driver.query(sql.sqliteSetBusyTimeout(ms));
  try {
    return await fn();
  } finally {
    await db.driver.query(sql.sqliteSetBusyTimeout(previous));
  }
}

/**
 * Drops the lock table if it is empty, in one transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL:
 * after an ACCESS EXCLUSIVE lock under a short lock_timeout). Leaves it when another run holds a
 * row in it or another session is using it.
 */
async function dropLockTableIfUnused(db: Database): Promise<void> {
  const d = db.dialect;
  const q = db.driver.query.bind(db.driver);
  const pg = d.capabilities.supportsAdvisoryLock;
  const attempt = async () => {
    try {
      await q(d.beginSql());
      if (pg) for (const s of sql.lockLockTableSqls(d, DROP_WAIT_MS)) await q(s);
      const any = sql.anyLockRowQuery(d);
      if ((await q(any.sql, any.params)).rows.length === 0) await q(sql.dropLockTableSql(d));
      await q(sql.COMMIT);
    } catch (e) {
      if (db.driver.inTransaction()) await q(sql.ROLLBACK);
      if (!isBusy(e)) throw e;
    }
  };
  await (pg ? attempt() : withBusyTimeout(db, DROP_WAIT_MS, attempt));
}

async function acquireAdvisory(
  db: Database,
  owner: { runId: string; workflow: string },
  waitMs: number,
  dropCreated: boolean,
): Promise<MigrationLock> {
  const deadline = Date.now() + waitMs;
  const q = db.driver.query.bind(db.driver);
  for (;;) {
    const { rows } = await q<{ ok: boolean }>(sql.TRY_ADVISORY_LOCK);
    if (rows[0]?.ok) break;
    if (Date.now() >= deadline) throw lockError(await liveLockHolder(db), waitMs);
    await sleep(Math.min(POLL_MS, deadline - Date.now()));
  }
  const pid = process.pid;
  let created = false;
  try {
    created = dropCreated && !(await existingTables(reader(db))).has(sql.LOCK_TABLE);
    await q(sql.createLockTableSql(db.dialect));
    const row = sql.upsertLockQuery(db.dialect, {
      runId: owner.runId,
      workflow: owner.workflow,
      pid,
      host: hostname(),
      at: new Date().toISOString(),
      expiresAt: null,
    });
    await q(row.sql, row.params);
  } catch (e) {
    await q(sql.ADVISORY_UNLOCK);
    throw e;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      if (db.driver.inTransaction()) throw new Error("release the migration lock after the run's transaction ended");
      released = true;
      const del = sql.deleteLockQuery(db.dialect, owner.runId, pid);
      try {
        await q(del.sql, del.params);
        if (created) await dropLockTableIfUnused(db);
      } finally {
        await q(sql.ADVISORY_UNLOCK);
      }
    },
  };
}

/** `created`: this attempt created the lock table. */
type Attempt = { ok: true; created: boolean } | { ok: false; holder: LockHolder | null };

/** One attempt in a short BEGIN IMMEDIATE transaction: take the row when it is free or abandoned. */
async function tryTakeLockRow(db: Database, owner: { runId: string; workflow: string }): Promise<Attempt> {
  const d = db.dialect;
  const q = db.driver.query.bind(db.driver);
  try {
    await q(d.beginSql());
  } catch (e) {
    if (isBusy(e)) return { ok: false, holder: null };
    throw e;
  }
  try {
    const created = !(await existingTables(reader(db))).has(sql.LOCK_TABLE);
    await q(sql.createLockTableSql(d));
    const sel = sql.selectLockQuery(d);
    const { rows } = await q(sel.sql, sel.params);
    const holder = rows[0] ? toHolder(rows[0]) : null;
    const now = Date.now();
    if (holder && !abandoned(holder, now)) {
      await q(sql.ROLLBACK);
      return { ok: false, holder };
    }
    const at = new Date(now).toISOString();
    const row = sql.upsertLockQuery(d, {
      runId: owner.runId,
      workflow: owner.workflow,
      pid: process.pid,
      host: hostname(),
      at,
      expiresAt: new Date(now + LOCK_TTL_MS).toISOString(),
    });
    await q(row.sql, row.params);
    await q(sql.COMMIT);
    return { ok: true, created };
  } catch (e) {
    if (db.driver.inTransaction()) await q(sql.ROLLBACK);
    if (isBusy(e)) return { ok: false, holder: null };
    throw e;
  }
}

async function acquireLockRow(
  db: Database,
  owner: { runId: string; workflow: string },
  waitMs: number,
  dropCreated: boolean,
): Promise<MigrationLock> {
  const deadline = Date.now() + waitMs;
  const created = await withBusyTimeout(db, SQLITE_BUSY_WAIT_MS, async () => {
    let holder: LockHolder | null = null;
    for (;;) {
      const attempt = await tryTakeLockRow(db, owner);
      if (attempt.ok) return attempt.created;
      holder = attempt.holder ?? holder;
      if (Date.now() >= deadline) throw lockError(holder ?? (await readLockRow(reader(db))), waitMs);
      await sleep(Math.min(POLL_MS, deadline - Date.now()));
    }
  });
  return heldLockRow(db, owner.runId, dropCreated && created);
}

/** A held SQLite lock row: a heartbeat refreshes its expiry until release; `dropTable`: release drops the table if unused. */
function heldLockRow(db: Database, runId: string, dropTable: boolean): MigrationLock {
  const d = db.dialect;
  const pid = process.pid;
  let timer: NodeJS.Timeout | undefined;
  let released = false;
  let lost = false;
  const schedule = (ms: number) => {
    timer = setTimeout(() => void beat(), ms);
    timer.unref();
  };
  const beat = async () => {
    if (released) return;
    if (db.driver.inTransaction()) return schedule(HEARTBEAT_RETRY_MS);
    const now = Date.now();
    const hb = sql.heartbeatLockQuery(
      d,
      runId,
      pid,
      new Date(now).toISOString(),
      new Date(now + LOCK_TTL_MS).toISOString(),
    );
    try {
      const { rowCount } = await db.driver.query(hb.sql, hb.params);
      if (rowCount === 0) {
        lost = true;
        return;
      }
    } catch {
      return schedule(HEARTBEAT_RETRY_MS);
    }
    schedule(HEARTBEAT_MS);
  };
  schedule(HEARTBEAT_MS);
  return {
    async release() {
      if (released) return;
      if (db.driver.inTransaction()) throw new Error("release the migration lock after the run's transaction ended");
      released = true;
      clearTimeout(timer);
      if (lost) return;
      const del = sql.deleteLockQuery(d, runId, pid);
      await db.driver.query(del.sql, del.params);
      if (dropTable) await dropLockTableIfUnused(db);
    },
  };
}
