/**
 * Runs plan steps. A `locking` step (DDL taking a strong table lock) runs under lock_timeout so
 * it never queues for long behind another session (which would block every query queued behind
 * it), and is retried with backoff when the lock is not granted (SQLSTATE 55P03).
 */
import { DatabaseError, type Driver } from '../driver.ts';
import type { Step } from '../dialect.ts';

export interface LockPolicy {
  /** How long one attempt may wait for its lock (default 2000 ms). */
  timeoutMs: number;
  /** Attempts after the first one (default 3). */
  retries: number;
  /** Wait before the first retry; doubles for each further one (default 250 ms). */
  backoffMs: number;
}

export const DEFAULT_LOCK_POLICY: Readonly<LockPolicy> = { timeoutMs: 2000, retries: 3, backoffMs: 250 };

export const LOCK_NOT_AVAILABLE = '55P03';
const SAVEPOINT = 'dataflow_lock_retry';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isLockTimeout = (e: unknown) => e instanceof DatabaseError && e.code === LOCK_NOT_AVAILABLE;

/**
 * Runs one step and returns rows affected. Locking steps: inside a transaction each attempt runs
 * in a savepoint under `SET LOCAL lock_timeout` (a timeout rolls back to the savepoint, so the
 * transaction survives, and the previous lock_timeout is restored afterwards); outside one, under
 * a session `SET lock_timeout`, `RESET` afterwards.
 */
export async function executeStep(
  driver: Driver,
  step: Step,
  policy: LockPolicy = DEFAULT_LOCK_POLICY,
): Promise<number> {
  if (!step.locking) return (await driver.query(step.sql)).rowCount;
  const timeout = `${Math.max(1, Math.round(policy.timeoutMs))}ms`;
  const attempts = Math.max(0, Math.floor(policy.retries)) + 1;
  const nested = driver.inTransaction();
  const previous = nested
    ? ((await driver.query<{ v: string }>(`SELECT current_setting('lock_timeout') AS v`)).rows[0]?.v ?? '0')
    : null;
  for (let attempt = 1; ; attempt++) {
    try {
      return nested
        ? await attemptInTransaction(driver, step, timeout, previous ?? '0')
        : await attemptAlone(driver, step, timeout);
    } catch (e) {
      if (!isLockTimeout(e)) throw e;
      if (attempt >= attempts) {
        throw new DatabaseError(
          `${step.comment || 'a DDL step'}: could not get its table lock within ${policy.timeoutMs} ms, ${attempts} time${attempts === 1 ? '' : 's'}: ` +
            'another session holds a conflicting lock (a long transaction or query on the table; see pg_stat_activity and pg_locks). ' +
            'Run again when it has finished, or raise the lock timeout.',
          LOCK_NOT_AVAILABLE,
        );
      }
      await sleep(policy.backoffMs * 2 ** (attempt - 1));
    }
  }
}

async function attemptInTransaction(driver: Driver, step: Step, timeout: string, previous: string): Promise<number> {
  await driver.query(`SAVEPOINT ${SAVEPOINT}`);
  try {
    await driver.query(`SELECT set_config('lock_timeout', $1, true)`, [timeout]);
    const { rowCount } = await driver.query(step.sql);
    await driver.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    await driver.query(`SELECT set_config('lock_timeout', $1, true)`, [previous]);
    return rowCount;
  } catch (e) {
    if (e instanceof DatabaseError) {
      await driver.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      await driver.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    }
    throw e;
  }
}

async function attemptAlone(driver: Driver, step: Step, timeout: string): Promise<number> {
  await driver.query(`SET lock_timeout = '${timeout}'`);
  try {
    return (await driver.query(step.sql)).rowCount;
  } finally {
    await driver.query('RESET lock_timeout');
  }
}
