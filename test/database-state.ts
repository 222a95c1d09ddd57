/**
 * What "the database stays as it was" is compared on: the introspected schema (every table, the
 * product's own included) and a SHA-256 of each table's rows, read in a stable order.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../electron/db/connect.ts';
import type { Schema } from '../shared/schema.ts';
import { stringifyJson } from '../shared/json-text.ts';

export interface DatabaseState {
  schema: Schema;
  /** Table name -> row count and SHA-256 of its rows (each row as JSON, sorted). */
  rows: Record<string, { count: number; sha256: string }>;
}

export async function databaseState(db: Database): Promise<DatabaseState> {
  const schema = await db.dialect.introspect(db.driver);
  const rows: DatabaseState['rows'] = {};
  for (const table of [...schema.tables].sort((a, b) => a.name.localeCompare(b.name))) {
    const result = await db.driver.query(`SELECT * FROM ${db.dialect.quoteIdent(table.name)}`);
    const lines = result.rows.map((r) => stringifyJson(r, 0)).sort();
    rows[table.name] = { count: lines.length, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
  }
  return { schema, rows };
}
