/**
 * SQLite spelling of identifiers, literals, column types, defaults and whole CREATE TABLE /
 * CREATE INDEX statements: the only place where a user's value becomes SQLite text.
 */
import { parseColumnType, type ColumnType } from '../../../shared/column-type.ts';
import type { Constraint, Index, Table } from '../../../shared/schema.ts';
import type { BookkeepingTypes } from '../dialect.ts';
import { sqlTokens } from './tokens.ts';
import { isArithmetic } from './numeric-expression.ts';

export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new Error(`identifier ${JSON.stringify(name)} contains a NUL byte`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string, finite number, boolean (1/0) or null as a SQLite literal. */
export function literal(value: string | number | bigint | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new Error(`${value} cannot be written as an SQL literal: only finite numbers can`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (value.includes('\0')) throw new Error('a string literal cannot hold a NUL byte');
  return `'${value.replace(/'/g, "''")}'`;
}

const TYPE_NAMES: Record<ColumnType['base'], string> = {
  text: 'TEXT',
  varchar: 'VARCHAR',
  char: 'CHAR',
  smallint: 'SMALLINT',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  numeric: 'NUMERIC',
  real: 'REAL',
  'double precision': 'DOUBLE PRECISION',
  boolean: 'BOOLEAN',
  date: 'DATE',
  time: 'TIME',
  timestamp: 'TIMESTAMP',
  timestamptz: 'TIMESTAMPTZ',
  interval: 'INTERVAL',
  uuid: 'UUID',
  // JSON is text in SQLite: a declared JSON or JSONB would have NUMERIC affinity and store the
  // string '123' as the integer 123. The planner adds CHECK (json_valid(col)) (jsonCheckSql).
  json: 'TEXT',
  jsonb: 'TEXT',
  bytea: 'BLOB',
};

/**
 * The declared type SQLite keeps for a parsed type. SQLite accepts any declared name, so the
 * meaningful one is kept (introspection reads it back): VARCHAR(20), NUMERIC(10,2), TIMESTAMP;
 * json and jsonb are TEXT (with the CHECK of jsonCheckSql), so that their affinity is text.
 */
export function renderType(type: ColumnType): string {
  if (type.arrayDims > 0) {
    throw new Error('SQLite has no array column types: store the list as json (or text) instead');
  }
  let s = TYPE_NAMES[type.base];
  if (type.length !== undefined) s += `(${type.length})`;
  if (type.precision !== undefined) s += `(${type.precision},${type.scale ?? 0})`;
  return s;
}

/** The CHECK that keeps a json / jsonb column (stored as TEXT) to valid JSON: `json_valid("col")`. */
export function jsonCheckSql(column: string): string {
  return `json_valid(${quoteIdent(column)})`;
}

/**
 * `expr` as the product writes it into a column of declared type `declared` (a backfill's
 * calculation, a copied column): a decimal(p,s) column has NUMERIC affinity, which keeps a float
 * as computed (12.349999999 in a decimal(10,2)), so a REAL value is rounded to the column's scale
 * as PostgreSQL's numeric(p,s) does; integers, text and NULL are stored as given. `expr` is
 * evaluated once per row: `row` (a column of the row being written) is carried by the subquery,
 * which makes it correlated; without it SQLite computes a subquery that names no column of the
 * row (`round(random() % 100, 1)`) once per statement, and every row of a batch got one value.
 *
 * An arithmetic `expr` (numeric-expression.ts: never text) is written as `round(expr, s)`, which
 * the batches of a 1,000,000-row backfill run in about 10% less CPU than the per-row subquery: the
 * rounding of a real is the same, NULL stays NULL, and an integer comes back as a real that the
 * column's NUMERIC affinity stores as the same integer. That holds for integers up to 2^53, so
 * only for a precision of at most 15 digits before the point (p - s <= 15), where every value the
 * declared type allows is one; a wider decimal keeps the subquery.
 */
export function assignedValue(expr: string, declared: string | null, row: string): string {
  const parsed = declared === null ? null : parseColumnType(declared);
  if (!parsed?.ok || parsed.type.base !== 'numeric' || parsed.type.scale === undefined) return expr;
  const { precision, scale } = parsed.type;
  if (precision !== undefined && precision - scale <= 15 && isArithmetic(expr)) return `round(${expr}, ${scale})`;
  return `(SELECT CASE WHEN typeof(dataflow_value) = 'real' THEN round(dataflow_value, ${scale}) ELSE dataflow_value END FROM (SELECT ${expr} AS dataflow_value, ${row} AS dataflow_row))`;
}

/** Declared type text as introspection reports it: lower case, no blanks around parentheses and commas. */
export function normalizeDeclaredType(type: string): string {
  return type
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),])\s*/g, '$1');
}

const DECLARED_TYPE = /^[a-z_][a-z0-9_]*(?: [a-z_][a-z0-9_]*)*(?:\([+-]?\d+(?:,[+-]?\d+)?\))?$/;

