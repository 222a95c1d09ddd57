/**
 * Reads the CREATE TABLE text SQLite keeps in sqlite_master: column definitions with their
 * clauses, table constraints with their names, and the SQLite-only details (AUTOINCREMENT,
 * COLLATE, generated columns, FK extras, WITHOUT ROWID / STRICT) a rebuild must carry over.
 */
import { emptyExtras, foreignKeyKey, quoteIdent, type TableExtras } from './render.ts';
import {
  closingParen,
  isLparen,
  isName,
  isWord,
  namesIt,
  nameOf,
  spanText,
  splitTopLevel,
  sqlTokens,
  type Token,
} from './tokens.ts';

export type ClauseKind =
  'primary_key' | 'unique' | 'check' | 'foreign_key' | 'not_null' | 'null' | 'default' | 'collate' | 'generated';

export interface Clause {
  kind: ClauseKind;
  /** `CONSTRAINT name` written before the clause, or null. */
  name: string | null;
  /** Columns the clause covers (the column itself for column clauses). */
  columns: string[];
  /** CHECK / DEFAULT / generated expression text; collation name for COLLATE. */
  expr: string | null;
  references: { table: string; columns: string[]; onDelete: string | null; extra: string } | null;
  autoincrement: boolean;
  /** Source text of the clause (without its CONSTRAINT name). */
  text: string;
}

export interface ColumnDef {
  name: string;
  clauses: Clause[];
}

export interface ParsedTable {
  name: string;
  columns: ColumnDef[];
  /** Every constraint in declaration order: column clauses (PK, UNIQUE, CHECK, REFERENCES) first as met, then table constraints. */
  constraints: Clause[];
  withoutRowid: boolean;
  strict: boolean;
}

const COLUMN_CLAUSE_START = [
  'CONSTRAINT',
  'PRIMARY',
  'NOT',
  'NULL',
  'UNIQUE',
  'CHECK',
  'DEFAULT',
  'COLLATE',
  'REFERENCES',
  'GENERATED',
  'AS',
];
const TABLE_CLAUSE_START = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'];

/** Parses CREATE TABLE text; returns null when the text is not a CREATE TABLE with a column list. */
export function parseCreateTable(sql: string): ParsedTable | null {
  const toks = sqlTokens(sql);
  let k = toks.findIndex((t) => isWord(t, 'TABLE'));
  if (k < 0) return null;
  k++;
  if (isWord(toks[k], 'IF')) k += 3;
  if (toks[k + 1]?.kind === 'dot') k += 2;
  const nameTok = toks[k];
  if (!isName(nameTok) || !isLparen(toks[k + 1])) return null;
  const open = k + 1;
  const close = closingParen(toks, open);
  if (close < 0) return null;
  const table: ParsedTable = {
    name: nameOf(nameTok),
    columns: [],
    constraints: [],
    withoutRowid: false,
    strict: false,
  };
  const tableClauses: Clause[] = [];
  for (const [a, b] of splitTopLevel(toks, open + 1, close)) {
    if (isWord(toks[a], ...TABLE_CLAUSE_START)) tableClauses.push(...parseClauses(sql, toks, a, b, null));
    else {
      const col = parseColumn(sql, toks, a, b);
      if (col) {
        table.columns.push(col);
        table.constraints.push(
          ...col.clauses.filter((c) => ['primary_key', 'unique', 'check', 'foreign_key'].includes(c.kind)),
        );
      }
    }
  }
  table.constraints.push(...tableClauses);
  for (let j = close + 1; j < toks.length; j++) {
    if (isWord(toks[j], 'ROWID')) table.withoutRowid = true;
    if (isWord(toks[j], 'STRICT')) table.strict = true;
  }
  return table;
}

function parseColumn(sql: string, toks: Token[], a: number, b: number): ColumnDef | null {
  const nameTok = toks[a];
  if (!isName(nameTok)) return null;
  let k = a + 1;
  while (k < b && !isWord(toks[k], ...COLUMN_CLAUSE_START)) {
    k = isLparen(toks[k]) ? closingParen(toks, k) + 1 : k + 1;
  }
  return { name: nameOf(nameTok), clauses: parseClauses(sql, toks, k, b, nameOf(nameTok)) };
}

