/**
 * The read-only queries the planner runs to find, before anything runs, the changes that cannot
 * succeed on the data as it is (rows present, duplicates, NULLs, orphans, CHECK violations, values
 * a new type would not hold). Identifiers are quoted; user SQL reaching here passed checkExpression.
 */
import { typeFamily, type ColumnType } from '../../../../shared/column-type.ts';
import { DatabaseError, type Driver } from '../../driver.ts';
import { quoteIdent as q } from '../render.ts';
import type { Duplicate } from '../../plan-rules/data.ts';

/** True when the table exists in the database (a table planned by an earlier node may not yet). */
export async function tableExists(driver: Driver, table: string): Promise<boolean> {
  const { rows } = await driver.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE", [
    table,
  ]);
  return rows.length > 0;
}

/**
 * Runs a count over columns an earlier node of the same plan may only be adding: in plan mode the
 * schema is simulated, so such a column is not in the live table yet and holds no values to check
 * (0 problems); the check runs for real when the node runs.
 */
async function countOverPlannedColumns(driver: Driver, sql: string): Promise<number> {
  try {
    const { rows } = await driver.query<{ n: number }>(sql);
    return Number(rows[0]?.n ?? 0);
  } catch (e) {
    if (e instanceof DatabaseError && /^no such column/.test(e.message)) return 0;
    throw e;
  }
}

