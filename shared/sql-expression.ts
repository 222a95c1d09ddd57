/**
 * A small SQL lexer and the checks built on it. Every piece of SQL text a user writes (CHECK
 * expressions, partial index WHERE, ALTER TYPE USING, `{sql: ...}` defaults, backfill
 * calculations, validation and monitoring queries) passes one of these checks before a planner
 * embeds it. This is the SQLite check and the first line of defence on PostgreSQL.
 */
import type { DialectName } from './schema.ts';

export type TokenKind =
  | 'word' // unquoted identifier or keyword; `value` is lower case
  | 'quoted' // "identifier", `identifier` or [identifier]; `value` is unescaped
  | 'string' // '...' (with '' escapes), optionally prefixed x/b/n; `value` is unescaped
  | 'dollar' // PostgreSQL $tag$...$tag$; `value` is the body
  | 'number'
  | 'param' // $1, ?, ?1, :name, @name, $name
  | 'operator'
  | 'cast' // ::
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'comma'
  | 'semicolon'
  | 'dot'
  | 'comment' // -- ... or /* ... */
  | 'error'; // an unterminated string/comment, an E'...' string or a character SQL does not use; `value` says why

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  value: string;
  /** 0-based offsets into the input: [start, end). */
  start: number;
  end: number;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const OP_CHARS = '+-*/<>=~!@#%^&|?';
const DIGIT = /[0-9]/;

/**
 * Splits SQL text into tokens (whitespace dropped). Never throws: problems become `error` tokens.
 * An `error` token for an E'...' string or an unterminated construct runs to the end of the text,
 * since what follows cannot be lexed the same way by every database.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string) => {
    const t = text.slice(start, end);
    tokens.push({ kind, text: t, value: value ?? t, start, end });
    i = end;
  };
  /** Scans a quoted run closed by `close`, where a doubled `close` is an escaped one. */
  const quoted = (start: number, open: number, close: string, kind: TokenKind, what: string) => {
    let j = open;
    let value = '';
    for (;;) {
      const k = text.indexOf(close, j);
      if (k < 0) return push('error', start, text.length, `unterminated ${what}`);
      value += text.slice(j, k);
      if (close !== ']' && text[k + 1] === close) {
        value += close;
        j = k + 2;
        continue;
      }
      return push(kind, start, k + 1, value);
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    const n = text[i + 1];
    const start = i;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && n === '-') {
      const k = text.indexOf('\n', i);
      push('comment', start, k < 0 ? text.length : k);
    } else if (c === '/' && n === '*') {
      const k = text.indexOf('*/', i + 2);
      if (k < 0) push('error', start, text.length, 'unterminated /* comment');
      else push('comment', start, k + 2);
    } else if ((c === 'e' || c === 'E') && n === "'") {
      push('error', start, text.length, `E'...' strings (backslash escapes) are not supported; write '...' instead`);
    } else if (c === "'") {
      quoted(start, i + 1, "'", 'string', 'string');
    } else if (/[xXbBnN]/.test(c) && n === "'") {
      quoted(start, i + 2, "'", 'string', 'string');
    } else if (c === '"') {
      quoted(start, i + 1, '"', 'quoted', 'quoted identifier');
    } else if (c === '`') {
      quoted(start, i + 1, '`', 'quoted', 'quoted identifier');
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT_PART.test(text[j]!)) j++;
      push('word', start, j, text.slice(start, j).toLowerCase());
    } else if (DIGIT.test(c) || (c === '.' && n !== undefined && DIGIT.test(n))) {
      const m = /^(?:0[xX][0-9A-Fa-f_]+|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?)/.exec(
        text.slice(i),
      );
      push('number', start, i + m![0].length);
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
      if (tag) {
        const k = text.indexOf(tag[0], i + tag[0].length);
        if (k < 0) push('error', start, text.length, 'unterminated dollar-quoted string');
        else push('dollar', start, k + tag[0].length, text.slice(i + tag[0].length, k));
      } else {
        const m = /^\$(?:[0-9]+|[A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
        if (m) push('param', start, i + m[0].length);
        else push('error', start, i + 1, 'unexpected "$"');
      }
    } else if (c === '?' && (n === undefined || !OP_CHARS.includes(n) || n === '?')) {
      const m = /^\?[0-9]*/.exec(text.slice(i))!;
      push('param', start, i + m[0].length);
    } else if (c === ':' && n === ':') {
      push('cast', start, i + 2);
    } else if (c === ':' && n !== undefined && IDENT_START.test(n)) {
      let j = i + 2;
      while (j < text.length && IDENT_PART.test(text[j]!)) j++;
      push('param', start, j);
    } else if (c === '[') {
      // SQLite [identifier] when it closes on the same word; otherwise a PostgreSQL subscript.
      const m = /^\[([A-Za-z_][A-Za-z0-9_$]*)\]/.exec(text.slice(i));
      if (m) push('quoted', start, i + m[0].length, m[1]);
      else push('lbracket', start, i + 1);
    } else if (OP_CHARS.includes(c) || c === ':') {
      let j = i + 1;
      if (c !== ':') {
        while (
          j < text.length &&
          OP_CHARS.includes(text[j]!) &&
          !(text.startsWith('--', j) || text.startsWith('/*', j))
        )
          j++;
      }
      push('operator', start, j);
    } else {
      const single: Record<string, TokenKind> = {
        '(': 'lparen',
        ')': 'rparen',
        ']': 'rbracket',
        ',': 'comma',
        ';': 'semicolon',
        '.': 'dot',
      };
      const kind = single[c];
      if (kind) push(kind, start, i + 1);
      else push('error', start, i + 1, `unexpected character "${c}"`);
    }
  }
  return tokens;
}

