/**
 * PostgreSQL's migration lock (`Dialect.acquireMigrationLock`): a session advisory lock on the
 * run's connection, plus the row in `dataflow_migration_lock` naming the holder and its backend
 * pid. The lock ends with the session, so a crashed run's lock is free at once; pg_locks tells
 * whether the session a row names still holds it.
 */
import type { Database } from '../connect.ts';
import type { MigrationLockOptions } from '../dialect.ts';
import {
  DROP_WAIT_MS,
  POLL_MS,
  assertReleasable,
  dropLockTableIfUnused,
  holderRowQuery,
  liveLockHolder,
  lockHeldError,
  sleep,
  type LockHolder,
  type LockOwner,
  type MigrationLock,
} from '../migration-lock.ts';
import { existingTrackingTables, reader, type MigrationReader } from '../migration-reader.ts';
import * as sql from '../migration-sql.ts';

/**
 * Key of the advisory lock (the bytes "DF_M"). Below 2^32, so pg_locks shows it as classid 0,
 * objid = key, objsubid 1.
 */
export const ADVISORY_LOCK_KEY = 1145462605;

/** Take the advisory lock without waiting; one row `{ ok: boolean }`. */
const TRY_ADVISORY_LOCK = `SELECT pg_try_advisory_lock(${ADVISORY_LOCK_KEY}) AS ok`;
/** Release the advisory lock held by this session. */
const ADVISORY_UNLOCK = `SELECT pg_advisory_unlock(${ADVISORY_LOCK_KEY}) AS ok`;
/** Backend pids of the sessions holding the advisory lock in this database. */
const ADVISORY_HOLDERS =
  `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = ${ADVISORY_LOCK_KEY}::oid AND objsubid = 1 ` +
  `AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/** The row's session (its backend pid) holds the advisory lock. */
export async function holdsMigrationLock(r: MigrationReader, holder: LockHolder): Promise<boolean> {
  const { rows } = await r.query<{ pid: number }>(ADVISORY_HOLDERS);
  return rows.some((x) => Number(x.pid) === holder.backendPid);
}

/**
 * Inside the drop's transaction: wait at most DROP_WAIT_MS for an ACCESS EXCLUSIVE lock on the
 * lock table (SQLSTATE 55P03 when another session uses it), so no other session reads it while it is dropped.
 */
async function lockLockTable(db: Database): Promise<void> {
  const q = (s: string) => db.driver.query(s);
  await q(`SET LOCAL lock_timeout = '${DROP_WAIT_MS}ms'`);
  await q(`LOCK TABLE ${db.dialect.quoteIdent(sql.LOCK_TABLE)} IN ACCESS EXCLUSIVE MODE`);
}

/** Polls the advisory lock until it is granted or `waitMs` passed, then writes the holder row. */
export async function acquireMigrationLock(
  db: Database,
  owner: LockOwner,
  options: MigrationLockOptions,
): Promise<MigrationLock> {
  const { waitMs } = options;
  const deadline = Date.now() + waitMs;
  const q = db.driver.query.bind(db.driver);
  for (;;) {
    const { rows } = await q<{ ok: boolean }>(TRY_ADVISORY_LOCK);
    if (rows[0]?.ok) break;
    if (Date.now() >= deadline) throw lockHeldError(await liveLockHolder(db), waitMs);
    await sleep(Math.min(POLL_MS, deadline - Date.now()));
  }
  const pid = process.pid;
  let created = false;
  try {
    created = options.dropCreatedTable && !(await existingTrackingTables(reader(db))).has(sql.LOCK_TABLE);
    await q(sql.createLockTableSql(db.dialect));
    const row = holderRowQuery(db.dialect, owner, Date.now(), null);
    await q(row.sql, row.params);
  } catch (e) {
    await q(ADVISORY_UNLOCK);
    throw e;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      assertReleasable(db);
      released = true;
      const del = sql.deleteLockQuery(db.dialect, owner.runId, pid);
      try {
        await q(del.sql, del.params);
        if (created) await dropLockTableIfUnused(db, () => lockLockTable(db));
      } finally {
        await q(ADVISORY_UNLOCK);
      }
    },
  };
}