/** Rows in the table, counted up to `limit`. */
export async function rowsUpTo(driver: Driver, table: string, limit: number): Promise<number> {
  const { rows } = await driver.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${q(table)} LIMIT ${Math.max(1, Math.floor(limit))})`,
  );
  return Number(rows[0]?.n ?? 0);
}

export async function nullCount(driver: Driver, table: string, column: string): Promise<number> {
  return countOverPlannedColumns(driver, `SELECT COUNT(*) AS n FROM ${q(table)} WHERE ${q(column)} IS NULL`);
}

/**
 * Up to three value combinations that occur more than once (NULLs never count as duplicates),
 * among the rows where `where` holds when given (a partial unique index).
 */
export async function duplicates(
  driver: Driver,
  table: string,
  columns: readonly string[],
  where?: string,
): Promise<Duplicate[]> {
  const cols = columns.map(q).join(', ');
  const filter = [...columns.map((c) => `${q(c)} IS NOT NULL`), ...(where ? [`(${where})`] : [])].join(' AND ');
  const sql = `SELECT ${cols}, COUNT(*) AS dataflow_n FROM ${q(table)} WHERE ${filter} GROUP BY ${cols} HAVING COUNT(*) > 1 ORDER BY ${cols} LIMIT 3`;
  const rows = await driver.query<Record<string, unknown>>(sql).then(
    (r) => r.rows,
    (e: unknown) => {
      if (e instanceof DatabaseError && /^no such column/.test(e.message)) return [];
      throw e;
    },
  );
  // As PostgreSQL prints a value (`ann`) or a row of values (`(ann,1)`) as text.
  const text = (r: Record<string, unknown>) =>
    columns.length === 1 ? String(r[columns[0]!]) : `(${columns.map((c) => String(r[c])).join(',')})`;
  return rows.map((r) => ({ value: text(r), n: Number(r.dataflow_n) }));
}

/**
 * Rows whose `column` value has no match in `parent`.`parentColumn` (a key: at most one match),
 * and the least such value. An anti-join rather than NOT EXISTS: SQLite runs it as one join loop,
 * about 2.5x faster on a million rows than the correlated subquery.
 */
export async function orphans(
  driver: Driver,
  table: string,
  column: string,
  parent: string,
  parentColumn: string,
): Promise<{ n: number; example: string | null }> {
  const sql = `SELECT COUNT(*) AS n, MIN(c.${q(column)}) AS v FROM ${q(table)} AS c LEFT JOIN ${q(parent)} AS p ON p.${q(parentColumn)} = c.${q(column)} WHERE c.${q(column)} IS NOT NULL AND p.${q(parentColumn)} IS NULL`;
  try {
    const { rows } = await driver.query<{ n: number; v: unknown }>(sql);
    const v = rows[0]?.v;
    return { n: Number(rows[0]?.n ?? 0), example: v === null || v === undefined ? null : String(v) };
  } catch (e) {
    if (e instanceof DatabaseError && /^no such column/.test(e.message)) return { n: 0, example: null };
    throw e;
  }
}

/**
 * Rows for which an expression is false, and rows for which it is NULL (a CHECK lets those pass,
 * but SQLite's ALTER TABLE ADD CONSTRAINT CHECK rejects them). A DatabaseError (unknown
 * column...) is returned as its message.
 */
export async function checkViolations(
  driver: Driver,
  table: string,
  expression: string,
): Promise<{ false: number; null: number } | string> {
  try {
    const { rows } = await driver.query<{ f: number | null; n: number | null }>(
      `SELECT SUM(CASE WHEN (${expression}) THEN 0 ELSE 1 END) - SUM((${expression}) IS NULL) AS f, SUM((${expression}) IS NULL) AS n FROM ${q(table)}`,
    );
    return { false: Number(rows[0]?.f ?? 0), null: Number(rows[0]?.n ?? 0) };
  } catch (e) {
    if (e instanceof DatabaseError) return e.message;
    throw e;
  }
}

/** Rows whose value is not an integer (what a rowid alias primary key requires). */
export async function nonIntegerCount(driver: Driver, table: string, column: string): Promise<number> {
  return countOverPlannedColumns(
    driver,
    `SELECT COUNT(*) AS n FROM ${q(table)} WHERE ${q(column)} IS NOT NULL AND typeof(${q(column)}) <> 'integer' AND CAST(${q(column)} AS INTEGER) || '' <> ${q(column)} || ''`,
  );
}

/** A predicate over `v` that is true when the value does not fit the type family. */
function misfit(type: ColumnType, v: string): string | null {
  const t = `trim(${v})`;
  switch (typeFamily(type)) {
    case 'integer':
      return `NOT (typeof(${v}) = 'integer' OR (typeof(${v}) = 'real' AND ${v} = CAST(${v} AS INTEGER)) OR (typeof(${v}) = 'text' AND ${t} <> '' AND ltrim(${t}, '+-') <> '' AND ltrim(${t}, '+-') NOT GLOB '*[^0-9]*'))`;
    case 'decimal':
      return `NOT (typeof(${v}) IN ('integer', 'real') OR (typeof(${v}) = 'text' AND ${t} GLOB '*[0-9]*' AND ${t} NOT GLOB '*[^0-9.eE+-]*'))`;
    case 'boolean':
      return `NOT (${v} IN (0, 1) OR lower(${t}) IN ('true', 'false', 't', 'f', '0', '1'))`;
    case 'temporal':
      return type.base === 'interval' ? null : type.base === 'time' ? `time(${v}) IS NULL` : `julianday(${v}) IS NULL`;
    case 'json':
      return `NOT json_valid(${v})`;
    case 'uuid':
      return `NOT (length(replace(${v}, '-', '')) = 32 AND lower(replace(${v}, '-', '')) NOT GLOB '*[^0-9a-f]*')`;
    case 'text':
      return type.length !== undefined ? `length(${v}) > ${type.length}` : null;
    default:
      return null;
  }
}

/**
 * Rows whose value (of `source`, SQL over the row) would not hold as `type`: SQLite keeps such
 * values as they are, so the change succeeds, but the data does not match the declared type.
 */
export async function misfitCount(
  driver: Driver,
  table: string,
  source: string,
  type: ColumnType,
): Promise<number | string> {
  const pred = misfit(type, `(${source})`);
  if (pred === null) return 0;
  try {
    const { rows } = await driver.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${q(table)} WHERE (${source}) IS NOT NULL AND ${pred}`,
    );
    return Number(rows[0]?.n ?? 0);
  } catch (e) {
    if (e instanceof DatabaseError) return e.message;
    throw e;
  }
}
