/**
 * Read-only probes: plan-time checks and introspection run inside a READ ONLY transaction (or a
 * savepoint made read only, when the connection is already in a transaction) under a short
 * lock_timeout, then roll back. A failing probe never aborts the caller's transaction, a probe
 * cannot write, and a probe never hangs behind another session's lock.
 */
import { DatabaseError, type Driver } from '../driver.ts';

export type ProbeResult<T> = { ok: true; value: T } | { ok: false; code: string | undefined; message: string };

const SAVEPOINT = 'dataflow_probe';

/** SQLSTATEs meaning "the object is not in the live database" (plan mode runs against a simulated schema). */
export const MISSING_OBJECT = new Set(['42P01', '42703', '42704', '3F000']);

/**
 * Runs `fn` read only. `snapshot`: every statement of `fn` sees the same snapshot (REPEATABLE READ)
 * when the probe opens its own transaction; inside the caller's, the caller's isolation stands.
 */
export async function readOnly<T>(
  driver: Driver,
  lockTimeoutMs: number,
  fn: () => Promise<T>,
  { snapshot = false }: { snapshot?: boolean } = {},
): Promise<ProbeResult<T>> {
  const nested = driver.inTransaction();
  const begin = snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN READ ONLY';
  await driver.query(nested ? `SAVEPOINT ${SAVEPOINT}` : begin);
  try {
    if (nested) await driver.query('SET TRANSACTION READ ONLY');
    await driver.query(`SELECT set_config('lock_timeout', $1, true)`, [`${Math.max(1, Math.round(lockTimeoutMs))}ms`]);
    return { ok: true, value: await fn() };
  } catch (e) {
    if (!(e instanceof DatabaseError)) throw e;
    return { ok: false, code: e.code, message: e.message };
  } finally {
    if (nested) {
      await driver.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      await driver.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    } else {
      await driver.query('ROLLBACK');
    }
  }
}

/** One read-only query as a probe. */
export function probe<R = Record<string, unknown>>(
  driver: Driver,
  sql: string,
  params: readonly unknown[] = [],
  lockTimeoutMs = 2000,
): Promise<ProbeResult<R[]>> {
  return readOnly(driver, lockTimeoutMs, async () => (await driver.query<R>(sql, params)).rows);
}
