/**
 * Reads the details of SQLite tables into the neutral model: their columns, indexes and foreign
 * keys from the table pragmas, what only the stored CREATE TABLE text holds (constraint names,
 * CHECK expressions, UNIQUE clauses), and their row counts. A few statements whatever the number
 * of tables: one reads the column, index and foreign-key pragmas of every table at once
 * (TABLE_PRAGMAS), another pragma_index_info of the indexes whose text does not tell their keys;
 * row counts in batches. Synchronous (Driver.querySync), so that a table's details can also be read
 * on first use (introspect.ts). Read only.
 */
import { defaultConstraintName } from '../../../shared/schema-apply.ts';
import type { Column, Constraint, ConstraintKind, Index, Table } from '../../../shared/schema.ts';
import { parseCreateTable, type Clause } from './ddl.ts';
import { normalizeDeclaredType, quoteIdent, rowidAlias } from './render.ts';
import { isWord, referencedNames, sqlTokens, spanText } from './tokens.ts';

/** A statement's rows, answered synchronously. */
export type Rows = <R>(sql: string, params?: readonly unknown[]) => R[];

/** A row of sqlite_master. */
export interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}
/** A column as pragma_table_xinfo gives it. */
type ColumnRow = [name: string, type: string, notnull: number, dflt_value: string | null, pk: number, hidden: number];
/** An index as pragma_index_list gives it. */
type IndexRow = [name: string, unique: number, origin: string, partial: number];
/** One column pair of a foreign key as pragma_foreign_key_list gives it. */
type ForeignKeyRow = [id: number, seq: number, table: string, from: string, to: string | null, on_delete: string];
/** A key term of an index (pragma_index_info): `col` null for an expression or the rowid. */
interface IndexKey {
  seqno: number;
  col: string | null;
}

/** What the pragmas tell of one table, each list in the order its pragma gives it. */
interface TablePragmas {
  columns: ColumnRow[];
  indexes: IndexRow[];
  foreignKeys: ForeignKeyRow[];
}

/** What the pragmas tell of the tables read together. */
interface Pragmas {
  tables: Map<string, TablePragmas>;
  /** Each index's key terms by index name. */
  indexKeys: Map<string, IndexKey[]>;
  /** Primary key columns by the table's name in ASCII lower case (SQLite's name matching). */
  primaryKeys: Map<string, string[]>;
  /** sqlite_master's CREATE INDEX text by index name. */
  indexSql: ReadonlyMap<string, string | null>;
}

/** sqlite_master's text of each index and table, by name. */
interface SqlTexts {
  /** CREATE INDEX text by index name (null for an index a constraint made). */
  index: Map<string, string | null>;
  /** CREATE TABLE text by table name. */
  table: Map<string, string>;
}

/**
 * What every read of tables' details from one schema read shares: sqlite_master's text of each
 * table and index, the declared types met so far, and what the row estimates need (each made or
 * read once, on first need).
 */
export class DetailsContext {
  /** normalizeDeclaredType of each declared type met so far (a wide schema repeats a few). */
  readonly types = new Map<string, string>();
  private sizing: RowSizing | null = null;
  private texts: SqlTexts | null = null;

  constructor(
    readonly rows: Rows,
    private readonly master: readonly MasterRow[],
  ) {}

  sqlTexts(): SqlTexts {
    if (!this.texts) {
      const texts: SqlTexts = { index: new Map(), table: new Map() };
      for (const m of this.master) {
        if (m.type === 'index') texts.index.set(m.name, m.sql);
        else if (m.type === 'table') texts.table.set(m.name, m.sql ?? '');
      }
      this.texts = texts;
    }
    return this.texts;
  }

  /** ANALYZE's row counts and the most rows a table of the file can hold. */
  rowSizing(): RowSizing {
    return (this.sizing ??= rowSizing(this.rows));
  }
}

