/**
 * Read access to migration tracking: what the records (migration-records.ts) and the lock
 * (migration-lock.ts) read with, and which of the tracking tables exist.
 */
import type { Database } from './connect.ts';
import type { Dialect } from './dialect.ts';
import type { Driver } from './driver.ts';
import { existingTablesQuery } from './migration-sql.ts';

/** Reads need only a dialect and a query function: a Database, or a node's read-only `ctx.query`. */
export interface MigrationReader {
  readonly dialect: Dialect;
  query: Driver['query'];
}

/** A Database as a MigrationReader; a MigrationReader as it is. */
export function reader(db: Database | MigrationReader): MigrationReader {
  return 'driver' in db ? { dialect: db.dialect, query: db.driver.query.bind(db.driver) } : db;
}

/** Which of the tracking tables (records, events, lock) exist in the connection's current schema. */
export async function existingTrackingTables(r: MigrationReader): Promise<Set<string>> {
  const q = existingTablesQuery(r.dialect);
  const { rows } = await r.query<{ name: string }>(q.sql, q.params);
  return new Set(rows.map((row) => row.name));
}