/** Parses a run of clauses in toks[a, b); `column` is set for column clauses. */
function parseClauses(sql: string, toks: Token[], a: number, b: number, column: string | null): Clause[] {
  const out: Clause[] = [];
  let k = a;
  let name: string | null = null;
  const clause = (kind: ClauseKind, from: number, to: number, extra: Partial<Clause> = {}): void => {
    out.push({
      kind,
      name,
      columns: column ? [column] : [],
      expr: null,
      references: null,
      autoincrement: false,
      text: spanText(sql, toks, from, to),
      ...extra,
    });
    name = null;
  };
  const parenExpr = (open: number): [string, number] => {
    const close = closingParen(toks, open);
    const end = close < 0 ? b : close;
    return [spanText(sql, toks, open + 1, end), end + 1];
  };
  while (k < b) {
    const from = k;
    const t = toks[k];
    if (isWord(t, 'CONSTRAINT')) {
      name = toks[k + 1] ? nameOf(toks[k + 1]) : null;
      k += 2;
    } else if (isWord(t, 'PRIMARY')) {
      k += 2;
      let columns = column ? [column] : [];
      if (isLparen(toks[k])) {
        const close = closingParen(toks, k);
        columns = listNames(toks, k + 1, close);
        k = close + 1;
      }
      k = skipWords(toks, k, b, ['ASC', 'DESC']);
      k = skipConflict(toks, k, b);
      const autoincrement = isWord(toks[k], 'AUTOINCREMENT');
      if (autoincrement) k++;
      clause('primary_key', from, k, { columns, autoincrement });
    } else if (isWord(t, 'UNIQUE')) {
      k++;
      let columns = column ? [column] : [];
      if (isLparen(toks[k])) {
        const close = closingParen(toks, k);
        columns = listNames(toks, k + 1, close);
        k = close + 1;
      }
      k = skipConflict(toks, k, b);
      clause('unique', from, k, { columns });
    } else if (isWord(t, 'CHECK')) {
      const [expr, next] = parenExpr(k + 1);
      k = next;
      clause('check', from, k, { expr });
    } else if (isWord(t, 'NOT')) {
      k = skipConflict(toks, k + 2, b);
      clause('not_null', from, k);
    } else if (isWord(t, 'NULL')) {
      k = skipConflict(toks, k + 1, b);
      clause('null', from, k);
    } else if (isWord(t, 'DEFAULT')) {
      k++;
      let expr: string;
      if (isLparen(toks[k])) {
        [expr, k] = parenExpr(k);
      } else {
        const start = k;
        if (toks[k]?.kind === 'operator' && ['-', '+'].includes(toks[k]?.text ?? '')) k++;
        k++;
        expr = spanText(sql, toks, start, k);
      }
      clause('default', from, k, { expr });
    } else if (isWord(t, 'COLLATE')) {
      k += 2;
      clause('collate', from, k, { expr: nameOf(toks[k - 1]) });
    } else if (isWord(t, 'GENERATED', 'AS')) {
      while (k < b && !isLparen(toks[k])) k++;
      const [expr, next] = parenExpr(k);
      k = skipWords(toks, next, b, ['STORED', 'VIRTUAL']);
      clause('generated', from, k, { expr });
    } else if (isWord(t, 'FOREIGN') || isWord(t, 'REFERENCES')) {
      let columns = column ? [column] : [];
      if (isWord(t, 'FOREIGN')) {
        const open = k + 2;
        const close = closingParen(toks, open);
        columns = listNames(toks, open + 1, close);
        k = close + 1;
      }
      const [references, next] = parseReferences(sql, toks, k, b);
      k = next;
      clause('foreign_key', from, k, { columns, references });
    } else {
      k++;
    }
  }
  return out;
}

