/**
 * Plan rules of the values family (DF2xx): the wording of what is wrong with a type, a default or
 * a piece of SQL text. What is checked is partly the dialect's (PostgreSQL compiles the text on a
 * scratch table, SQLite evaluates it against the rows); what the user reads is written here.
 */
import { formatColumnType, type ColumnType } from '../../../shared/column-type.ts';
import { checkExpression } from '../../../shared/sql-expression.ts';
import { planProblem, type PlanProblem } from '../plan-problem.ts';
import { stringifyJson } from '../../../shared/json-text.ts';

/** DF205 when `text` (of param `field`) is not exactly one SQL expression without a subquery. */
export function oneExpression(text: string, field: string): PlanProblem | null {
  const check = checkExpression(text, { allowSubquery: false });
  return check.ok ? null : planProblem('DF205', field, `${field} must be one SQL expression: ${check.error}`);
}

/** DF203: a literal default that does not fit the column type; `expected` says what would (`label` names a column of create_table). */
export function defaultMismatch(
  field: string,
  value: string | number | bigint | boolean,
  type: ColumnType,
  expected: string,
  label = '',
): PlanProblem {
  return planProblem(
    'DF203',
    field,
    `${label}default_value ${stringifyJson(value)} does not fit ${formatColumnType(type)}: give ${expected}, or {"sql": "..."} for an expression`,
  );
}

/** DF206: the database rejected `what` ("the CHECK expression", "the index WHERE") on table `table`. */
export function invalidExpression(field: string, what: string, table: string, reason: string): PlanProblem {
  return planProblem('DF206', field, `${what} is not valid on "${table}": ${reason}`);
}

/** DF207: the column's values cannot be converted to the new type (`reason` is the database's). */
export function notConvertible(
  field: string,
  column: { name: string; type: string },
  to: ColumnType,
  reason: string,
  usingGiven: boolean,
): PlanProblem {
  return planProblem(
    'DF207',
    field,
    `cannot change "${column.name}" from ${column.type} to ${formatColumnType(to)}: ${reason}` +
      (usingGiven ? '' : `; give using, an expression that computes the new value from "${column.name}"`),
  );
}