/** The tables of `rows` (sqlite_master rows of tables), read in full, in the same order. */
export function readTables(ctx: DetailsContext, rows: readonly MasterRow[]): Table[] {
  const pragmas = readPragmas(
    ctx,
    rows.map((r) => r.name),
  );
  const read = rows.map((row) => readTable(row, pragmas, ctx.types));
  const counts = firstCounts(
    ctx.rows,
    read.map(({ table }) => table.name),
  );
  return read.map(({ table: t, withoutRowid }) => {
    t.rowEstimate = rowEstimate(ctx, t.name, counts.get(t.name) ?? 0, t.columns, withoutRowid);
    return t;
  });
}

const asciiLower = (s: string) => (/[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (c) => c.toLowerCase()) : s);

/**
 * The pragmas of every table in `names`, in one statement: for each table (json_each of the list)
 * its name and arrays of its pragma_table_xinfo, pragma_index_list and pragma_foreign_key_list
 * rows, each row an array, the whole returned as one JSON text. JSON.parse makes these far faster than
 * better-sqlite3 makes tens of thousands of row objects, and arrays parse faster than objects.
 * The rows of a pragma come in its own order (columns by cid, foreign keys by id and seq).
 */
const TABLE_PRAGMAS = `SELECT json_group_array(json_array(t.value,
  (SELECT json_group_array(json_array(c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden))
     FROM pragma_table_xinfo(t.value) c),
  (SELECT json_group_array(json_array(il.name, il."unique", il.origin, il.partial))
     FROM pragma_index_list(t.value) il),
  (SELECT json_group_array(json_array(fk.id, fk.seq, fk."table", fk."from", fk."to", fk.on_delete))
     FROM pragma_foreign_key_list(t.value) fk))) AS rows
FROM json_each(?) t`;

/** pragma_index_info of every index in a list: `[index, seqno, column name]` rows as one JSON text. */
const INDEX_KEYS = `SELECT json_group_array(json_array(t.value, ii.seqno, ii.name)) AS rows
FROM json_each(?) t JOIN pragma_index_info(t.value) ii`;

/** The primary key columns (pk > 0) of every table in a list: `[table, name, pk]` rows as one JSON text. */
const PRIMARY_KEYS = `SELECT json_group_array(json_array(t.value, c.name, c.pk)) AS rows
FROM json_each(?) t JOIN pragma_table_xinfo(t.value) c WHERE c.pk > 0`;

/** The one JSON text `sql` returns for the list `names`, parsed. */
function jsonRows<R>(rows: Rows, sql: string, names: readonly string[]): R[] {
  return JSON.parse(rows<{ rows: string | null }>(sql, [names])[0]?.rows ?? '[]') as R[];
}

/**
 * The pragmas of every table in `names`: two statements whatever the number of tables, and a
 * third for the primary keys of tables their foreign keys reference without naming columns, when
 * those are not among `names`.
 */
