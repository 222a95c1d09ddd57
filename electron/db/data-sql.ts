/**
 * SQL for the data-moving nodes (DataMigrationNode, DataBackfillNode): batches over one key
 * column, never OFFSET. A batch is `key > <last> AND key <= <upper>`, never past the largest key
 * of the walk's start. `<upper>` is either
 * `<last> + batch_size` on dense integer keys (`rangeUpper`, nothing to read) or the last of the
 * next `batch_size` matching keys, read with `nextBatchSql`; `countSql` and `keyEndsSql` tell
 * which of the two a walk can use. Keys travel as text plus their storage class and come back
 * into SQL only through `keyLiteral`. Expressions a user wrote (`calculation`, `where`) are
 * embedded in parentheses and must have passed electron/db/expression-check.ts first.
 */
import { findColumn, type Table } from '../../shared/schema.ts';
import type { Dialect } from './dialect.ts';

/** The column a keyset walk orders by: the primary key, else a unique NOT NULL column. */
export interface BatchKey {
  column: string;
  /** True when the database lets the column hold NULL (a SQLite primary key not declared NOT NULL). */
  nullable: boolean;
  /** The column's declared type, as introspected (lower case). */
  type: string;
}

/**
 * A key read back from the database: its text and how it was stored (`integer`, `real`, `text`,
 * `blob` on SQLite; `integer` or `text` on PostgreSQL, where a quoted literal takes the column's type).
 */
export interface KeyValue {
  text: string;
  kind: string;
}

/** A row of `nextBatchSql`. */
export interface BatchBoundRow {
  key_text: string;
  key_kind: string;
  /** Keys in the batch. */
  n: number | string;
}

/** The row of `keyEndsSql`: the smallest and largest matching key, null when none matches. */
export interface KeyEndsRow {
  min_text: string | null;
  min_kind: string | null;
  max_text: string | null;
  max_kind: string | null;
}

/**
 * The single-column primary key, else a single NOT NULL column under a full (non-partial) unique
 * index or constraint; null when the table has neither (a composite key alone is not walked).
 */
export function chooseBatchKey(table: Table): BatchKey | null {
  const pk = table.columns.filter((c) => c.primaryKey);
  if (pk.length === 1) return { column: pk[0]!.name, nullable: pk[0]!.nullable, type: pk[0]!.type };
  const candidates = [
    ...table.indexes.filter((i) => i.unique && i.where === null && i.columns.length === 1).map((i) => i.columns[0]!),
    ...table.constraints.filter((c) => c.kind === 'unique' && c.columns.length === 1).map((c) => c.columns[0]!),
  ];
  for (const name of candidates) {
    const col = findColumn(table, name);
    if (col && !col.nullable) return { column: col.name, nullable: false, type: col.type };
  }
  return null;
}

const INTEGER = /^-?\d+$/;
const REAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const HEX = /^[0-9A-F]*$/;

/** A key value as an SQL literal of the dialect (exact: integers and reals as written, blobs as X'..'). */
export function keyLiteral(d: Dialect, key: KeyValue): string {
  switch (key.kind) {
    case 'integer':
      if (INTEGER.test(key.text)) return key.text;
      break;
    case 'real':
      if (REAL.test(key.text)) return key.text;
      if (key.text === 'Inf' || key.text === '-Inf') return key.text.replace('Inf', '9e999');
      break;
    case 'blob':
      if (HEX.test(key.text)) return `X'${key.text}'`;
      break;
    case 'text':
      return d.literal(key.text);
  }
  throw new Error(`key value ${JSON.stringify(key.text)} of kind "${key.kind}" cannot be written as a literal`);
}

function conditions(parts: (string | null | undefined)[]): string {
  const present = parts.filter((p): p is string => !!p);
  return present.length > 0 ? ` WHERE ${present.join(' AND ')}` : '';
}

function after(d: Dialect, key: BatchKey, last: KeyValue | null): string | null {
  return last ? `${d.quoteIdent(key.column)} > ${keyLiteral(d, last)}` : null;
}

const wrapped = (expr: string | null | undefined) => (expr ? `(${expr})` : null);

