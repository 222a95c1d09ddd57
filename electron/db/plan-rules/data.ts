/**
 * Plan rules of the data family (DF3xx): what the rows of the live table allow. The dialect runs
 * the read-only probes (its probes.ts) and hands over what they found; the rules decide and say
 * it, the same way on both databases. A table or column that exists only in the planned schema
 * has no rows, so its probes find nothing.
 */
import type { Table } from '../../../shared/schema.ts';
import type { PlanBuilder } from '../plan-builder.ts';

const list = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** What add_column gives the existing rows: nothing (NULL), one constant value, or a value per row. */
export type NewColumnFill = 'none' | 'constant' | 'per_row';

/**
 * add_column on a table with rows: a NOT NULL column without a default would leave them NULL
 * (DF301); a UNIQUE column with a constant default would give them all the same value (DF302).
 * `rowsUpTo2` counts the table's rows, up to 2; it is asked only when a rule needs it.
 */
export async function newColumnOnRows(
  b: PlanBuilder,
  t: Table,
  c: { name: string; nullable: boolean; unique: boolean; fill: NewColumnFill },
  rowsUpTo2: () => Promise<number>,
): Promise<void> {
  const leftNull = !c.nullable && c.fill === 'none';
  const sameValue = c.unique && c.fill === 'constant';
  if (!leftNull && !sameValue) return;
  const rows = await rowsUpTo2();
  if (leftNull && rows > 0)
    b.error(
      'DF301',
      'nullable',
      `cannot add NOT NULL column "${c.name}" without a default: table "${t.name}" has rows, which would all be NULL. ` +
        'Give a default_value, or add the column nullable, backfill it (DataBackfillNode), then add_constraint not_null',
    );
  if (sameValue && rows > 1)
    b.error(
      'DF302',
      'unique',
      `cannot add UNIQUE column "${c.name}" with a constant default: every existing row of "${t.name}" would get the same value. ` +
        'Add it without a default (NULLs do not collide), backfill distinct values, then add_constraint unique',
    );
}

/** A value (or value combination, as text) that occurs `n` times. */
export interface Duplicate {
  value: string;
  n: number;
}

/**
 * DF303: `what` ("add the UNIQUE constraint", "create unique index ...") cannot be done over the
 * duplicates found in `columns` (within the index's WHERE when `partial`). False after the error.
 */
export function noDuplicates(
  b: PlanBuilder,
  field: string,
  what: string,
  t: Table,
  columns: readonly string[],
  found: readonly Duplicate[],
  partial = false,
): boolean {
  if (found.length === 0) return true;
  b.error(
    'DF303',
    field,
    `cannot ${what}: "${t.name}" holds duplicate values in ${list(columns)}${partial ? ' where the WHERE holds' : ''}: ` +
      `${found.map((d) => `${d.value} (${d.n} times)`).join(', ')}; remove the duplicates first`,
  );
  return false;
}

/** DF304: `nulls` rows hold NULL in `column`, which NOT NULL (or a primary key) forbids. False after the error. */
export function noNulls(
  b: PlanBuilder,
  field: string,
  t: Table,
  column: string,
  nulls: number,
  purpose: 'not_null' | 'primary_key',
): boolean {
  if (nulls === 0) return true;
  b.error(
    'DF304',
    field,
    `cannot make "${column}" ${purpose === 'not_null' ? 'NOT NULL' : 'part of the primary key'}: ${nulls} row(s) of "${t.name}" hold NULL in it. ` +
      `Backfill them first (DataBackfillNode)${purpose === 'not_null' ? ', or set_default and update them' : ''}`,
  );
  return false;
}

/**
 * DF305: `n` rows of `t` have a `column` value without a match in the referenced key (`example`
 * is one of those values, when the probe gives one). False after the error.
 */
export function noOrphans(
  b: PlanBuilder,
  t: Table,
  column: string,
  ref: { table: string; column: string },
  found: { n: number; example: string | null },
): boolean {
  if (found.n === 0) return true;
  b.error(
    'DF305',
    'references',
    `cannot add the foreign key: ${found.n} row(s) of "${t.name}" have a "${column}" with no match in "${ref.table}"."${ref.column}"` +
      `${found.example === null ? '' : ` (e.g. ${found.example})`}; fix or delete them first`,
  );
  return false;
}

/** DF306: `n` rows of `t` make the CHECK `expression` (parenthesised) false. False after the error. */
export function noViolations(b: PlanBuilder, t: Table, expression: string, n: number): boolean {
  if (n === 0) return true;
  b.error(
    'DF306',
    'expression',
    `cannot add CHECK ${expression}: ${n} row(s) of "${t.name}" violate it; fix them first`,
  );
  return false;
}