/** A model column type as DDL text; only plain SQLite type names (words, optional (n) or (p,s)) pass. */
export function declaredTypeSql(type: string): string {
  const t = normalizeDeclaredType(type);
  if (t === '') return '';
  if (!DECLARED_TYPE.test(t)) throw new Error(`declared type "${type}" cannot be written back into a CREATE TABLE`);
  return t.toUpperCase();
}

const ISOLATION_LEVELS = ['read uncommitted', 'read committed', 'repeatable read', 'serializable'];

/**
 * `BEGIN IMMEDIATE`: takes the write lock up front, so a transaction never fails half way on
 * SQLITE_BUSY. SQLite transactions are serializable, which satisfies every isolation level a
 * workflow may ask for; a level that is none of the SQL standard's four is an error.
 */
export function beginSql(isolation?: string): string {
  const wanted =
    isolation
      ?.trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, ' ') ?? '';
  if (wanted !== '' && !ISOLATION_LEVELS.includes(wanted)) {
    throw new Error(`isolation level "${isolation}" is not one of: ${ISOLATION_LEVELS.join(', ')}`);
  }
  return 'BEGIN IMMEDIATE';
}

/** `?`: better-sqlite3 binds positionally. */
export function existingTablesSql(names: readonly string[]): { sql: string; params: string[] } {
  return {
    sql: `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${names.map(() => '?').join(', ')})`,
    params: [...names],
  };
}

export function placeholder(index: number): string {
  if (!Number.isInteger(index) || index < 1)
    throw new Error(`placeholder index must be a positive integer, got ${index}`);
  return '?';
}

/** True when default text can stand after DEFAULT without parentheses (a literal or CURRENT_*). */
function bareDefault(text: string): boolean {
  const toks = sqlTokens(text);
  const [a, b] = toks;
  if (toks.length === 1 && a) {
    return (
      a.kind === 'string' ||
      a.kind === 'number' ||
      (a.kind === 'word' &&
        ['null', 'true', 'false', 'current_time', 'current_date', 'current_timestamp'].includes(a.value))
    );
  }
  return toks.length === 2 && a?.kind === 'operator' && (a.text === '-' || a.text === '+') && b?.kind === 'number';
}

/** ` DEFAULT <text>`, parenthesised unless it is a literal (SQLite requires parentheses around expressions). */
export function defaultClause(text: string | null): string {
  if (text === null) return '';
  return bareDefault(text) ? ` DEFAULT ${text}` : ` DEFAULT (${text})`;
}

/** SQLite-only details of a table that the neutral model does not carry, kept across a rebuild. */
export interface TableExtras {
  /** Column declared INTEGER PRIMARY KEY AUTOINCREMENT. */
  autoincrement: string | null;
  /** COLLATE name per column. */
  collations: Map<string, string>;
  /** Generated column clause text (`GENERATED ALWAYS AS (...) STORED`) per column. */
  generated: Map<string, string>;
  /** FK clause text beyond ON DELETE (ON UPDATE, MATCH, DEFERRABLE), by foreignKeyKey. */
  foreignKeyExtra: Map<string, string>;
  withoutRowid: boolean;
  strict: boolean;
}

export function emptyExtras(): TableExtras {
  return {
    autoincrement: null,
    collations: new Map(),
    generated: new Map(),
    foreignKeyExtra: new Map(),
    withoutRowid: false,
    strict: false,
  };
}

/** What SQLite writes for an identity column (the plan note of a serial column_type says it). */
export const ROWID_ALIAS = 'INTEGER PRIMARY KEY (the rowid alias, which SQLite numbers)';

/** The single INTEGER column of the primary key when it is the rowid alias, else null. */
export function rowidAlias(
  table: Pick<Table, 'columns' | 'constraints'>,
  extras: Pick<TableExtras, 'withoutRowid'>,
): string | null {
  if (extras.withoutRowid) return null;
  const pk = table.constraints.find((k) => k.kind === 'primary_key');
  const cols = pk ? pk.columns : table.columns.filter((c) => c.primaryKey).map((c) => c.name);
  if (cols.length !== 1) return null;
  const col = table.columns.find((c) => c.name === cols[0]);
  return col && normalizeDeclaredType(col.type) === 'integer' ? col.name : null;
}

const qList = (cols: readonly string[]) => cols.map(quoteIdent).join(', ');

function constraintSql(k: Constraint, extras: TableExtras): string {
  const body =
    k.kind === 'primary_key'
      ? `PRIMARY KEY (${qList(k.columns)})`
      : k.kind === 'unique'
        ? `UNIQUE (${qList(k.columns)})`
        : k.kind === 'check'
          ? `CHECK (${k.expression ?? ''})`
          : `FOREIGN KEY (${qList(k.columns)}) REFERENCES ${quoteIdent(k.references?.table ?? '')}` +
            (k.references?.columns.length ? ` (${qList(k.references.columns)})` : '') +
            (k.references?.onDelete ? ` ON DELETE ${onDeleteSql(k.references.onDelete)}` : '') +
            (k.references ? extraSql(extras.foreignKeyExtra.get(foreignKeyKey(k.columns, k.references.table))) : '');
  return `CONSTRAINT ${quoteIdent(k.name)} ${body}`;
}