function batchSize(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new Error(`batch size must be a positive integer, got ${size}`);
  return size;
}

function upTo(d: Dialect, key: BatchKey, until: KeyValue | null): string | null {
  return until ? `${d.quoteIdent(key.column)} <= ${keyLiteral(d, until)}` : null;
}

/**
 * The keys of the next batch: `SELECT k FROM t WHERE k > last AND k <= until AND (where) ORDER BY
 * k LIMIT n` (`until`: the walk's last key, fixed at its start; null in the plan preview).
 */
function nextKeys(
  d: Dialect,
  table: string,
  key: BatchKey,
  last: KeyValue | null,
  until: KeyValue | null,
  where: string | null,
  size: number,
): string {
  const k = d.quoteIdent(key.column);
  const filter = conditions([after(d, key, last), upTo(d, key, until), wrapped(where)]);
  return `SELECT ${k} FROM ${d.quoteIdent(table)}${filter} ORDER BY ${k} LIMIT ${batchSize(size)}`;
}

/**
 * One row (`BatchBoundRow`) naming the last key of the next batch and how many keys it holds, or
 * no row when no key after `last` and up to `until` matches `where`. The last key is `max()` over the batch's keys
 * where the type has one (every SQLite value: max() follows ORDER BY's order; PostgreSQL
 * integers), a plain aggregate several times cheaper than the window and re-sort that other
 * PostgreSQL key types need.
 */
export function nextBatchSql(
  d: Dialect,
  table: string,
  key: BatchKey,
  last: KeyValue | null,
  until: KeyValue,
  where: string | null,
  size: number,
): string {
  const k = `s.${d.quoteIdent(key.column)}`;
  const keys = nextKeys(d, table, key, last, until, where, size);
  if (d.keyHasMinMax(key.type))
    return `SELECT ${d.keyProjection(`max(${k})`, 'key')}, count(*) AS n FROM (${keys}) s HAVING count(*) > 0`;
  return `SELECT ${d.keyProjection(k, 'key')}, count(*) OVER () AS n FROM (${keys}) s ORDER BY ${k} DESC LIMIT 1`;
}

/**
 * The first batch's upper bound as a scalar subquery, for the plan-mode preview of a table whose
 * rows cannot be read yet (it is created or changed by an earlier node of the workflow).
 */
export function firstUpperBoundSql(
  d: Dialect,
  table: string,
  key: BatchKey,
  where: string | null,
  size: number,
): string {
  const k = `s.${d.quoteIdent(key.column)}`;
  return `(SELECT ${k} FROM (${nextKeys(d, table, key, null, null, where, size)}) s ORDER BY ${k} DESC LIMIT 1)`;
}

/** `SELECT count(*) AS n FROM t WHERE k > last AND (where)`: the rows a walk still has to visit. */
export function countSql(
  d: Dialect,
  table: string,
  key: BatchKey,
  last: KeyValue | null,
  where: string | null,
): string {
  return `SELECT count(*) AS n FROM ${d.quoteIdent(table)}${conditions([after(d, key, last), wrapped(where)])}`;
}

/**
 * One `KeyEndsRow`: the smallest and largest key a walk still has to visit, each read through the
 * key's index (`ORDER BY k LIMIT 1`, stopping at the first matching row from either end). The
 * largest bounds the walk; the two tell whether integer keys are dense enough for arithmetic ranges.
 */
export function keyEndsSql(
  d: Dialect,
  table: string,
  key: BatchKey,
  last: KeyValue | null,
  where: string | null,
): string {
  const k = d.quoteIdent(key.column);
  const from = `FROM ${d.quoteIdent(table)}${conditions([after(d, key, last), wrapped(where)])}`;
  const end = (dir: string) => `(SELECT ${k} ${from} ORDER BY ${k}${dir} LIMIT 1)`;
  return `SELECT ${d.keyProjection('e.lo', 'min')}, ${d.keyProjection('e.hi', 'max')} FROM (SELECT ${end('')} AS lo, ${end(' DESC')} AS hi) e`;
}

