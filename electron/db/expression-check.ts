/**
 * Dialect-aware checks of SQL text a user writes for the data nodes: backfill `calculation`,
 * copy and backfill `where`, monitoring `queries`. The shared lexer check (shared/sql-expression.ts)
 * runs first on every dialect; PostgreSQL then parses the text with the real PostgreSQL parser
 * (libpg-query) and walks the tree, so a subquery that writes or locks, or a call of a function
 * with side effects, is rejected before anything runs. SQLite subqueries cannot write, so the
 * lexer check plus the SQLite-only rejects below is its whole check.
 */
import { parse } from 'libpg-query';
import type { DialectName } from '../../shared/schema.ts';
import { checkExpression, checkReadOnlyQuery, tokenize, type CheckResult } from '../../shared/sql-expression.ts';

export type ExpressionCheck = { ok: true } | { ok: false; error: string };

/** PostgreSQL functions that write, wait, signal, read files or run SQL text. */
const PG_FORBIDDEN = new Set([
  'pg_sleep',
  'pg_sleep_for',
  'pg_sleep_until',
  'set_config',
  'nextval',
  'setval',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_switch_wal',
  'pg_promote',
  'pg_notify',
  'pg_logical_emit_message',
  'pg_import_system_collations',
  'pg_stat_file',
  'pg_backup_start',
  'pg_backup_stop',
  'pg_create_restore_point',
  'pg_log_backend_memory_contexts',
  'pg_wal_replay_pause',
  'pg_wal_replay_resume',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
  'txid_current',
  'pg_current_xact_id',
  'setseed',
  'loread',
  'lowrite',
  'pg_sync_replication_slots',
]);
const PG_FORBIDDEN_PREFIXES = [
  'lo_',
  'dblink',
  'pg_read_',
  'pg_ls_',
  'pg_file_',
  'pg_advisory',
  'pg_try_advisory',
  'pg_create_',
  'pg_drop_',
  'pg_replication_',
  'pg_stat_reset',
  'pg_copy_',
  'pg_logical_slot_',
];

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

function forbiddenPg(name: string): boolean {
  return PG_FORBIDDEN.has(name) || PG_FORBIDDEN_PREFIXES.some((p) => name.startsWith(p));
}

function fromLexer(result: CheckResult): ExpressionCheck {
  return result.ok ? { ok: true } : { ok: false, error: result.error };
}

/** SQLite: a call (name followed by `(`) of a function in SQLITE_FORBIDDEN. */
function sqliteRejects(text: string): ExpressionCheck {
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
      if (forbiddenPg(name)) return `a call of ${name}: functions with side effects are not allowed`;
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

async function checkPgExpression(text: string): Promise<ExpressionCheck> {
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
 * Checks that `text` is exactly one SQL expression over a row, fit to embed as
 * `SET col = (<text>)` or `WHERE (<text>)`: the shared lexer check first (so the parenthesised
 * wrapping cannot be closed early), then, on PostgreSQL, the parsed tree (one expression, plain
 * SELECT subqueries only, no data-modifying CTE, no locking, no side-effecting function); on
 * SQLite, no call of a function that loads code or touches files.
 */
export async function checkCalculation(dialect: DialectName, text: string): Promise<ExpressionCheck> {
  const lexed = fromLexer(checkExpression(text, { allowSubquery: true }));
  if (!lexed.ok) return lexed;
  return dialect === 'postgres' ? checkPgExpression(text) : sqliteRejects(text);
}

/**
 * Checks that `text` is one read-only query (SELECT / WITH ... SELECT / VALUES) safe to run and,
 * on PostgreSQL, to run under EXPLAIN ANALYZE (which executes it): the shared lexer check, then
 * on PostgreSQL the parsed tree: one SelectStmt, no INTO, no locking, no data-modifying CTE, no
 * side-effecting function anywhere; on SQLite, no call of a function that loads code or touches files.
 */
export async function checkReadOnlySelect(dialect: DialectName, text: string): Promise<ExpressionCheck> {
  const lexed = fromLexer(checkReadOnlyQuery(text));
  if (!lexed.ok) return lexed;
  if (dialect === 'sqlite') return sqliteRejects(text);
  const parsed = await parsePg(text);
  if (!parsed.ok) return parsed;
  const [stmt, ...rest] = parsed.stmts;
  if (rest.length > 0 || !isObject(stmt?.SelectStmt)) return { ok: false, error: 'it is not one SELECT query' };
  const bad = walkPg(stmt);
  return bad ? { ok: false, error: bad } : { ok: true };
}
