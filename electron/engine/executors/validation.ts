/**
 * ValidationNode: schema checks read the schema (simulated in plan mode), data checks query the
 * database (reported as not run in plan mode). Every check is reported with what was observed;
 * any failure fails the node, so an enclosing TransactionScope rolls back. docs/nodes.md, "ValidationNode".
 */
import { formatColumnType, parseColumnType, type ColumnType } from '../../../shared/column-type.ts';
import type { ValidationParams } from '../../../shared/nodes/validation.ts';
import { findColumn, findTable, type Schema } from '../../../shared/schema.ts';
import { checkQuerySql, CheckQueryError, duplicateGroupsSql, nullCountSql, rowCountSql } from '../../db/checks.ts';
import type { Dialect } from '../../db/dialect.ts';
import { DatabaseError } from '../../db/driver.ts';
import { NodeFailure, type Executor, type NodeContext } from '../types.ts';

export type CheckName =
  | 'check_table_exists'
  | 'check_column_exists'
  | 'check_column_type'
  | 'check_not_null'
  | 'check_unique'
  | 'check_row_count'
  | 'check_sql';

/** One check's outcome. `passed` is null when the check did not run (data checks in plan mode). */
export interface CheckReport {
  check: CheckName;
  passed: boolean | null;
  observed: unknown;
  expected: unknown;
  /** Why the check did not run. */
  not_run?: string;
}

const NOT_RUN_IN_PLAN = 'plan mode: data checks run in rehearse and apply';

function canonicalType(text: string): string {
  const parsed = parseColumnType(text);
  return parsed.ok ? formatColumnType(parsed.type) : text.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The column's reported type matches the expected one, in the grammar's spelling or in the dialect's rendering of it. */
function typeMatches(d: Dialect, observed: string, expected: ColumnType): boolean {
  const got = canonicalType(observed);
  if (got === formatColumnType(expected)) return true;
  try {
    return got === canonicalType(d.renderType(expected));
  } catch {
    return false;
  }
}

function truthy(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v) === 1;
  return typeof v === 'string' && ['1', 't', 'true'].includes(v.trim().toLowerCase());
}

async function count(ctx: NodeContext<ValidationParams>, sql: string, field: CheckName): Promise<number> {
  try {
    const { rows } = await ctx.query<{ n: unknown }>(sql);
    return Number(rows[0]?.n ?? 0);
  } catch (e) {
    if (e instanceof DatabaseError) throw new NodeFailure(`the check query failed: ${e.message}`, field, e.code);
    throw e;
  }
}

/** Where a data check cannot run because its table or column is missing: the failed report, else null. */
function missing(
  schema: Schema,
  check: CheckName,
  table: string,
  column: string | undefined,
  expected: unknown,
): CheckReport | null {
  const t = findTable(schema, table);
  if (!t) return { check, passed: false, observed: `table "${table}" does not exist`, expected };
  if (column !== undefined && !findColumn(t, column))
    return { check, passed: false, observed: `column "${table}.${column}" does not exist`, expected };
  return null;
}

function describe(r: CheckReport, p: ValidationParams): string {
  const onTable = r.check === 'check_table_exists' || r.check === 'check_row_count';
  const where = r.check === 'check_sql' ? '' : ` on ${onTable ? p.table : `${p.table}.${p.column}`}`;
  return `${r.check}${where}: expected ${JSON.stringify(r.expected)}, observed ${JSON.stringify(r.observed)}`;
}