/**
 * The upper key of an arithmetic batch over an integer key: `base + size`, or `max` when that is
 * smaller (so the literal never leaves the column's range). Exact for any 64-bit key.
 */
export function rangeUpper(base: bigint, size: number, max: bigint): KeyValue {
  const upper = base + BigInt(batchSize(size));
  return { text: (upper < max ? upper : max).toString(), kind: 'integer' };
}

/** One row when the key column holds a NULL (such rows would be skipped by the walk). */
export function nullKeySql(d: Dialect, table: string, key: BatchKey): string {
  return `SELECT 1 AS found FROM ${d.quoteIdent(table)} WHERE ${d.quoteIdent(key.column)} IS NULL LIMIT 1`;
}

/** Prepares `expr` (when given) against the table's rows, filtered by `where`, reading nothing. */
export function probeSql(d: Dialect, table: string, expr: string | null, where: string | null): string {
  return `SELECT ${expr ? `(${expr})` : '1'} AS probe FROM ${d.quoteIdent(table)}${conditions([wrapped(where)])} LIMIT 0`;
}

/** The backfill's default filter: rows whose `field` is still NULL. */
export function nullFieldWhere(d: Dialect, field: string): string {
  return `${d.quoteIdent(field)} IS NULL`;
}

/** A batch's key range. `upper` is SQL: a `keyLiteral` or `firstUpperBoundSql`. */
export interface BatchRange {
  key: BatchKey;
  last: KeyValue | null;
  upper: string;
}

function rangeWhere(d: Dialect, range: BatchRange, where: string | null | undefined): string {
  return conditions([
    after(d, range.key, range.last),
    `${d.quoteIdent(range.key.column)} <= ${range.upper}`,
    wrapped(where),
  ]);
}

/**
 * The value `expr` as written into column `column` of `table` (rounded to a decimal's scale on
 * SQLite), computed for each row of `rowTable`, the table the statement reads, by its key column.
 */
function assigned(d: Dialect, table: Table, column: string, expr: string, rowTable: string, range: BatchRange): string {
  const row = `${d.quoteIdent(rowTable)}.${d.quoteIdent(range.key.column)}`;
  return d.assignedValue(expr, findColumn(table, column)?.type ?? null, row);
}

/** `UPDATE t SET field = (calculation) WHERE <range> AND (where)`, the value fitted to the field's type. */
export function backfillBatchSql(
  d: Dialect,
  table: Table,
  field: string,
  calculation: string,
  range: BatchRange,
  where: string | null,
): string {
  const value = assigned(d, table, field, `(${calculation})`, table.name, range);
  return `UPDATE ${d.quoteIdent(table.name)} SET ${d.quoteIdent(field)} = ${value}${rangeWhere(d, range, where)}`;
}

/**
 * A prior backup of a batch (backup-sql.ts): `INSERT INTO backup (key, cols) SELECT key, cols FROM
 * t WHERE <range> AND (where)`, the same rows the batch's UPDATE then writes, before it writes them.
 */
export function backupBatchSql(
  d: Dialect,
  backupTable: string,
  table: string,
  columns: readonly string[],
  range: BatchRange,
  where: string | null,
): string {
  const selected = [range.key.column, ...columns].map((c) => d.quoteIdent(c)).join(', ');
  return `INSERT INTO ${d.quoteIdent(backupTable)} (${selected}) SELECT ${selected} FROM ${d.quoteIdent(table)}${rangeWhere(d, range, where)}`;
}

/** Same-table copy: `UPDATE t SET target = source, ... WHERE <range> AND (where)`, each value fitted to its target's type. */
export function copyWithinBatchSql(
  d: Dialect,
  table: Table,
  mapping: readonly [string, string][],
  range: BatchRange,
  where?: string,
): string {
  const sets = mapping
    .map(
      ([source, target]) =>
        `${d.quoteIdent(target)} = ${assigned(d, table, target, d.quoteIdent(source), table.name, range)}`,
    )
    .join(', ');
  return `UPDATE ${d.quoteIdent(table.name)} SET ${sets}${rangeWhere(d, range, where)}`;
}