export interface CheckOptions {
  /** Allow parenthesised plain subqueries (SELECT / WITH ... SELECT / VALUES). */
  allowSubquery: boolean;
  /** The database the text is for. Dollar-quoted strings are accepted only for 'postgres' (SQLite reads `$x$` as a parameter). */
  dialect?: DialectName;
}

export type CheckResult =
  { ok: true } | { ok: false; error: string; /** 0-based offset of the problem. */ offset: number };

/** Words that start a statement, write, lock or change session state: never part of an expression. */
const STATEMENT_WORDS = new Set([
  'insert',
  'update',
  'delete',
  'merge',
  'drop',
  'create',
  'alter',
  'truncate',
  'grant',
  'revoke',
  'copy',
  'vacuum',
  'attach',
  'detach',
  'pragma',
  'call',
  'do',
  'execute',
  'set',
  'reset',
  'begin',
  'commit',
  'rollback',
  'savepoint',
  'release',
  'abort',
  'into',
  'returning',
  'lock',
  'reindex',
  'analyze',
  'analyse',
  'listen',
  'unlisten',
  'notify',
  'load',
  'import',
  'security',
  'explain',
  'cluster',
  'refresh',
  'discard',
  'prepare',
  'deallocate',
  'checkpoint',
  'reassign',
  'declare',
]);

/** Words that start a query: allowed only as a parenthesised subquery (or the read-only query itself). */
const QUERY_WORDS = new Set(['select', 'with', 'values', 'table']);

/** Clause words that would extend the statement an expression is embedded in. */
const CLAUSE_WORDS = new Set([
  'from',
  'where',
  'group',
  'having',
  'order',
  'limit',
  'offset',
  'union',
  'intersect',
  'except',
  'window',
  'join',
  'fetch',
  'for',
  'on',
  'using',
]);

