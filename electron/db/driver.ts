/**
 * The minimal structural driver every dialect implements (Kysely's Driver, cut down): one
 * connection, queries with positional params, explicit transactions. Coded against real
 * databases only; tests open real SQLite files and a real PostgreSQL server.
 */
import type { DialectName } from '../../shared/schema.ts';

export interface QueryResult<R = Record<string, unknown>> {
  rows: R[];
  /** Rows changed by INSERT/UPDATE/DELETE, 0 otherwise. */
  rowCount: number;
}

export interface Driver {
  readonly dialect: DialectName;
  /** Where this connects, without secrets (`sqlite:/path/demo.db`, `postgres://user@host:5432/db`). */
  readonly label: string;
  /**
   * One statement. Params are positional, written with `dialect.placeholder(i)` (1-based), each
   * used once and in order (SQLite binds `?` by position);
   * booleans are bound as the dialect stores them.
   */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * The same, answered synchronously, where the connection can (SQLite's better-sqlite3 does):
   * SQLite's schema read uses it, so that a table's details can be read on first use
   * (shared/deferred-tables.ts). Drivers that wrap another forward it when the inner one has it.
   */
  querySync?<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): QueryResult<R>;
  /** True while a transaction is open on this connection. */
  inTransaction(): boolean;
  close(): Promise<void>;
}

/** Database error with the dialect's code (SQLSTATE on PostgreSQL, e.g. SQLITE_CONSTRAINT_UNIQUE). */
export class DatabaseError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}
