/**
 * The planner's read-only data checks on the live table (rows present, duplicates, NULLs...), run
 * as probes (../probe.ts): under a short lock_timeout, rolled back, never aborting the caller's
 * transaction. In plan mode a table or column that only an earlier node creates is not in the
 * database: the probe finds nothing to check. A probe that cannot run is a warning, not a guess.
 */
import { MISSING_OBJECT, probe } from '../probe.ts';
import { quoteIdent as qi } from '../render.ts';
import type { Duplicate } from '../../plan-rules/data.ts';
import type { PgPlan } from './context.ts';

/** Rows of a read-only check on the live database; null when it could not run (then nothing is known). */
export async function rows<R = Record<string, unknown>>(
  ctx: PgPlan,
  what: string,
  sql: string,
  params: readonly unknown[] = [],
): Promise<R[] | null> {
  const r = await probe<R>(ctx.driver, sql, params, ctx.lockMs);
  if (r.ok) return r.value;
  if (!MISSING_OBJECT.has(r.code ?? '')) {
    ctx.warn(
      'DF309',
      undefined,
      r.code === '55P03'
        ? `could not check ${what}: another session holds a conflicting lock; the check was skipped`
        : `could not check ${what}: ${r.message}`,
    );
  }
  return null;
}

/** Rows of the table, counted up to `limit`. */
export async function rowsUpTo(ctx: PgPlan, limit: number): Promise<number> {
  const r = await rows<{ n: number }>(
    ctx,
    `rows in "${ctx.p.table}"`,
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${ctx.t} LIMIT ${Math.max(1, Math.floor(limit))}) s`,
  );
  return r?.[0]?.n ?? 0;
}

/** Up to three values (as text) that occur more than once among non-NULL `columns` (within `where`). */
export async function duplicates(ctx: PgPlan, columns: readonly string[], where?: string): Promise<Duplicate[]> {
  const cols = columns.map(qi).join(', ');
  const notNull = columns.map((c) => `${qi(c)} IS NOT NULL`).join(' AND ');
  const r = await rows<{ value: string; n: number }>(
    ctx,
    `duplicates in ${columns.join(', ')}`,
    `SELECT (${columns.length === 1 ? `${cols}::text` : `ROW(${cols})::text`}) AS value, count(*)::int AS n FROM ${ctx.t} ` +
      `WHERE ${notNull}${where ? ` AND ${where}` : ''} GROUP BY ${cols} HAVING count(*) > 1 ORDER BY 1 LIMIT 3`,
  );
  return r ?? [];
}

export async function nullCount(ctx: PgPlan, column: string): Promise<number> {
  const r = await rows<{ n: number }>(
    ctx,
    `NULLs in "${column}"`,
    `SELECT count(*)::int AS n FROM ${ctx.t} WHERE ${qi(column)} IS NULL`,
  );
  return r?.[0]?.n ?? 0;
}
