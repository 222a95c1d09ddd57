/**
 * PostgreSQL spelling of identifiers, literals, column types and transaction openers: the only
 * place where a user's value becomes PostgreSQL text.
 */
import type { ColumnType } from '../../../shared/column-type.ts';
import type { BookkeepingTypes } from '../dialect.ts';

export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new Error(`identifier ${JSON.stringify(name)} contains a NUL byte`);
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A string, number, boolean or null as a PostgreSQL literal. Strings are standard literals with
 * quotes doubled; a string holding a backslash is written as an E'' literal with backslashes
 * doubled, so it means the same whatever `standard_conforming_strings` says.
 */
export function literal(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new Error(`${value} cannot be written as an SQL literal: only finite numbers can`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (value.includes('\0'))
    throw new Error('a string literal cannot hold a NUL byte (PostgreSQL text cannot store it)');
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

const TYPE_NAMES: Record<ColumnType['base'], string> = {
  text: 'text',
  varchar: 'varchar',
  char: 'char',
  smallint: 'smallint',
  integer: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  real: 'real',
  'double precision': 'double precision',
  boolean: 'boolean',
  date: 'date',
  time: 'time',
  timestamp: 'timestamp',
  timestamptz: 'timestamp with time zone',
  interval: 'interval',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'jsonb',
  bytea: 'bytea',
};

/** A parsed column type in PostgreSQL's spelling (`varchar(20)`, `numeric(10,2)`, `text[]`). */
export function renderType(type: ColumnType): string {
  let s = TYPE_NAMES[type.base];
  if (type.length !== undefined) s += `(${type.length})`;
  if (type.precision !== undefined) s += `(${type.precision},${type.scale ?? 0})`;
  return s + '[]'.repeat(type.arrayDims);
}

export const ISOLATION_LEVELS = ['read uncommitted', 'read committed', 'repeatable read', 'serializable'] as const;

/**
 * `BEGIN`, with ` ISOLATION LEVEL <level>` when one is given. The level is matched against
 * PostgreSQL's four (case, `_` and `-` ignored), never pasted.
 */
export function existingTablesSql(names: readonly string[]): { sql: string; params: string[] } {
  return {
    sql: `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
    params: [...names],
  };
}

export function beginSql(isolation?: string): string {
  if (isolation === undefined || isolation.trim() === '') return 'BEGIN';
  const wanted = isolation
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
  const level = ISOLATION_LEVELS.find((l) => l === wanted);
  if (!level) {
    throw new Error(
      `isolation level "${isolation}" is not one PostgreSQL knows; use one of: ${ISOLATION_LEVELS.join(', ')}`,
    );
  }
  return `BEGIN ISOLATION LEVEL ${level.toUpperCase()}`;
}

/** `$i`, 1-based. */
export function placeholder(index: number): string {
  if (!Number.isInteger(index) || index < 1)
    throw new Error(`placeholder index must be a positive integer, got ${index}`);
  return `$${index}`;
}

/** Column types of the product's tracking tables (migration records, events, the lock row). */
export const bookkeepingTypes: BookkeepingTypes = {
  text: 'text',
  bool: 'boolean',
  time: 'timestamptz',
  int: 'integer',
  serial: 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
};

/** The session's backend pid, written in the lock row so pg_locks can tell whether its holder lives. */
export const sessionIdSql = 'pg_backend_pid()';
