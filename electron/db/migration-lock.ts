/**
 * The migration lock a run holds for its whole length, so two runs never change one database at
 * once. What both dialects share is here: the holder row in `dataflow_migration_lock`, the error
 * naming the holder, and `acquireMigrationLock`, which reaches the dialect's
 * `Dialect.acquireMigrationLock` (PostgreSQL: electron/db/postgres/migration-lock.ts, an advisory
 * lock; SQLite: electron/db/sqlite/migration-lock.ts, the lock row with heartbeat and expiry).
 */
import { hostname } from 'node:os';
import { DataflowError } from '../../shared/errors.ts';
import type { Database } from './connect.ts';
import { isLockUnavailable, type Dialect } from './dialect.ts';
import { DatabaseError } from './driver.ts';
import { existingTrackingTables, reader, type MigrationReader } from './migration-reader.ts';
import * as sql from './migration-sql.ts';

/** How long a run waits for another run's migration lock by default. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;
/** How often a waiting run tries the lock again. */
export const POLL_MS = 100;
/** How long dropping a rehearse's lock table waits for another session using the table before it leaves it. */
export const DROP_WAIT_MS = 250;

/** The run a lock is taken for. */
export interface LockOwner {
  runId: string;
  workflow: string;
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

/**
 * Another run holds the migration lock (code `migration_lock_held`); the message names it (run
 * id, workflow, pid, host, since), `holder` describes it where its row was read.
 */
export class MigrationLockError extends DataflowError {
  constructor(
    message: string,
    readonly holder: LockHolder | null = null,
  ) {
    super('migration_lock_held', message);
    this.name = 'MigrationLockError';
  }
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** True for SQLITE_BUSY / lock_timeout: another session holds what this one asked for. */
export const isBusy = (e: unknown) => e instanceof DatabaseError && isLockUnavailable(e.code);

/** A row of `selectLockQuery` as a LockHolder. */
export function toHolder(row: Record<string, unknown>): LockHolder {
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

/** The lock row naming this process as holder for `owner`, written at `now`; `expiresAt` null: never expires by time. */
export function holderRowQuery(d: Dialect, owner: LockOwner, now: number, expiresAt: string | null): sql.Query {
  return sql.upsertLockQuery(d, {
    runId: owner.runId,
    workflow: owner.workflow,
    pid: process.pid,
    host: hostname(),
    at: new Date(now).toISOString(),
    expiresAt,
  });
}

/** The lock row as it is, live or not; null when there is none. */
export async function readLockRow(r: MigrationReader): Promise<LockHolder | null> {
  if (!(await existingTrackingTables(r)).has(sql.LOCK_TABLE)) return null;
  const q = sql.selectLockQuery(r.dialect);
  try {
    const { rows } = await r.query(q.sql, q.params);
    return rows[0] ? toHolder(rows[0]) : null;
  } catch (e) {
    // A rehearse dropped its lock table between the two queries: no holder.
    if (!(await existingTrackingTables(r).catch(() => null))?.has(sql.LOCK_TABLE)) return null;
    throw e;
  }
}

/** The run holding the migration lock right now, or null when none does (read only). */
export async function liveLockHolder(db: Database | MigrationReader): Promise<LockHolder | null> {
  const r = reader(db);
  const row = await readLockRow(r);
  if (!row) return null;
  return (await r.dialect.holdsMigrationLock(r, row)) ? row : null;
}

/** The error of a run that waited `waitMs` in vain, naming the holder when its row is known. */
export function lockHeldError(holder: LockHolder | null, waitMs: number): MigrationLockError {
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
 * a transaction: the lock row commits on its own. How the lock is held is the dialect's
 * (`Dialect.acquireMigrationLock`). With `dropCreatedTable` (rehearse), release removes the lock
 * table again when this acquisition created it and it is unused.
 */
export async function acquireMigrationLock(
  db: Database,
  owner: LockOwner,
  options?: LockOptions,
): Promise<MigrationLock> {
  if (db.driver.inTransaction())
    throw new Error(
      'acquireMigrationLock must be called before the run opens a transaction: the lock row commits on its own',
    );
  return db.dialect.acquireMigrationLock(db, owner, {
    waitMs: Math.max(0, options?.waitMs ?? DEFAULT_LOCK_WAIT_MS),
    dropCreatedTable: options?.dropCreatedTable ?? false,
  });
}

/** Refuses a release inside the run's transaction (the row's delete must commit on its own). */
export function assertReleasable(db: Database): void {
  if (db.driver.inTransaction()) throw new Error("release the migration lock after the run's transaction ended");
}

/**
 * Drops the lock table if it is empty, in one transaction; `lockTable`, run first inside it, makes
 * sure no other session uses the table (PostgreSQL: an ACCESS EXCLUSIVE lock under a short
 * lock_timeout; SQLite's BEGIN IMMEDIATE is enough). Leaves the table when another run holds a row
 * in it or another session is using it.
 */
export async function dropLockTableIfUnused(db: Database, lockTable?: () => Promise<void>): Promise<void> {
  const d = db.dialect;
  const q = db.driver.query.bind(db.driver);
  try {
    await q(d.beginSql());
    if (lockTable) await lockTable();
    const any = sql.anyLockRowQuery(d);
    if ((await q(any.sql, any.params)).rows.length === 0) await q(sql.dropLockTableSql(d));
    await q(sql.COMMIT);
  } catch (e) {
    if (db.driver.inTransaction()) await q(sql.ROLLBACK);
    if (!isBusy(e)) throw e;
  }
}
