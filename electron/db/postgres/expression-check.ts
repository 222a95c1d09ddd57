/**
 * PostgreSQL's check of SQL text a user writes for the data nodes (`Dialect.checkExpression`,
 * `Dialect.checkReadOnlyQuery`), run after the shared lexer check (electron/db/expression-check.ts):
 * the text is parsed with the real PostgreSQL parser (libpg-query) and the tree walked, so a
 * subquery that writes or locks, or a call of a function with side effects, is rejected before
 * anything runs.
 */
import { parse } from 'libpg-query';
import { sideEffecting } from '../../../shared/sql-expression.ts';
import type { ExpressionCheck } from '../dialect.ts';

type PgNode = Record<string, unknown>;

const isObject = (v: unknown): v is PgNode => typeof v === 'object' && v !== null && !Array.isArray(v);

function funcName(call: PgNode): string {
  const parts = Array.isArray(call.funcname) ? call.funcname : [];
  const last = parts[parts.length - 1];
  const str = isObject(last) && isObject(last.String) ? last.String.sval : undefined;
  return typeof str === 'string' ? str.toLowerCase() : '';
}

/**
 * Walks a libpg-query tree: every statement inside must be a plain SELECT (no INTO, no FOR
 * UPDATE/SHARE), and no call may name a function with side effects. Returns the first problem.
 */
function walkPg(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const v of value) {
      const bad = walkPg(v);
      if (bad) return bad;
    }
    return null;
  }
  if (!isObject(value)) return null;
  for (const [key, child] of Object.entries(value)) {
    if (/Stmt$/.test(key) && key !== 'SelectStmt') {
      return `a ${key.replace(/Stmt$/, '').toUpperCase()} statement inside the text: only plain SELECT subqueries are allowed`;
    }
    if (key === 'SelectStmt' && isObject(child)) {
      if (child.intoClause) return 'SELECT ... INTO inside the text: a subquery must not create tables';
      if (child.lockingClause) return 'FOR UPDATE/SHARE inside the text: a subquery must not lock rows';
    }
    if (key === 'FuncCall' && isObject(child)) {
      const name = funcName(child);
      if (sideEffecting(name)) return `a call of ${name}: functions with side effects are not allowed`;
    }
    const bad = walkPg(child);
    if (bad) return bad;
  }
  return null;
}

async function parsePg(sql: string): Promise<{ ok: true; stmts: PgNode[] } | { ok: false; error: string }> {
  try {
    const tree = (await parse(sql)) as { stmts?: { stmt?: PgNode }[] };
    return { ok: true, stmts: (tree.stmts ?? []).map((s) => s.stmt ?? {}) };
  } catch (e) {
    return { ok: false, error: `PostgreSQL cannot parse it: ${(e as Error).message}` };
  }
}

/** The only SelectStmt fields `SELECT (<expression>)` may carry. */
const WRAPPER_FIELDS = new Set(['targetList', 'limitOption', 'op']);

/**
 * One expression over a row, fit to embed as `SET col = (<text>)` or `WHERE (<text>)`: one
 * expression in the parsed tree, plain SELECT subqueries only, no data-modifying CTE, no locking,
 * no side-effecting function.
 */
export async function checkExpression(text: string): Promise<ExpressionCheck> {
  const parsed = await parsePg(`SELECT (${text})`);
  if (!parsed.ok) return parsed;
  const [stmt, ...rest] = parsed.stmts;
  const select = stmt?.SelectStmt;
  if (rest.length > 0 || !isObject(select)) return { ok: false, error: 'it is not one expression' };
  const extra = Object.keys(select).filter((k) => !WRAPPER_FIELDS.has(k));
  if (
    extra.length > 0 ||
    !Array.isArray(select.targetList) ||
    select.targetList.length !== 1 ||
    select.op !== 'SETOP_NONE'
  ) {
    return { ok: false, error: 'it is not one expression' };
  }
  const bad = walkPg(select);
  return bad ? { ok: false, error: bad } : { ok: true };
}

/**
 * One read-only query, safe to run under EXPLAIN ANALYZE (which executes it): one SelectStmt, no
 * INTO, no locking, no data-modifying CTE, no side-effecting function anywhere.
 */
export async function checkReadOnlyQuery(text: string): Promise<ExpressionCheck> {
  const parsed = await parsePg(text);
  if (!parsed.ok) return parsed;
  const [stmt, ...rest] = parsed.stmts;
  if (rest.length > 0 || !isObject(stmt?.SelectStmt)) return { ok: false, error: 'it is not one SELECT query' };
  const bad = walkPg(stmt);
  return bad ? { ok: false, error: bad } : { ok: true };
}
