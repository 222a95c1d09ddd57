/**
 * Reads a SQLite database into the neutral schema model: sqlite_master and the table pragmas
 * (columns, indexes, foreign keys), plus the stored CREATE TABLE text for what only it holds
 * (constraint names, CHECK expressions, UNIQUE clauses). Read only.
 */
import { defaultConstraintName } from '../../shared/schema-apply.ts';
import type { Column, Constraint, ConstraintKind, Index, Schema, Table, Trigger, View } from '../../shared/schema.ts';
import type { Driver } from '../../electron/db/driver.ts';
import { parseCreateTable, type Clause } from '../../electron/db/sqlite/ddl.ts';
import { normalizeDeclaredType, quoteIdent, rowidAlias } from '../../electron/db/sqlite/render.ts';
import { isWord, referencedNames, spanText, sqlTokens } from '../../electron/db/sqlite/tokens.ts';

interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}
interface ColumnRow {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}
interface IndexRow {
  name: string;
  unique: number;
  origin: string;
  partial: number;
}
interface IndexColumnRow {
  seqno: number;
  cid: number;
  name: string | null;
}
interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
  on_delete: string;
}

/** The database's schema as the neutral model. Internal sqlite_* tables are left out. */
export async function introspect(driver: Driver): Promise<Schema> {
  const version = (await driver.query<{ v: string }>('SELECT sqlite_version() AS v')).rows[0]?.v ?? '';
  const master = (
    await driver.query<MasterRow>(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    )
  ).rows;
  const tableRows = master.filter((r) => r.type === 'table' && r.sql !== null && !/^\s*CREATE\s+VIRTUAL/i.test(r.sql));
  const sizing = await rowSizing(driver);
  const tables: Table[] = [];
  for (const row of tableRows) tables.push(await readTable(driver, row, master, sizing));
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const relations = [...tableRows.map((r) => r.name), ...master.filter((r) => r.type === 'view').map((r) => r.name)];
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

/** Tables and views a view's SQL names (best effort, from its tokens). */
function viewDependencies(sql: string, self: string, relations: readonly string[]): string[] {
  const toks = sqlTokens(sql);
  const as = toks.findIndex((t) => isWord(t, 'AS'));
  return referencedNames(
    spanText(sql, toks, as + 1, toks.length),
    relations.filter((r) => r !== self),
  );
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

/**
 * The table's row count, exact up to EXACT_COUNT_UP_TO rows (counted with a LIMIT, so a large
 * table costs no more than a small one); above it an estimate: the count ANALYZE stored in
 * sqlite_stat1, else, for a rowid table, the span of its rowids (max - min + 1: two b-tree
 * seeks; gaps left by deleted rows make it an overestimate), else an exact COUNT(*).
 */
async function rowEstimate(
  driver: Driver,
  table: string,
  columns: readonly Column[],
  withoutRowid: boolean,
  sizing: RowSizing,
): Promise<number> {
  const t = quoteIdent(table);
  const first = Number(
    (await driver.query<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${t} LIMIT ${EXACT_COUNT_UP_TO + 1})`))
      .rows[0]?.n ?? 0,
  );
  if (first <= EXACT_COUNT_UP_TO) return first;
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

async function readTable(driver: Driver, row: MasterRow, master: MasterRow[], sizing: RowSizing): Promise<Table> {
  const name = row.name;
  const ddl = row.sql ?? '';
  const parsed = parseCreateTable(ddl);
  const cols = (
    await driver.query<ColumnRow>('SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)', [
      name,
    ])
  ).rows.filter((c) => c.hidden !== 1);
  const alias = rowidAlias(
    {
      columns: cols.map((c) => ({ name: c.name, type: c.type, nullable: true, default: null, primaryKey: c.pk > 0 })),
      constraints: [],
    },
    { withoutRowid: parsed?.withoutRowid ?? false },
  );
  const columns = cols.map((c): Column => ({
    name: c.name,
    type: normalizeDeclaredType(c.type),
    nullable: c.notnull === 0 && c.name !== alias,
    default: c.dflt_value,
    primaryKey: c.pk > 0,
    ...(c.name === alias ? { identity: true as const } : {}),
  }));
  const pk = cols
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  const indexes = await readIndexes(driver, name, master);
  const constraints = await readConstraints(driver, name, columns, pk, indexes, parsed?.constraints ?? []);
  return {
    name,
    columns,
    indexes,
    constraints,
    rowEstimate: await rowEstimate(driver, name, columns, parsed?.withoutRowid ?? false, sizing),
    ddl,
  };
}

async function readIndexes(driver: Driver, table: string, master: MasterRow[]): Promise<Index[]> {
  const indexes: Index[] = [];
  const rows = (
    await driver.query<IndexRow>('SELECT name, "unique", origin, partial FROM pragma_index_list(?)', [table])
  ).rows;
  for (const ix of rows) {
    const info = (
      await driver.query<IndexColumnRow>('SELECT seqno, cid, name FROM pragma_index_info(?)', [ix.name])
    ).rows.sort((a, b) => a.seqno - b.seqno);
    const sql = master.find((m) => m.type === 'index' && m.name === ix.name)?.sql ?? null;
    const terms = sql ? indexTerms(sql) : [];
    indexes.push({
      name: ix.name,
      table,
      columns: info.map((c) => c.name ?? terms[c.seqno] ?? ''),
      unique: ix.unique === 1,
      where: ix.partial === 1 && sql ? indexWhere(sql) : null,
      constraintBacked: ix.origin !== 'c',
      sql,
    });
  }
  return indexes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Constraints: the primary key from table_info, UNIQUE and CHECK from the CREATE TABLE text,
 * foreign keys from foreign_key_list; names from the text, synthetic where it gives none.
 */
async function readConstraints(
  driver: Driver,
  table: string,
  columns: Column[],
  pk: string[],
  indexes: Index[],
  clauses: Clause[],
): Promise<Constraint[]> {
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
  const rows = (
    await driver.query<ForeignKeyRow>(
      'SELECT id, seq, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?)',
      [table],
    )
  ).rows;
  const declared = clauses.filter((c) => c.kind === 'foreign_key');
  for (const id of [...new Set(rows.map((r) => r.id))].sort((a, b) => b - a)) {
    const parts = rows.filter((r) => r.id === id).sort((a, b) => a.seq - b.seq);
    const first = parts[0] as ForeignKeyRow;
    const from = parts.map((r) => canonical(r.from));
    const to = parts.every((r) => r.to !== null)
      ? parts.map((r) => r.to as string)
      : await primaryKeyOf(driver, first.table);
    const clause = declared.find(
      (c) => sameColumns(c.columns, from) && c.references?.table.toLowerCase() === first.table.toLowerCase(),
    );
    if (clause) declared.splice(declared.indexOf(clause), 1);
    const onDelete = first.on_delete.toLowerCase();
    add('foreign_key', clause?.name ?? null, from, {
      references: { table: first.table, columns: to, onDelete: onDelete === 'no action' ? null : onDelete },
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

/** The parent key columns an FK without a column list refers to. */
async function primaryKeyOf(driver: Driver, table: string): Promise<string[]> {
  const rows = (
    await driver.query<{ name: string; pk: number }>('SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0', [table])
  ).rows;
  return rows.sort((a, b) => a.pk - b.pk).map((r) => r.name);
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