function readPragmas(ctx: DetailsContext, names: readonly string[]): Pragmas {
  const tables = new Map<string, TablePragmas>();
  for (const [name, columns, indexes, foreignKeys] of jsonRows<[string, ColumnRow[], IndexRow[], ForeignKeyRow[]]>(
    ctx.rows,
    TABLE_PRAGMAS,
    names,
  ))
    tables.set(name, { columns, indexes, foreignKeys });
  // Most indexes name only columns of their table, and their text says which, or are the index of
  // a primary key declared on its one column: pragma_index_info (a statement prepared per index,
  // whose name lookup grows with the schema: most of the time of a wide one) reads only the others.
  const indexKeys = new Map<string, IndexKey[]>();
  const primaryKeys = new Map<string, string[]>();
  const unread: string[] = [];
  const texts = ctx.sqlTexts();
  for (const [tbl, { columns, indexes }] of tables) {
    const pk = primaryKeyOf(columns);
    primaryKeys.set(asciiLower(tbl), pk);
    for (const [name, , origin] of indexes) {
      const columnPk = origin === 'pk' && pk.length === 1 && !MAY_LIST_PRIMARY_KEY.test(texts.table.get(tbl) ?? '');
      const keys = columnPk ? [{ seqno: 0, col: pk[0]! }] : plainIndexKeys(texts.index.get(name) ?? null, columns);
      if (keys) indexKeys.set(name, keys);
      else unread.push(name);
    }
  }
  if (unread.length > 0) {
    for (const [idx, seqno, col] of jsonRows<[string, number, string | null]>(ctx.rows, INDEX_KEYS, unread)) {
      const keys = indexKeys.get(idx);
      if (keys) keys.push({ seqno, col });
      else indexKeys.set(idx, [{ seqno, col }]);
    }
  }
  // Parents not read here, each once whatever the letter case its foreign keys name it in.
  const parents = new Map<string, string>();
  for (const { foreignKeys } of tables.values())
    for (const [, , parent, , to] of foreignKeys)
      if (to === null && !primaryKeys.has(asciiLower(parent))) parents.set(asciiLower(parent), parent);
  if (parents.size > 0) {
    for (const key of parents.keys()) primaryKeys.set(key, []);
    const keyed = jsonRows<[string, string, number]>(ctx.rows, PRIMARY_KEYS, [...parents.values()]);
    for (const [parent, col] of keyed.sort((a, b) => a[2] - b[2])) primaryKeys.get(asciiLower(parent))!.push(col);
  }
  return { tables, indexKeys, primaryKeys, indexSql: texts.index };
}

/** The primary key's columns in key order (pragma_table_xinfo's pk is the 1-based position). */
function primaryKeyOf(columns: readonly ColumnRow[]): string[] {
  const pk = columns.filter((c) => c[4] > 0);
  if (pk.length > 1) pk.sort((a, b) => a[4] - b[4]);
  return pk.map(([name]) => name);
}

/**
 * A CREATE TABLE text that may hold a table-level `PRIMARY KEY (...)` (or a comment that could hide
 * one): its index can list a column twice (`PRIMARY KEY (a, a)`), which table_xinfo does not show.
 */
