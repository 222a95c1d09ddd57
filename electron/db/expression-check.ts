/**
 * Checks of SQL text a user writes for the data nodes: backfill `calculation`, copy and backfill
 * `where`, monitoring `queries`. The shared lexer check (shared/sql-expression.ts) runs first on
 * every dialect; then the dialect's own check (`Dialect.checkExpression` /
 * `Dialect.checkReadOnlyQuery`): PostgreSQL parses the text with PostgreSQL's parser and walks the
 * tree (electron/db/postgres/expression-check.ts), SQLite rejects calls of functions that load
 * code or touch files (electron/db/sqlite/expression-check.ts).
 */
import { checkExpression, checkReadOnlyQuery, type CheckResult } from '../../shared/sql-expression.ts';
import type { Dialect, ExpressionCheck } from './dialect.ts';

export type { ExpressionCheck } from './dialect.ts';

function fromLexer(result: CheckResult): ExpressionCheck {
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}

/**
 * Checks that `text` is exactly one SQL expression over a row, fit to embed as
 * `SET col = (<text>)` or `WHERE (<text>)`: the shared lexer check first (so the parenthesised
 * wrapping cannot be closed early), then the dialect's.
 */
export async function checkCalculation(dialect: Dialect, text: string): Promise<ExpressionCheck> {
  const lexed = fromLexer(checkExpression(text, { allowSubquery: true }));
  return lexed.ok ? dialect.checkExpression(text) : lexed;
}

/**
 * Checks that `text` is one read-only query (SELECT / WITH ... SELECT / VALUES) safe to run and,
 * on PostgreSQL, to run under EXPLAIN ANALYZE (which executes it): the shared lexer check, then
 * the dialect's.
 */
export async function checkReadOnlySelect(dialect: Dialect, text: string): Promise<ExpressionCheck> {
  const lexed = fromLexer(checkReadOnlyQuery(text));
  return lexed.ok ? dialect.checkReadOnlyQuery(text) : lexed;
}