export const validationExecutor: Executor<ValidationParams> = {
  async run(ctx) {
    const p = ctx.params;
    const plan = ctx.mode === 'plan';
    const d = ctx.db.dialect;

    let expectedType: ColumnType | undefined;
    if (p.check_column_type !== undefined) {
      const parsed = parseColumnType(p.check_column_type);
      if (!parsed.ok) throw new NodeFailure(parsed.error, 'check_column_type');
      expectedType = parsed.type;
    }
    let checkSql: string | undefined;
    if (p.check_sql !== undefined) {
      try {
        checkSql = checkQuerySql(p.check_sql);
      } catch (e) {
        if (e instanceof CheckQueryError)
          throw new NodeFailure(
            `${e.message}; write one read-only SELECT that returns no rows (or true) when the check passes`,
            'check_sql',
          );
        throw e;
      }
    }

    const schema = await ctx.schema();
    const table = p.table ?? '';
    const t = p.table !== undefined ? findTable(schema, table) : undefined;
    const col = t && p.column !== undefined ? findColumn(t, p.column) : undefined;
    const reports: CheckReport[] = [];

    if (p.check_table_exists)
      reports.push({ check: 'check_table_exists', passed: t !== undefined, observed: t !== undefined, expected: true });
    if (p.check_column_exists)
      reports.push({
        check: 'check_column_exists',
        passed: col !== undefined,
        observed: col !== undefined,
        expected: true,
      });
    if (expectedType) {
      const expected = formatColumnType(expectedType);
      reports.push(
        col
          ? { check: 'check_column_type', passed: typeMatches(d, col.type, expectedType), observed: col.type, expected }
          : {
              check: 'check_column_type',
              passed: false,
              observed: t ? `column "${table}.${p.column}" does not exist` : `table "${table}" does not exist`,
              expected,
            },
      );
    }
    if (p.check_not_null) {
      const check = 'check_not_null';
      const expected = 0;
      reports.push(
        missing(schema, check, table, p.column, expected) ??
          (plan
            ? { check, passed: null, observed: null, expected, not_run: NOT_RUN_IN_PLAN }
            : await count(ctx, nullCountSql(d, table, p.column!), check).then((n) => ({
                check,
                passed: n === 0,
                observed: n,
                expected,
              }))),
      );
    }
    if (p.check_unique) {
      const check = 'check_unique';
      const expected = 0;
      reports.push(
        missing(schema, check, table, p.column, expected) ??
          (plan
            ? { check, passed: null, observed: null, expected, not_run: NOT_RUN_IN_PLAN }
            : await count(ctx, duplicateGroupsSql(d, table, p.column!), check).then((n) => ({
                check,
                passed: n === 0,
                observed: n,
                expected,
              }))),
      );
    }
    if (p.check_row_count) {
      const check = 'check_row_count';
      const rc = p.check_row_count;
      const parts = [
        rc.min !== undefined && `>= ${rc.min}`,
        rc.max !== undefined && `<= ${rc.max}`,
        rc.equals_table !== undefined && `= rows of ${rc.equals_table}`,
      ].filter(Boolean);
      const expected = parts.length > 0 ? parts.join(' and ') : 'any';
      const gone =
        missing(schema, check, table, undefined, expected) ??
        (rc.equals_table !== undefined ? missing(schema, check, rc.equals_table, undefined, expected) : null);
      if (gone) reports.push(gone);
      else if (plan) reports.push({ check, passed: null, observed: null, expected, not_run: NOT_RUN_IN_PLAN });
      else {
        const n = await count(ctx, rowCountSql(d, table), check);
        const other =
          rc.equals_table !== undefined ? await count(ctx, rowCountSql(d, rc.equals_table), check) : undefined;
        const passed =
          (rc.min === undefined || n >= rc.min) &&
          (rc.max === undefined || n <= rc.max) &&
          (other === undefined || n === other);
        reports.push({
          check,
          passed,
          observed: n,
          expected: other === undefined ? expected : `${expected} (${other})`,
        });
      }
    }
    if (checkSql !== undefined) {
      const check = 'check_sql';
      const expected = 'no rows, or one row whose first value is true';
      if (plan) reports.push({ check, passed: null, observed: null, expected, not_run: NOT_RUN_IN_PLAN });
      else {
        let rows: Record<string, unknown>[];
        try {
          rows = (await ctx.query(checkSql)).rows;
        } catch (e) {
          if (e instanceof DatabaseError) throw new NodeFailure(`the query failed: ${e.message}`, 'check_sql', e.code);
          throw e;
        }
        const first = rows[0] ? Object.values(rows[0])[0] : undefined;
        const observed = rows.length === 0 ? 'no rows' : rows.length > 1 ? 'more than one row' : first;
        reports.push({ check, passed: rows.length === 0 || (rows.length === 1 && truthy(first)), observed, expected });
      }
    }

    const failed = reports.filter((r) => r.passed === false);
    const passed = failed.length === 0;
    if (!passed) {
      for (const r of failed) ctx.warn(describe(r, p));
      throw new NodeFailure(
        `${failed.length} of ${reports.length} checks failed: ${failed.map((r) => describe(r, p)).join('; ')}`,
        failed[0]!.check,
      );
    }
    return { passed, checks: reports, result: { passed, checks: reports } };
  },
};