const SIDE_EFFECT_FUNCTIONS = new Set([
  'pg_sleep',
  'pg_sleep_for',
  'pg_sleep_until',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'set_config',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_switch_wal',
  'pg_promote',
  'pg_notify',
  'pg_logical_emit_message',
  'pg_import_system_collations',
  'pg_stat_file',
  'nextval',
  'setval',
  'load_extension',
  'writefile',
  'readfile',
  'fts3_tokenizer',
  'edit',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
  'txid_current',
  'pg_current_xact_id',
  'pg_backup_start',
  'pg_backup_stop',
  'pg_create_restore_point',
  'pg_log_backend_memory_contexts',
  'pg_wal_replay_pause',
  'pg_wal_replay_resume',
  'setseed',
  'loread',
  'lowrite',
  'pg_sync_replication_slots',
]);
const SIDE_EFFECT_PREFIXES = [
  'dblink',
  'lo_',
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

/**
 * Functions that write, wait, signal, read files or run SQL text (lower-case name): refused in user
 * SQL by this lexer check and by PostgreSQL's parser check (electron/db/postgres/expression-check.ts).
 */
export function sideEffecting(name: string): boolean {
  return SIDE_EFFECT_FUNCTIONS.has(name) || SIDE_EFFECT_PREFIXES.some((p) => name.startsWith(p));
}

const at = (t: Token) => t.start + 1;
const fail = (t: Token, error: string): CheckResult => ({ ok: false, error, offset: t.start });

/** The token walk shared by both checks. `query`: the text is itself a query (clauses, commas and `;` at the end allowed). */
function scan(tokens: Token[], mode: CheckOptions & { query: boolean }): CheckResult {
  /** One entry per open paren or bracket; `query` when it opens a subquery. */
  const stack: { open: Token; close: 'rparen' | 'rbracket'; query: boolean }[] = [];
  const inQuery = () => mode.query || stack.some((e) => e.query);
  const callOf = (t: Token, name: string, next: Token | undefined) =>
    next?.kind === 'lparen' && sideEffecting(name)
      ? fail(t, `a call of ${name} at ${at(t)}: functions with side effects are not allowed`)
      : null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    switch (t.kind) {
      case 'error':
        return fail(t, `${t.value} at ${at(t)}`);
      case 'comment':
        return fail(t, `a comment at ${at(t)}: comments are not allowed (they can hide SQL); remove it`);
      case 'dollar':
        if (mode.dialect !== 'postgres')
          return fail(t, `a dollar-quoted string at ${at(t)}: only PostgreSQL has them; write '...' instead`);
        break;
      case 'param':
        return fail(t, `a parameter "${t.text}" at ${at(t)}: write a value instead`);
      case 'semicolon':
        if (next) return fail(next, `a second statement after ";" at ${at(t)}`);
        if (!mode.query) return fail(t, `";" at ${at(t)}: an expression takes no statement terminator; remove it`);
        if (stack.length > 0) return fail(t, `";" at ${at(t)} inside parentheses`);
        break;
      case 'lparen': {
        const query = next?.kind === 'word' && QUERY_WORDS.has(next.value);
        if (query && !mode.allowSubquery) return fail(t, `a subquery at ${at(t)}: subqueries are not allowed here`);
        stack.push({ open: t, close: 'rparen', query });
        break;
      }
      case 'lbracket':
        stack.push({ open: t, close: 'rbracket', query: false });
        break;
      case 'rparen':
      case 'rbracket':
        if (stack.pop()?.close !== t.kind)
          return fail(t, `"${t.text}" at ${at(t)} has no matching "${t.kind === 'rparen' ? '(' : '['}"`);
        break;
      case 'comma':
        if (stack.length === 0 && !mode.query)
          return fail(t, `"," at ${at(t)} outside parentheses: only one expression is allowed`);
        break;
      case 'quoted': {
        const bad = callOf(t, t.value.toLowerCase(), next);
        if (bad) return bad;
        break;
      }
      case 'word': {
        const w = t.value;
        const bad = callOf(t, w, next);
        if (bad) return bad;
        if (prev?.kind === 'dot') break;
        if (STATEMENT_WORDS.has(w)) {
          return fail(
            t,
            `${w.toUpperCase()} at ${at(t)} is not allowed: it starts or writes a statement (if it is a column name, quote it: "${w}")`,
          );
        }
        if (QUERY_WORDS.has(w) && prev?.kind !== 'lparen' && !inQuery()) {
          if (w === 'with' && next?.kind === 'word' && (next.value === 'time' || next.value === 'ordinality')) break;
          return fail(
            t,
            `${w.toUpperCase()} at ${at(t)}: a query is not an expression${mode.allowSubquery ? '; write it as a subquery in parentheses' : ''}`,
          );
        }
        if (
          stack.length === 0 &&
          !mode.query &&
          CLAUSE_WORDS.has(w) &&
          !(w === 'from' && prev?.kind === 'word' && prev.value === 'distinct')
        ) {
          return fail(t, `${w.toUpperCase()} at ${at(t)} is not part of an expression`);
        }
        break;
      }
      default:
        break;
    }
  }
  const open = stack.at(-1)?.open;
  return open ? fail(open, `"${open.text}" at ${at(open)} is never closed`) : { ok: true };
}

/**
 * Checks that `text` is exactly one SQL value expression that reads nothing it should not and
 * writes nothing: no `;`, no comments, no parameters, balanced parentheses, no statement or
 * clause keywords, no functions with side effects, and a parenthesised subquery (plain SELECT /
 * WITH ... SELECT / VALUES) only with `allowSubquery`. Errors give the 1-based position.
 */
export function checkExpression(text: string, opts: CheckOptions): CheckResult {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { ok: false, error: 'the expression is empty', offset: 0 };
  return scan(tokens, { ...opts, query: false });
}

/**
 * Checks that `text` is exactly one read-only query: SELECT, WITH ... SELECT or VALUES (possibly
 * in parentheses), with no write anywhere (not in a CTE either), no comments, no parameters, no
 * functions with side effects; one trailing `;` is allowed.
 */
export function checkReadOnlyQuery(text: string, opts: { dialect?: DialectName } = {}): CheckResult {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { ok: false, error: 'the query is empty', offset: 0 };
  const result = scan(tokens, { allowSubquery: true, dialect: opts.dialect, query: true });
  if (!result.ok) return result;
  const first = tokens.find((t) => t.kind !== 'lparen')!;
  if (first.kind === 'word' && ['select', 'with', 'values'].includes(first.value)) return result;
  return fail(first, `the query must start with SELECT, WITH or VALUES, not "${first.text}" (at ${at(first)})`);
}