function parseReferences(
  sql: string,
  toks: Token[],
  k: number,
  b: number,
): [NonNullable<Clause['references']>, number] {
  const table = nameOf(toks[k + 1]);
  k += 2;
  let columns: string[] = [];
  if (isLparen(toks[k])) {
    const close = closingParen(toks, k);
    columns = listNames(toks, k + 1, close);
    k = close + 1;
  }
  let onDelete: string | null = null;
  const extra: string[] = [];
  const clauseStarts = (j: number) =>
    isWord(toks[j], ...COLUMN_CLAUSE_START.filter((w) => w !== 'NOT')) ||
    (isWord(toks[j], 'NOT') && isWord(toks[j + 1], 'NULL'));
  while (k < b && !clauseStarts(k)) {
    if (isWord(toks[k], 'ON')) {
      const which = toks[k + 1]?.value.toUpperCase();
      const two = isWord(toks[k + 2], 'SET', 'NO');
      const action = toks
        .slice(k + 2, k + (two ? 4 : 3))
        .map((t) => t.value.toLowerCase())
        .join(' ');
      const end = k + (two ? 4 : 3);
      if (which === 'DELETE') onDelete = action;
      else extra.push(spanText(sql, toks, k, end));
      k = end;
    } else if (isWord(toks[k], 'MATCH')) {
      extra.push(spanText(sql, toks, k, k + 2));
      k += 2;
    } else if (isWord(toks[k], 'NOT', 'DEFERRABLE')) {
      const start = k;
      if (isWord(toks[k], 'NOT')) k++;
      k++;
      if (isWord(toks[k], 'INITIALLY')) k += 2;
      extra.push(spanText(sql, toks, start, k));
    } else k++;
  }
  return [{ table, columns, onDelete: onDelete === 'no action' ? null : onDelete, extra: extra.join(' ') }, k];
}

/** First name of each comma-separated item (`a COLLATE nocase DESC, b` -> [a, b]). */
function listNames(toks: Token[], a: number, b: number): string[] {
  return splitTopLevel(toks, a, b).map(([x]) => nameOf(toks[x]));
}

function skipWords(toks: Token[], k: number, b: number, words: string[]): number {
  while (k < b && isWord(toks[k], ...words)) k++;
  return k;
}

function skipConflict(toks: Token[], k: number, b: number): number {
  return k < b && isWord(toks[k], 'ON') && isWord(toks[k + 1], 'CONFLICT') ? k + 3 : k;
}

/** The SQLite-only details of a stored CREATE TABLE that a rebuild carries over. */
export function tableExtras(ddl: string): TableExtras {
  const extras = emptyExtras();
  const parsed = parseCreateTable(ddl);
  if (!parsed) return extras;
  extras.withoutRowid = parsed.withoutRowid;
  extras.strict = parsed.strict;
  for (const col of parsed.columns) {
    for (const c of col.clauses) {
      if (c.kind === 'collate' && c.expr) extras.collations.set(col.name, c.expr);
      if (c.kind === 'generated') extras.generated.set(col.name, c.text);
      if (c.kind === 'primary_key' && c.autoincrement) extras.autoincrement = col.name;
    }
  }
  for (const c of parsed.constraints) {
    if (c.kind === 'foreign_key' && c.references?.extra) {
      extras.foreignKeyExtra.set(foreignKeyKey(c.columns, c.references.table), c.references.extra);
    }
  }
  return extras;
}

/**
 * A CREATE TABLE text with its REFERENCES to `parent` rewritten as SQLite's RENAME rewrites them:
 * the parent's new name (`column` null), or column `column` of the parent renamed to `to`.
 */
export function renameReferences(ddl: string, parent: string, column: string | null, to: string): string {
  const toks = sqlTokens(ddl);
  const edits: Token[] = [];
  toks.forEach((t, k) => {
    if (!isWord(t, 'REFERENCES') || !namesIt(toks[k + 1], parent)) return;
    if (column === null) edits.push(toks[k + 1] as Token);
    else if (isLparen(toks[k + 2])) {
      const close = closingParen(toks, k + 2);
      for (let j = k + 3; j < close; j++) if (namesIt(toks[j], column)) edits.push(toks[j] as Token);
    }
  });
  let out = '';
  let last = 0;
  for (const t of edits) {
    out += ddl.slice(last, t.start) + quoteIdent(to);
    last = t.end;
  }
  return out + ddl.slice(last);
}
