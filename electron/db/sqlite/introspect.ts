/**
 * Reads a SQLite database into the neutral schema model: sqlite_master and the table pragmas
 * (columns, indexes, foreign keys), plus the stored CREATE TABLE text for what only it holds
 * (constraint names, CHECK expressions, UNIQUE clauses). Read only. A few statements whatever the
 * number of tables: one reads the column, index and foreign-key pragmas of every table at once
 * (TABLE_PRAGMAS), another pragma_index_info of the indexes whose text does not tell their keys;
 * row counts in batches.
 */
import { defaultConstraintName } from '../../../shared/schema-apply.ts';
import type {
  Column,
  Constraint,
  ConstraintKind,
  Index,
  Schema,
  Table,
  Trigger,
  View,
} from '../../../shared/schema.ts';
import type { SchemaRefresh } from '../dialect.ts';
import type { Driver } from '../driver.ts';
import { parseCreateTable, type Clause } from './ddl.ts';
import { normalizeDeclaredType, quoteIdent, rowidAlias } from './render.ts';
import { isWord, referencedNames, referencedNamesIn, spanText, sqlTokens } from './tokens.ts';

interface MasterRow {
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

/** What the pragmas tell of every table. */
interface Pragmas {
  tables: Map<string, TablePragmas>;
  /** Each index's key terms by index name. */
  indexKeys: Map<string, IndexKey[]>;
  /** Primary key columns by the table's name in ASCII lower case (SQLite's name matching). */
  primaryKeys: Map<string, string[]>;
  /** sqlite_master's CREATE INDEX text by index name. */
  indexSql: Map<string, string | null>;
  /** normalizeDeclaredType of each declared type met so far (a wide schema repeats a few). */
  types: Map<string, string>;
}

/**
 * The database's schema as the neutral model. Internal sqlite_* tables are left out. With
 * `refresh`, see Dialect.introspect.
 */
export async function introspect(driver: Driver, refresh?: SchemaRefresh): Promise<Schema> {
  const version = (await driver.query<{ v: string }>('SELECT sqlite_version() AS v')).rows[0]?.v ?? '';
  const master = (
    await driver.query<MasterRow>(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    )
  ).rows;
  const tableRows = master.filter((r) => r.type === 'table' && r.sql !== null && !/^\s*CREATE\s+VIRTUAL/i.test(r.sql));
  const kept = new Map(refresh?.schema.tables.map((t) => [t.name, t]));
  const changed = new Set(refresh?.tables);
  const toRead = refresh ? tableRows.filter((r) => changed.has(r.name) || !kept.has(r.name)) : tableRows;
  const pragmas = await readPragmas(
    driver,
    toRead.map((r) => r.name),
    master,
  );
  const sizing = await rowSizing(driver);
  const read = toRead.map((row) => readTable(row, pragmas));
  const counts = await firstCounts(
    driver,
    read.map(({ table }) => table.name),
  );
  for (const { table: t, withoutRowid } of read) {
    t.rowEstimate = await rowEstimate(driver, t.name, counts.get(t.name) ?? 0, t.columns, withoutRowid, sizing);
  }
  const fresh = new Map(read.map(({ table }) => [table.name, table]));
  const tables = tableRows.flatMap((r) => fresh.get(r.name) ?? kept.get(r.name) ?? []);
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const relations = new Map(
    [...tableRows, ...master.filter((r) => r.type === 'view')].map((r) => [r.name.toLowerCase(), r.name]),
  );
  const views = master
    .filter((r) => r.type === 'view')
    .map((r): View => ({
      name: r.name,
      sql: r.sql ?? '',
      dependsOn: viewDependencies(r.sql ?? '', r.name, relations),
    }));
  const triggers = master
    .filter((r) => r.type === 'trigger')
    .map((r): Trigger => ({ name: r.name, table: r.tbl_name, sql: r.sql ?? '' }));
  return { dialect: 'sqlite', version, tables, views, triggers };
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

/** The one JSON text `sql` returns for the list `names`, parsed. */
async function jsonRows<R>(driver: Driver, sql: string, names: readonly string[]): Promise<R[]> {
  const { rows } = await driver.query<{ rows: string | null }>(sql, [names]);
  return JSON.parse(rows[0]?.rows ?? '[]') as R[];
}

/** The pragmas of every table in `names`: two statements whatever the number of tables. */
async function readPragmas(driver: Driver, names: readonly string[], master: readonly MasterRow[]): Promise<Pragmas> {
  const tables = new Map<string, TablePragmas>();
  for (const [name, columns, indexes, foreignKeys] of await jsonRows<
    [string, ColumnRow[], IndexRow[], ForeignKeyRow[]]
  >(driver, TABLE_PRAGMAS, names))
    tables.set(name, { columns, indexes, foreignKeys });
  const indexSql = new Map<string, string | null>();
  const tableSql = new Map<string, string>();
  for (const m of master) {
    if (m.type === 'index') indexSql.set(m.name, m.sql);
    else if (m.type === 'table') tableSql.set(m.name, m.sql ?? '');
  }
  // Most indexes name only columns of their table, and their text says which, or are the index of
  // a primary key declared on its one column: pragma_index_info (a statement prepared per index,
  // whose name lookup grows with the schema: most of the time of a wide one) reads only the others.
  const indexKeys = new Map<string, IndexKey[]>();
  const primaryKeys = new Map<string, string[]>();
  const unread: string[] = [];
  for (const [tbl, { columns, indexes }] of tables) {
    const pk = primaryKeyOf(columns);
    primaryKeys.set(asciiLower(tbl), pk);
    for (const [name, , origin] of indexes) {
      const columnPk = origin === 'pk' && pk.length === 1 && !MAY_LIST_PRIMARY_KEY.test(tableSql.get(tbl) ?? '');
      const keys = columnPk ? [{ seqno: 0, col: pk[0]! }] : plainIndexKeys(indexSql.get(name) ?? null, columns);
      if (keys) indexKeys.set(name, keys);
      else unread.push(name);
    }
  }
  if (unread.length > 0) {
    for (const [idx, seqno, col] of await jsonRows<[string, number, string | null]>(driver, INDEX_KEYS, unread)) {
      const keys = indexKeys.get(idx);
      if (keys) keys.push({ seqno, col });
      else indexKeys.set(idx, [{ seqno, col }]);
    }
  }
  return { tables, indexKeys, primaryKeys, indexSql, types: new Map() };
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

/** Tables and views a view's SQL names (best effort, from its tokens); `relations` by lower-case name. */
function viewDependencies(sql: string, self: string, relations: ReadonlyMap<string, string>): string[] {
  const toks = sqlTokens(sql);
  const as = toks.findIndex((t) => isWord(t, 'AS'));
  return referencedNamesIn(spanText(sql, toks, as + 1, toks.length), relations).filter((n) => n !== self);
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

async function rowSizing(driver: Driver): Promise<RowSizing> {
  const analysed = new Map<string, number>();
  const hasStat =
    (await driver.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")).rows.length > 0;
  if (hasStat) {
    // The first number of a stat is the rows of the index (or of the table, for idx NULL); a
    // partial index has fewer, so the largest is the table's.
    for (const r of (await driver.query<{ tbl: string; stat: string | null }>('SELECT tbl, stat FROM sqlite_stat1'))
      .rows) {
      const n = Number.parseInt(r.stat ?? '', 10);
      if (Number.isFinite(n)) analysed.set(r.tbl, Math.max(n, analysed.get(r.tbl) ?? 0));
    }
  }
  const pages = Number((await driver.query<{ page_count: number }>('PRAGMA page_count')).rows[0]?.page_count ?? 0);
  const size = Number((await driver.query<{ page_size: number }>('PRAGMA page_size')).rows[0]?.page_size ?? 0);
  return { analysed, maxRows: (pages * size) / 4 };
}

/** Tables one counting statement reads (SQLite allows 500 terms in a compound SELECT). */
const COUNT_BATCH = 200;

/** Rows of each table counted up to EXACT_COUNT_UP_TO + 1 (a LIMIT, so a large table costs no more than a small one), in batches. */
async function firstCounts(driver: Driver, names: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < names.length; i += COUNT_BATCH) {
    const sql = names
      .slice(i, i + COUNT_BATCH)
      .map(
        (n, k) =>
          `SELECT ${i + k} AS k, (SELECT COUNT(*) FROM (SELECT 1 FROM ${quoteIdent(n)} LIMIT ${EXACT_COUNT_UP_TO + 1})) AS n`,
      )
      .join(' UNION ALL ');
    for (const r of (await driver.query<{ k: number; n: number }>(sql)).rows) counts.set(names[r.k]!, Number(r.n));
  }
  return counts;
}

/**
 * The table's row count: `first` (counted up to EXACT_COUNT_UP_TO + 1) when it is at most
 * EXACT_COUNT_UP_TO; above it an estimate: the count ANALYZE stored in sqlite_stat1, else, for a
 * rowid table, the span of its rowids (max - min + 1: two b-tree seeks; gaps left by deleted rows
 * make it an overestimate), else an exact COUNT(*).
 */
async function rowEstimate(
  driver: Driver,
  table: string,
  first: number,
  columns: readonly Column[],
  withoutRowid: boolean,
  sizing: RowSizing,
): Promise<number> {
  if (first <= EXACT_COUNT_UP_TO) return first;
  const t = quoteIdent(table);
  const analysed = sizing.analysed.get(table);
  if (analysed !== undefined) return Math.max(first, analysed);
  const rowid = withoutRowid ? undefined : ROWID_NAMES.find((n) => !columns.some((c) => c.name.toLowerCase() === n));
  if (rowid !== undefined) {
    const { rows } = await driver.query<{ lo: number | null; hi: number | null }>(
      `SELECT (SELECT min(${rowid}) FROM ${t}) AS lo, (SELECT max(${rowid}) FROM ${t}) AS hi`,
    );
    const span = Number(rows[0]?.hi) - Number(rows[0]?.lo) + 1;
    if (Number.isFinite(span) && span >= first && span <= sizing.maxRows) return span;
  }
  return Number((await driver.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`)).rows[0]?.n ?? 0);
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
function readTable(row: MasterRow, pragmas: Pragmas): { table: Table; withoutRowid: boolean } {
  const name = row.name;
  const ddl = row.sql ?? '';
  const parsed = mayDeclareMore(ddl) ? parseCreateTable(ddl) : null;
  const withoutRowid = parsed?.withoutRowid ?? false;
  const own = pragmas.tables.get(name);
  const cols = (own?.columns ?? []).filter((c) => c[5] !== 1);
  const columns = cols.map(([colName, type, notnull, dflt, colPk]): Column => ({
    name: colName,
    type: declaredType(type, pragmas.types),
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
