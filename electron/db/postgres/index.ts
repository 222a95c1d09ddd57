/**
 * The PostgreSQL dialect: capabilities, spelling (render.ts), introspection (introspect.ts), the
 * planner (plan/), the step runner with lock_timeout and retries (execute.ts), the migration lock
 * (migration-lock.ts, an advisory lock), the keyset walks' key reads (batch-keys.ts), the
 * parse-tree check of user SQL (expression-check.ts) and the data batches' lock and statement
 * timeouts (batch-limits.ts). It works on the connection's `current_schema()`.
 */
import type { Dialect } from '../dialect.ts';
import { DEFAULT_LOCK_POLICY, executeStep, type LockPolicy } from './execute.ts';
import { introspect } from './introspect.ts';
import {
  beginSql,
  bookkeepingTypes,
  existingTablesSql,
  literal,
  placeholder,
  quoteIdent,
  assignedValue,
  renderType,
  sessionIdSql,
} from './render.ts';
import { keyHasMinMax, keyProjection } from './batch-keys.ts';
import { batchLimits, DEFAULT_BATCH_POLICY, type BatchPolicy } from './batch-limits.ts';
import { checkExpression, checkReadOnlyQuery } from './expression-check.ts';
import { lintPlannedStatements, postgresLiveFacts } from './lint/lint.ts';
import { acquireMigrationLock, holdsMigrationLock } from './migration-lock.ts';
import { planSchemaChange } from './plan/index.ts';
import { postgresMetrics } from './metrics.ts';

export { executeStep, DEFAULT_LOCK_POLICY, type LockPolicy } from './execute.ts';
export { introspect } from './introspect.ts';
export { DEFAULT_BATCH_POLICY, type BatchPolicy } from './batch-limits.ts';
export { planSchemaChange, type PlanOptions } from './plan/index.ts';

export interface PostgresDialectOptions {
  /** lock_timeout and retries of `locking` steps (default: 2 s, 3 retries, 250 ms doubling backoff). */
  lock?: Partial<LockPolicy>;
  /** The data batches' target duration and retries (default: 250 ms, 4 retries). */
  batch?: Partial<BatchPolicy>;
}

/** The PostgreSQL dialect, with its lock policy open to change (settings, tests). */
export interface PostgresDialect extends Dialect {
  lockPolicy: LockPolicy;
}

/** `serverVersionNum` is `server_version_num` (170010 for 17.10). */
export function postgresDialect(serverVersionNum: number, options: PostgresDialectOptions = {}): PostgresDialect {
  const dialect: PostgresDialect = {
    name: 'postgres',
    capabilities: {
      supportsTransactionalDdl: true,
      canAlterNotNull: true,
      canAlterInPlace: true,
      supportsConcurrentIndex: true,
      supportsNotValid: true,
      supportsArrays: true,
    },
    lockPolicy: { ...DEFAULT_LOCK_POLICY, ...options.lock },
    quoteIdent,
    literal,
    assignedValue,
    renderType,
    placeholder,
    beginSql,
    existingTablesSql,
    introspect,
    metrics: postgresMetrics,
    planSchemaChange: (params, schema, driver, options) =>
      planSchemaChange(params, schema, driver, {
        ...(serverVersionNum > 0 ? { serverVersionNum } : {}),
        probeData: options?.probeData ?? true,
        later: options?.later ?? [],
      }),
    executeStep: (driver, step) => executeStep(driver, step, dialect.lockPolicy),
    bookkeepingTypes,
    sessionIdSql,
    acquireMigrationLock,
    holdsMigrationLock,
    keyProjection,
    keyHasMinMax,
    batchLimits: batchLimits({ ...DEFAULT_BATCH_POLICY, ...options.batch }),
    walCheckpointing: null,
    checkExpression,
    checkReadOnlyQuery,
    lintPlan: (nodes, driver, schema, thresholds) => {
      const { timeoutMs, retries, backoffMs } = dialect.lockPolicy;
      return lintPlannedStatements(
        nodes,
        {
          postgresVersion: Math.floor(serverVersionNum / 10000),
          thresholds,
          live: postgresLiveFacts(driver, schema),
          planned: true,
        },
        [
          `the engine runs each statement that takes a strong lock under lock_timeout ${timeoutMs} ms, retried ${retries} times (waiting ${backoffMs} ms, then twice as long each time) when the lock is not granted`,
        ],
      );
    },
  };
  return dialect;
}
