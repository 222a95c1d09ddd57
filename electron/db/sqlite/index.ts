/**
 * The SQLite dialect: better-sqlite3 driver (driver.ts), planner (plan/, with the table rebuild),
 * introspection (introspect.ts), the capability flags for the SQLite version connected to, the
 * migration lock (migration-lock.ts, a lock row with heartbeat), the keyset walks' key reads and
 * WAL threshold (batch-keys.ts) and the check of user SQL for forbidden calls (expression-check.ts).
 */
import type { Capabilities, Dialect } from '../dialect.ts';
import { executeStep } from './execute.ts';
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
import { keyHasMinMax, keyProjection, walCheckpointing } from './batch-keys.ts';
import { checkForbiddenCalls } from './expression-check.ts';
import { acquireMigrationLock, holdsMigrationLock } from './migration-lock.ts';
import { planSchemaChange } from './plan/index.ts';
import { sqliteMetrics } from './metrics.ts';
import { lintSqlitePlan } from './lint.ts';

/** True when dotted version `version` is at least `min` (`3.53.2` >= `3.53`). */
export function versionAtLeast(version: string, min: string): boolean {
  const a = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const b = min.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** The SQLite dialect for server version `version` (`sqlite_version()`, e.g. `3.53.2`). */
export function sqliteDialect(version: string): Dialect {
  const alterConstraints = versionAtLeast(version, '3.53');
  const capabilities: Capabilities = {
    supportsTransactionalDdl: true,
    canAlterNotNull: alterConstraints,
    canAlterInPlace: false,
    supportsConcurrentIndex: false,
    supportsNotValid: false,
    supportsArrays: false,
  };
  return {
    name: 'sqlite',
    capabilities,
    quoteIdent,
    literal,
    assignedValue,
    renderType,
    placeholder,
    beginSql,
    existingTablesSql,
    introspect,
    metrics: sqliteMetrics,
    planSchemaChange: (params, schema, driver, options) =>
      planSchemaChange(params, schema, driver, {
        alterConstraints,
        probeData: options?.probeData ?? true,
        later: options?.later ?? [],
      }),
    executeStep,
    bookkeepingTypes,
    sessionIdSql,
    acquireMigrationLock,
    holdsMigrationLock,
    keyProjection,
    keyHasMinMax,
    batchLimits: null,
    walCheckpointing,
    checkExpression: checkForbiddenCalls,
    checkReadOnlyQuery: checkForbiddenCalls,
    lintPlan: (nodes, _driver, schema, thresholds) => lintSqlitePlan(nodes, schema, thresholds),
  };
}
