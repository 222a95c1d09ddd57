/**
 * SQL of the ValidationNode's data checks. Identifiers are quoted by the dialect; a user's
 * `check_sql` is accepted only after checkReadOnlyQuery and runs wrapped as a subquery, which
 * neither dialect lets write.
 */
import { checkReadOnlyQuery, tokenize } from '../../shared/sql-expression.ts';
import type { Dialect } from './dialect.ts';

/** One row `{ n }`: the number of NULLs in the column. */
export function nullCountSql(d: Dialect, table: string, column: string): string {
  return `SELECT COUNT(*) AS n FROM ${d.quoteIdent(table)} WHERE ${d.quoteIdent(column)} IS NULL`;
}

/** One row `{ n }`: the number of values that occur more than once (NULLs are never duplicates). */
export function duplicateGroupsSql(d: Dialect, table: string, column: string): string {
  const c = d.quoteIdent(column);
  return `SELECT COUNT(*) AS n FROM (SELECT ${c} FROM ${d.quoteIdent(table)} WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING COUNT(*) > 1) AS dataflow_duplicates`;
}

/** One row `{ n }`: the table's row count. */
export function rowCountSql(d: Dialect, table: string): string {
  return `SELECT COUNT(*) AS n FROM ${d.quoteIdent(table)}`;
}

export class CheckQueryError extends Error {
  override name = 'CheckQueryError';
}

/**
 * A user's check query as run: checked to be one read-only query (else CheckQueryError saying
 * why and where), then wrapped as a subquery limited to two rows (enough to tell "no rows" and
 * "one row" from "more").
 */
export function checkQuerySql(text: string): string {
  const check = checkReadOnlyQuery(text);
  if (!check.ok) throw new CheckQueryError(check.error);
  const last = tokenize(text).at(-1);
  const body = last?.kind === 'semicolon' ? text.slice(0, last.start) : text;
  return `SELECT * FROM (${body.trim()}\n) AS dataflow_check LIMIT 2`;
}