/**
 * Cross-table copy: `INSERT INTO target (cols) SELECT cols FROM source WHERE <range> AND (where)
 * ORDER BY key`, each value fitted to its target column's type.
 */
export function copyAcrossBatchSql(
  d: Dialect,
  source: string,
  target: Table,
  mapping: readonly [string, string][],
  range: BatchRange,
  where?: string,
): string {
  const targets = mapping.map(([, t]) => d.quoteIdent(t)).join(', ');
  const sources = mapping.map(([s, t]) => assigned(d, target, t, d.quoteIdent(s), source, range)).join(', ');
  return `INSERT INTO ${d.quoteIdent(target.name)} (${targets}) SELECT ${sources} FROM ${d.quoteIdent(source)}${rangeWhere(d, range, where)} ORDER BY ${d.quoteIdent(range.key.column)}`;
}

/**
 * Pages SQLite's WAL may hold while a backfill or copy runs before the walk checkpoints it between
 * two batches (40 MiB at 4 KiB pages; checkpointed-walk.ts). SQLite's default threshold is 1,000:
 * with a commit per batch that is a checkpoint (the WAL copied into the database file, with two
 * fsyncs) every few batches, most of what the batches' commits cost on a busy disk.
 */
export const BATCH_WAL_PAGES = 10_000;

/** The table and columns a data node's batch statement writes: what the run record's statements tell a rollback. */
export interface DataWriteTarget {
  /** `update`: values overwritten in place; `insert`: rows added (a copy into another table). */
  kind: 'update' | 'insert';
  table: string;
  columns: string[];
}

/** `"a""b"` at `at` in `sql`: the identifier and the index after it, or null. */
function quotedIdent(sql: string, at: number): { name: string; end: number } | null {
  if (sql[at] !== '"') return null;
  let name = '';
  for (let i = at + 1; i < sql.length; i++) {
    if (sql[i] !== '"') name += sql[i];
    else if (sql[i + 1] === '"') {
      name += '"';
      i++;
    } else return { name, end: i + 1 };
  }
  return null;
}

/**
 * The table and columns the batch statements above write (`backfillBatchSql`, `copyWithinBatchSql`:
 * `UPDATE "t" SET "c" = ...`; `copyAcrossBatchSql`: `INSERT INTO "t" ("c", ...) SELECT`), read
 * back from their text as the run record keeps it; null for any other statement. The assigned
 * values are skipped by their quotes and parentheses, so a comma inside one is not a column.
 */
export function dataWriteTarget(sql: string): DataWriteTarget | null {
  const head = /^(UPDATE|INSERT INTO) /.exec(sql);
  if (!head) return null;
  const table = quotedIdent(sql, head[0].length);
  if (!table) return null;
  const columns: string[] = [];
  if (head[1] === 'INSERT INTO') {
    let at = table.end + 2;
    if (sql.slice(table.end, at) !== ' (') return null;
    for (;;) {
      const col = quotedIdent(sql, at);
      if (!col) return null;
      columns.push(col.name);
      if (sql.startsWith(', ', col.end)) at = col.end + 2;
      else if (sql.startsWith(') SELECT ', col.end)) return { kind: 'insert', table: table.name, columns };
      else return null;
    }
  }
  if (!sql.startsWith(' SET ', table.end)) return null;
  let at = table.end + 5;
  for (;;) {
    const col = quotedIdent(sql, at);
    if (!col || !sql.startsWith(' = ', col.end)) return null;
    columns.push(col.name);
    // Skip the value: up to the next ", " or " WHERE " outside quotes and parentheses.
    let depth = 0;
    let i = col.end + 3;
    for (; i < sql.length; i++) {
      const ch = sql[i]!;
      if (ch === "'" || ch === '"') {
        const close = sql.indexOf(ch, i + 1);
        if (close < 0) return null;
        i = close;
      } else if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (depth === 0 && sql.startsWith(', ', i)) break;
      else if (depth === 0 && sql.startsWith(' WHERE ', i)) return { kind: 'update', table: table.name, columns };
    }
    if (i >= sql.length) return { kind: 'update', table: table.name, columns };
    at = i + 2;
  }
}
