/**
 * SQLite's check of SQL text a user writes for the data nodes (`Dialect.checkExpression`,
 * `Dialect.checkReadOnlyQuery`), run after the shared lexer check (electron/db/expression-check.ts).
 * SQLite subqueries cannot write, so what is left to reject is a call of a function that loads
 * code or touches files.
 */
import { tokenize } from '../../../shared/sql-expression.ts';
import type { ExpressionCheck } from '../dialect.ts';

/** SQLite functions (core, shell and common extensions) that load code or touch files. */
const SQLITE_FORBIDDEN = new Set([
  'load_extension',
  'readfile',
  'writefile',
  'edit',
  'fts3_tokenizer',
  'fsdir',
  'lsdir',
  'zipfile',
  'sqlar_compress',
  'sqlar_uncompress',
  'sqlite_dbpage',
  'sqlite_dbdata',
  'sqlite_dbptr',
]);

/** A call (name followed by `(`) of a function in SQLITE_FORBIDDEN; the same for expressions and queries. */
export async function checkForbiddenCalls(text: string): Promise<ExpressionCheck> {
  const tokens = tokenize(text).filter((t) => t.kind !== 'comment');
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if ((t.kind === 'word' || t.kind === 'quoted') && tokens[i + 1]!.kind === 'lparen') {
      const name = t.value.toLowerCase();
      if (SQLITE_FORBIDDEN.has(name)) {
        return {
          ok: false,
          error: `a call of ${name} at ${t.start + 1}: functions that load code or touch files are not allowed`,
        };
      }
    }
  }
  return { ok: true };
}