const MAY_LIST_PRIMARY_KEY = /--|\/\*|primary\s+key\s*\(/i;

/** `CREATE [UNIQUE] INDEX name ON table (a, b)`: unquoted names only, no COLLATE, order or WHERE. */
const PLAIN_INDEX =
  /^CREATE\s+(?:UNIQUE\s+)?INDEX\s+[A-Za-z_][A-Za-z0-9_]*\s+ON\s+[A-Za-z_][A-Za-z0-9_]*\s*\(\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*\)\s*$/i;

/**
 * The key terms pragma_index_info gives for an index whose CREATE INDEX text names only columns of
 * its table (`columns`, matched in ASCII lower case as SQLite matches names), each as the table
 * spells it; null for any other index (expressions, the rowid, COLLATE, a WHERE,
 * quoted names, or one made by a constraint, which has no text).
 */
function plainIndexKeys(sql: string | null, columns: readonly ColumnRow[]): IndexKey[] | null {
  const list = sql === null ? null : PLAIN_INDEX.exec(sql)?.[1];
  if (!list) return null;
  const keys: IndexKey[] = [];
  for (const term of list.split(',')) {
    const key = asciiLower(term.trim());
    const col = columns.find(([name]) => asciiLower(name) === key);
    if (col === undefined) return null;
    keys.push({ seqno: keys.length, col: col[0] });
  }
  return keys;
}

/** Tables with at most this many rows get an exact row count; larger ones an estimate. */
export const EXACT_COUNT_UP_TO = 10_000;

/** What the row estimates of one introspection share: ANALYZE's row counts, and the most rows the file can hold. */
interface RowSizing {
  /** Rows per table as of the last ANALYZE (sqlite_stat1), where it ran. */
  analysed: Map<string, number>;
  /** page_count * page_size / 4: no table of the file holds more rows (a row takes at least 4 bytes of a page). */
  maxRows: number;
}

function rowSizing(rows: Rows): RowSizing {
  const analysed = new Map<string, number>();
  const hasStat = rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'").length > 0;
  if (hasStat) {
    // The first number of a stat is the rows of the index (or of the table, for idx NULL); a
    // partial index has fewer, so the largest is the table's.
    for (const r of rows<{ tbl: string; stat: string | null }>('SELECT tbl, stat FROM sqlite_stat1')) {
      const n = Number.parseInt(r.stat ?? '', 10);
      if (Number.isFinite(n)) analysed.set(r.tbl, Math.max(n, analysed.get(r.tbl) ?? 0));
    }
  }
  const pages = Number(rows<{ page_count: number }>('PRAGMA page_count')[0]?.page_count ?? 0);
  const size = Number(rows<{ page_size: number }>('PRAGMA page_size')[0]?.page_size ?? 0);
  return { analysed, maxRows: (pages * size) / 4 };
}

/** Tables one counting statement reads (SQLite allows 500 terms in a compound SELECT). */
const COUNT_BATCH = 200;

/** Rows of each table counted up to EXACT_COUNT_UP_TO + 1 (a LIMIT, so a large table costs no more than a small one), in batches. */
function firstCounts(rows: Rows, names: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < names.length; i += COUNT_BATCH) {
    const sql = names
      .slice(i, i + COUNT_BATCH)
      .map(
        (n, k) =>
          `SELECT ${i + k} AS k, (SELECT COUNT(*) FROM (SELECT 1 FROM ${quoteIdent(n)} LIMIT ${EXACT_COUNT_UP_TO + 1})) AS n`,
      )
      .join(' UNION ALL ');
    for (const r of rows<{ k: number; n: number }>(sql)) counts.set(names[r.k]!, Number(r.n));
  }
  return counts;
}

/**
 * The table's row count: `first` (counted up to EXACT_COUNT_UP_TO + 1) when it is at most
 * EXACT_COUNT_UP_TO; above it an estimate: the count ANALYZE stored in sqlite_stat1, else, for a
 * rowid table, the span of its rowids (max - min + 1: two b-tree seeks; gaps left by deleted rows
 * make it an overestimate), else an exact COUNT(*).
 */
