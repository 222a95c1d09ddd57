/**
 * A scratch copy of a table's columns as a TEMP table, created in a transaction (or savepoint)
 * that is always rolled back. PostgreSQL compiles a user's CHECK, index predicate, USING or
 * default against it exactly as the real DDL would (types, casts, immutability, column names),
 * and reports the canonical text it would store, without touching or locking the real table.
 */
import { parseColumnType } from '../../../../shared/column-type.ts';
import type { Column } from '../../../../shared/schema.ts';
import { DatabaseError, type Driver } from '../../driver.ts';
import { quoteIdent, renderType } from '../render.ts';

/** The scratch table's name, as statements run inside `onScratch` refer to it. */
export const SCRATCH = 'pg_temp.dataflow_scratch';

export type ScratchResult<T> =
  | { ok: true; value: T }
  /** PostgreSQL rejected what `fn` asked it to compile: the user's text is at fault. */
  | { ok: false; rejected: true; code: string | undefined; message: string }
  /** No scratch table could be made (no TEMP privilege, a read-only standby...): nothing was checked. */
  | { ok: false; rejected: false; message: string };

const SAFE_TYPE = /^[a-z_"][a-z0-9_ ."]*(?:\(\d+(?:,\d+)?\))?[a-z ]*(?:\[\])*$/i;

/** A model column's type as SQL: the grammar's spelling, or the catalog's text when it is plainly a type name. */
function scratchType(type: string): string | null {
  const parsed = parseColumnType(type);
  if (parsed.ok) return renderType(parsed.type);
  return SAFE_TYPE.test(type) ? type : null;
}

export async function onScratch<T>(
  driver: Driver,
  columns: readonly Pick<Column, 'name' | 'type'>[],
  lockTimeoutMs: number,
  fn: () => Promise<T>,
): Promise<ScratchResult<T>> {
  const nested = driver.inTransaction();
  const defs = columns.map((c) => ({ name: c.name, type: scratchType(c.type) }));
  const approximate = defs.some((d) => d.type === null);
  await driver.query(nested ? 'SAVEPOINT dataflow_scratch' : 'BEGIN');
  try {
    try {
      await driver.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
      await driver.query(
        `CREATE TEMP TABLE dataflow_scratch (${defs.map((d) => `${quoteIdent(d.name)} ${d.type ?? 'text'}`).join(', ')})`,
      );
    } catch (e) {
      if (!(e instanceof DatabaseError)) throw e;
      return { ok: false, rejected: false, message: e.message };
    }
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      if (!(e instanceof DatabaseError)) throw e;
      return approximate
        ? {
            ok: false,
            rejected: false,
            message: `${e.message} (the table has columns of types the scratch copy cannot reproduce)`,
          }
        : { ok: false, rejected: true, code: e.code, message: e.message };
    }
  } finally {
    await driver.query(nested ? 'ROLLBACK TO SAVEPOINT dataflow_scratch' : 'ROLLBACK');
    if (nested) await driver.query('RELEASE SAVEPOINT dataflow_scratch');
  }
}

/** Canonical text of the scratch column's default (null when it has none) and whether PostgreSQL stored it as a constant (no table rewrite). */
export async function scratchDefault(
  driver: Driver,
  column: string,
): Promise<{ expr: string | null; constant: boolean }> {
  const { rows } = await driver.query<{ expr: string | null; constant: boolean }>(
    `SELECT pg_get_expr(d.adbin, d.adrelid) AS expr, a.atthasmissing AS constant
     FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = '${SCRATCH}'::regclass AND a.attname = $1`,
    [column],
  );
  return rows[0] ?? { expr: null, constant: true };
}
