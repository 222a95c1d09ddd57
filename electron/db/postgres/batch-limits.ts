/**
 * PostgreSQL's limits on a data batch's transaction (the Dialect's `batchLimits`): the batch runs
 * under `lock_timeout` and `statement_timeout`, both set local to its transaction with
 * `set_config(..., true)`, derived from the batch target duration. A batch that meets a row
 * another session locked (`SELECT ... FOR UPDATE`) gives up after `lock_timeout` (SQLSTATE 55P03)
 * and rolls back, releasing the row locks it took, so a writer of a row it had already updated
 * waits about one batch target at most; a statement that runs past `statement_timeout` (57014) is
 * rolled back the same way.
 */
import type { BatchLimits, BatchLimitValues, Step } from '../dialect.ts';
import { literal, quoteIdent } from './render.ts';

export interface BatchPolicy {
  /** How long a batch's transaction should last at most, in ms (default 250). */
  targetMs: number;
  /** Retries of a batch that hit a limit (default 4). */
  retries: number;
}

export const DEFAULT_BATCH_POLICY: Readonly<BatchPolicy> = { targetMs: 250, retries: 4 };

/** A statement may run this many batch targets before it is stopped (lock waits included). */
const STATEMENT_TARGETS = 10;

const LOCK_NOT_AVAILABLE = '55P03';
const QUERY_CANCELED = '57014';

/** lock_timeout is the target itself; statement_timeout ten targets. */
export function limitsFor(policy: BatchPolicy): BatchLimitValues {
  const target = Math.max(1, Math.round(policy.targetMs));
  return { lockTimeoutMs: target, statementTimeoutMs: target * STATEMENT_TARGETS };
}

const setStep = (lockTimeout: string, statementTimeout: string, comment: string): Step => ({
  sql: `SELECT set_config('lock_timeout', ${literal(lockTimeout)}, true), set_config('statement_timeout', ${literal(statementTimeout)}, true)`,
  comment,
  transactional: true,
  bookkeeping: true,
});

export function batchLimits(policy: BatchPolicy): BatchLimits {
  const limits = limitsFor(policy);
  return {
    limits,
    retries: Math.max(0, Math.floor(policy.retries)),
    backoffMs: limits.lockTimeoutMs,
    readSettings:
      "SELECT current_setting('lock_timeout') AS lock_timeout, current_setting('statement_timeout') AS statement_timeout",
    set: (l) =>
      setStep(
        `${l.lockTimeoutMs}ms`,
        `${l.statementTimeoutMs}ms`,
        `this batch waits at most ${l.lockTimeoutMs} ms for a row lock and runs a statement at most ${l.statementTimeoutMs} ms`,
      ),
    restore: (s) =>
      setStep(
        String(s.lock_timeout ?? '0'),
        String(s.statement_timeout ?? '0'),
        'put back the lock and statement timeouts of the enclosing transaction',
      ),
    limitHit: (code) => (code === LOCK_NOT_AVAILABLE ? 'lock' : code === QUERY_CANCELED ? 'statement' : null),
    lockHoldersSql: (table) =>
      'SELECT a.pid AS session, a.application_name AS application, a.state,' +
      ' CAST(round(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))) AS integer) AS seconds,' +
      ' left(a.query, 200) AS query FROM pg_stat_activity a' +
      ' WHERE a.pid <> pg_backend_pid() AND a.pid IN (SELECT l.pid FROM pg_locks l' +
      ` WHERE l.locktype = 'relation' AND l.granted AND l.relation = to_regclass(${literal(quoteIdent(table))}))` +
      ' ORDER BY coalesce(a.xact_start, a.query_start) NULLS LAST',
  };
}