function rowEstimate(
  ctx: DetailsContext,
  table: string,
  first: number,
  columns: readonly Column[],
  withoutRowid: boolean,
): number {
  if (first <= EXACT_COUNT_UP_TO) return first;
  const t = quoteIdent(table);
  const sizing = ctx.rowSizing();
  const analysed = sizing.analysed.get(table);
  if (analysed !== undefined) return Math.max(first, analysed);
  const rowid = withoutRowid ? undefined : ROWID_NAMES.find((n) => !columns.some((c) => c.name.toLowerCase() === n));
  if (rowid !== undefined) {
    const rows = ctx.rows<{ lo: number | null; hi: number | null }>(
      `SELECT (SELECT min(${rowid}) FROM ${t}) AS lo, (SELECT max(${rowid}) FROM ${t}) AS hi`,
    );
    const span = Number(rows[0]?.hi) - Number(rows[0]?.lo) + 1;
    if (Number.isFinite(span) && span >= first && span <= sizing.maxRows) return span;
  }
  return Number(ctx.rows<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`)[0]?.n ?? 0);
}

/** The names a rowid table's rowid answers to, unless a column took the name. */
const ROWID_NAMES = ['rowid', '_rowid_', 'oid'];

/**
 * Whether the CREATE TABLE text may hold what only the text tells (a constraint name, a CHECK, a
 * UNIQUE clause, WITHOUT ROWID): without any of these words anywhere in it, its parse adds
 * nothing to the pragmas, and is skipped (most of the time of a wide schema went into it).
 */
const mayDeclareMore = (ddl: string) => /constraint|check|unique|rowid/i.test(ddl);

function declaredType(type: string, seen: Map<string, string>): string {
  let t = seen.get(type);
  if (t === undefined) seen.set(type, (t = normalizeDeclaredType(type)));
  return t;
}

/** The table from its pragmas and CREATE TABLE text; its rowEstimate is filled in later. */
function readTable(
  row: MasterRow,
  pragmas: Pragmas,
  types: Map<string, string>,
): { table: Table; withoutRowid: boolean } {
  const name = row.name;
  const ddl = row.sql ?? '';
  const parsed = mayDeclareMore(ddl) ? parseCreateTable(ddl) : null;
  const withoutRowid = parsed?.withoutRowid ?? false;
  const own = pragmas.tables.get(name);
  const cols = (own?.columns ?? []).filter((c) => c[5] !== 1);
  const columns = cols.map(([colName, type, notnull, dflt, colPk]): Column => ({
    name: colName,
    type: declaredType(type, types),
    nullable: notnull === 0,
    default: dflt,
    primaryKey: colPk > 0,
  }));
  const alias = rowidAlias({ columns, constraints: [] }, { withoutRowid });
  const aliasColumn = alias === null ? undefined : columns.find((c) => c.name === alias);
  if (aliasColumn) {
    aliasColumn.nullable = false;
    aliasColumn.identity = true;
  }
  const pk = primaryKeyOf(cols);
  const indexes = readIndexes(name, own?.indexes ?? [], pragmas);
  const constraints = readConstraints(
    name,
    columns,
    pk,
    indexes,
    parsed?.constraints ?? [],
    own?.foreignKeys ?? [],
    pragmas,
  );
  return { table: { name, columns, indexes, constraints, rowEstimate: 0, ddl }, withoutRowid };
}

function readIndexes(table: string, list: readonly IndexRow[], pragmas: Pragmas): Index[] {
  const indexes: Index[] = [];
  for (const [name, unique, origin, partial] of list) {
    const info = pragmas.indexKeys.get(name) ?? [];
    if (info.length > 1) info.sort((a, b) => a.seqno - b.seqno);
    const sql = pragmas.indexSql.get(name) ?? null;
    const terms = sql && info.some((c) => c.col === null) ? indexTerms(sql) : [];
    indexes.push({
      name,
      table,
      columns: info.map((c) => c.col ?? terms[c.seqno] ?? ''),
      unique: unique === 1,
      where: partial === 1 && sql ? indexWhere(sql) : null,
      constraintBacked: origin !== 'c',
      sql,
    });
  }
  return indexes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Constraints: the primary key from table_info, UNIQUE and CHECK from the CREATE TABLE text,
 * foreign keys from foreign_key_list; names from the text, synthetic where it gives none.
 */
function readConstraints(
  table: string,
  columns: Column[],
  pk: string[],
  indexes: Index[],
  clauses: Clause[],
  rows: readonly ForeignKeyRow[],
  pragmas: Pragmas,
): Constraint[] {
  const names = new SyntheticNames(
    table,
    clauses.flatMap((c) => (c.name ? [c.name] : [])),
  );
  const out: Constraint[] = [];
  const add = (kind: ConstraintKind, name: string | null, cols: string[], extra: Partial<Constraint> = {}): void => {
    out.push({
      name: name ?? names.synthetic(kind, cols),
      table,
      kind,
      columns: cols,
      expression: null,
      references: null,
      validated: true,
      ...extra,
    });
  };
  const canonical = (c: string) => columns.find((x) => x.name.toLowerCase() === c.toLowerCase())?.name ?? c;
  if (pk.length > 0) add('primary_key', clauses.find((c) => c.kind === 'primary_key')?.name ?? null, pk);
  for (const clause of clauses.filter((c) => c.kind === 'unique'))
    add('unique', clause.name, clause.columns.map(canonical));
  for (const ix of indexes.filter((i) => i.constraintBacked && !sameColumns(i.columns, pk))) {
    if (!out.some((k) => k.kind === 'unique' && sameColumns(k.columns, ix.columns))) add('unique', null, ix.columns);
  }
  const columnNames = columns.map((c) => c.name);
  for (const clause of clauses.filter((c) => c.kind === 'check')) {
    const expression = (clause.expr ?? '').trim();
    add('check', clause.name, referencedNames(expression, columnNames), { expression });
  }
  const declared = clauses.filter((c) => c.kind === 'foreign_key');
  for (const id of [...new Set(rows.map((r) => r[0]))].sort((a, b) => b - a)) {
    const parts = rows.filter((r) => r[0] === id).sort((a, b) => a[1] - b[1]);
    const [, , refTable, , , onDeleteRule] = parts[0] as ForeignKeyRow;
    const from = parts.map((r) => canonical(r[3]));
    const to = parts.every((r) => r[4] !== null)
      ? parts.map((r) => r[4] as string)
      : (pragmas.primaryKeys.get(asciiLower(refTable)) ?? []);
    const clause = declared.find(
      (c) => sameColumns(c.columns, from) && c.references?.table.toLowerCase() === refTable.toLowerCase(),
    );
    if (clause) declared.splice(declared.indexOf(clause), 1);
    const onDelete = onDeleteRule.toLowerCase();
    add('foreign_key', clause?.name ?? null, from, {
      references: { table: refTable, columns: to, onDelete: onDelete === 'no action' ? null : onDelete },
    });
  }
  return out;
}

/**
 * Names for constraints declared without `CONSTRAINT name`: defaultConstraintName of the table,
 * with a number appended when the table already has a constraint of that name (the order of the
 * calls decides which gets the number: primary key, unique, check, foreign keys, as declared).
 */
export class SyntheticNames {
  private readonly used: Set<string>;
  /** `taken`: the names the table's constraints are declared with. */
  constructor(
    private readonly table: string,
    taken: Iterable<string>,
  ) {
    this.used = new Set(taken);
  }
  synthetic(kind: ConstraintKind, columns: string[]): string {
    const base = defaultConstraintName(this.table, kind, columns);
    let name = base;
    for (let n = 1; this.used.has(name); n++) name = `${base}${n}`;
    this.used.add(name);
    return name;
  }
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x.toLowerCase() === (b[i] ?? '').toLowerCase());
}

/** The indexed terms of a CREATE INDEX, as written (expression text for expression terms). */
function indexTerms(sql: string): string[] {
  const toks = sqlTokens(sql);
  const open = toks.findIndex((t) => t.kind === 'lparen');
  if (open < 0) return [];
  let depth = 0;
  const terms: string[] = [];
  let start = open + 1;
  for (let k = open; k < toks.length; k++) {
    const t = toks[k];
    if (t?.kind === 'lparen') depth++;
    else if (t?.kind === 'rparen' && --depth === 0) {
      terms.push(spanText(sql, toks, start, k));
      break;
    } else if (depth === 1 && t?.kind === 'comma') {
      terms.push(spanText(sql, toks, start, k));
      start = k + 1;
    }
  }
  return terms.map((term) => term.replace(/\s+(ASC|DESC)$/i, '').replace(/\s+COLLATE\s+\S+$/i, ''));
}

/** The predicate of a partial CREATE INDEX (text after the top-level WHERE). */
export function indexWhere(sql: string): string | null {
  const toks = sqlTokens(sql);
  let depth = 0;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t?.kind === 'lparen') depth++;
    else if (t?.kind === 'rparen') depth--;
    else if (depth === 0 && isWord(t, 'WHERE')) return sql.slice(toks[k + 1]?.start ?? sql.length).trim();
  }
  return null;
}