/** Identifies a foreign key across a rebuild: its columns and the table it references. */
export function foreignKeyKey(columns: readonly string[], table: string): string {
  return `${columns.join(',')}>${table}`.toLowerCase();
}

const extraSql = (text: string | undefined) => (text ? ` ${text}` : '');

function onDeleteSql(action: string): string {
  const a = action.trim().toUpperCase().replace(/\s+/g, ' ');
  if (!['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'].includes(a)) {
    throw new Error(`on_delete "${action}" is not one of: no action, restrict, cascade, set null, set default`);
  }
  return a;
}

/**
 * Primary key first, then the other constraints in model order: the order the CREATE TABLE
 * declares them in, which decides the numbering of SQLite's automatic indexes.
 */
function constraintOrder(table: Pick<Table, 'constraints'>): Constraint[] {
  return [
    ...table.constraints.filter((k) => k.kind === 'primary_key'),
    ...table.constraints.filter((k) => k.kind !== 'primary_key'),
  ];
}

/**
 * CREATE TABLE for a model table under `name` (the rebuild creates it as new_X). Every constraint
 * is written with its name, so names survive later rebuilds; a single INTEGER primary key is
 * written inline so it stays the rowid alias (with AUTOINCREMENT when the original had it).
 */
export function renderCreateTable(table: Table, name: string, extras: TableExtras): string {
  const alias = rowidAlias(table, extras);
  const lines: string[] = [];
  for (const c of table.columns) {
    const type = declaredTypeSql(c.type);
    let line = `  ${quoteIdent(c.name)}${type ? ` ${type}` : ''}`;
    if (c.name === alias) {
      const pk = table.constraints.find((k) => k.kind === 'primary_key');
      line += `${pk ? ` CONSTRAINT ${quoteIdent(pk.name)}` : ''} PRIMARY KEY${extras.autoincrement === c.name ? ' AUTOINCREMENT' : ''}`;
    } else if (!c.nullable) {
      line += ' NOT NULL';
    }
    const gen = extras.generated.get(c.name);
    if (gen) line += ` ${gen}`;
    else line += defaultClause(c.default);
    const coll = extras.collations.get(c.name);
    if (coll) line += ` COLLATE ${quoteIdent(coll)}`;
    lines.push(line);
  }
  for (const k of constraintOrder(table)) {
    if (k.kind === 'primary_key' && alias !== null) continue;
    lines.push(`  ${constraintSql(k, extras)}`);
  }
  const options = [extras.withoutRowid ? 'WITHOUT ROWID' : '', extras.strict ? 'STRICT' : '']
    .filter(Boolean)
    .join(', ');
  return `CREATE TABLE ${quoteIdent(name)} (\n${lines.join(',\n')}\n)${options ? ` ${options}` : ''}`;
}

/**
 * The automatic indexes SQLite makes for a table declared by renderCreateTable: one per PRIMARY
 * KEY (unless it is the rowid alias) and UNIQUE constraint, numbered in declaration order, none
 * for a constraint whose columns an earlier one already indexes.
 */
export function automaticIndexes(table: Table, extras: TableExtras): Index[] {
  const alias = rowidAlias(table, extras);
  const seen = new Set<string>();
  const out: Index[] = [];
  for (const k of constraintOrder(table)) {
    if (k.kind !== 'primary_key' && k.kind !== 'unique') continue;
    if (k.kind === 'primary_key' && alias !== null) continue;
    const key = k.columns.map((c) => c.toLowerCase()).join('\0');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      name: `sqlite_autoindex_${table.name}_${out.length + 1}`,
      table: table.name,
      columns: [...k.columns],
      unique: true,
      where: null,
      constraintBacked: true,
      sql: null,
    });
  }
  return out;
}

/** CREATE [UNIQUE] INDEX for a model index on plain columns. */
export function renderCreateIndex(index: Pick<Index, 'name' | 'table' | 'columns' | 'unique' | 'where'>): string {
  return (
    `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index.name)} ON ${quoteIdent(index.table)} (${qList(index.columns)})` +
    (index.where ? ` WHERE ${index.where}` : '')
  );
}

/** Column types of the product's tracking tables (migration records, events, the lock row). */
export const bookkeepingTypes: BookkeepingTypes = {
  text: 'TEXT',
  bool: 'INTEGER',
  time: 'TEXT',
  int: 'INTEGER',
  serial: 'INTEGER PRIMARY KEY AUTOINCREMENT',
};

/** SQLite has no session id: the lock row's holder is known by pid, host and expiry. */
export const sessionIdSql = 'NULL';
