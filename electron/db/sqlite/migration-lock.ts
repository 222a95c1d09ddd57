/**
 * SQLite's migration lock (`Dialect.acquireMigrationLock`): the row in `dataflow_migration_lock`
 * with owner, pid, host, heartbeat and expiry, taken in a short BEGIN IMMEDIATE transaction under
 * a short busy timeout and refreshed while held. A row that expired, or whose process no longer
 * exists on this host, is taken over.
 */
import { hostname } from 'node:os';
import type { Database } from '../connect.ts';
import type { MigrationLockOptions } from '../dialect.ts';
import {
  DROP_WAIT_MS,
  POLL_MS,
  assertReleasable,
  dropLockTableIfUnused,
  holderRowQuery,
  isBusy,
  lockHeldError,
  readLockRow,
  sleep,
  toHolder,
  type LockHolder,
  type LockOwner,
  type MigrationLock,
} from '../migration-lock.ts';
import { existingTrackingTables, reader, type MigrationReader } from '../migration-reader.ts';
import * as sql from '../migration-sql.ts';

/**
 * Lock rows expire this long after the last heartbeat, so a crashed run's lock is taken over (at
 * once when its process is gone from this host). The heartbeat cannot commit while the run's own
 * transaction is open, so a single transaction longer than this lets a waiting run take the lock
 * when it ends; the holder then notices (its heartbeat finds the row gone).
 */
export const LOCK_TTL_MS = 60_000;
const HEARTBEAT_MS = 5_000;
/** Heartbeat retry while the run's connection is inside a transaction (its write cannot commit on its own). */
const HEARTBEAT_RETRY_MS = 250;
/** The busy timeout while taking the lock: a waiting run polls rather than blocks in SQLite. */
const BUSY_WAIT_MS = 50;

/** Runs `fn` with the connection's busy timeout set to `ms`, then restores it. */
async function withBusyTimeout<T>(db: Database, ms: number, fn: () => Promise<T>): Promise<T> {
  const { rows } = await db.driver.query('PRAGMA busy_timeout');
  const previous = Number(Object.values(rows[0] ?? {})[0] ?? 0);
  const set = (v: number) => db.driver.query(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(v))}`);
  await set(ms);
  try {
    return await fn();
  } finally {
    await set(previous);
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

/** The row's run holds the lock unless the row expired or its process is gone from this host. */
export async function holdsMigrationLock(_reader: MigrationReader, holder: LockHolder): Promise<boolean> {
  return !abandoned(holder, Date.now());
}

/** `created`: this attempt created the lock table. */
type Attempt = { ok: true; created: boolean } | { ok: false; holder: LockHolder | null };

/** One attempt in a short BEGIN IMMEDIATE transaction: take the row when it is free or abandoned. */
async function tryTakeLockRow(db: Database, owner: LockOwner): Promise<Attempt> {
  const d = db.dialect;
  const q = db.driver.query.bind(db.driver);
  try {
    await q(d.beginSql());
  } catch (e) {
    if (isBusy(e)) return { ok: false, holder: null };
    throw e;
  }
  try {
    const created = !(await existingTrackingTables(reader(db))).has(sql.LOCK_TABLE);
    await q(sql.createLockTableSql(d));
    const sel = sql.selectLockQuery(d);
    const { rows } = await q(sel.sql, sel.params);
    const holder = rows[0] ? toHolder(rows[0]) : null;
    const now = Date.now();
    if (holder && !abandoned(holder, now)) {
      await q(sql.ROLLBACK);
      return { ok: false, holder };
    }
    const row = holderRowQuery(d, owner, now, new Date(now + LOCK_TTL_MS).toISOString());
    await q(row.sql, row.params);
    await q(sql.COMMIT);
    return { ok: true, created };
  } catch (e) {
    if (db.driver.inTransaction()) await q(sql.ROLLBACK);
    if (isBusy(e)) return { ok: false, holder: null };
    throw e;
  }
}

/** Tries the lock row until it is taken or `waitMs` passed; the held row's heartbeat runs until release. */
export async function acquireMigrationLock(
  db: Database,
  owner: LockOwner,
  options: MigrationLockOptions,
): Promise<MigrationLock> {
  const { waitMs } = options;
  const deadline = Date.now() + waitMs;
  const created = await withBusyTimeout(db, BUSY_WAIT_MS, async () => {
    let holder: LockHolder | null = null;
    for (;;) {
      const attempt = await tryTakeLockRow(db, owner);
      if (attempt.ok) return attempt.created;
      holder = attempt.holder ?? holder;
      if (Date.now() >= deadline) throw lockHeldError(holder ?? (await readLockRow(reader(db))), waitMs);
      await sleep(Math.min(POLL_MS, deadline - Date.now()));
    }
  });
  return heldLockRow(db, owner.runId, options.dropCreatedTable && created);
}

/** A held lock row: a heartbeat refreshes its expiry until release; `dropTable`: release drops the table if unused. */
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
      assertReleasable(db);
      released = true;
      clearTimeout(timer);
      if (lost) return;
      const del = sql.deleteLockQuery(d, runId, pid);
      await db.driver.query(del.sql, del.params);
      if (dropTable) await withBusyTimeout(db, DROP_WAIT_MS, () => dropLockTableIfUnused(db));
    },
  };
}
