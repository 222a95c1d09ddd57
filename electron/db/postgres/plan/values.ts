/**
 * Literal defaults: whether a value fits its column's type family (checked before any SQL is
 * built), and how the neutral model spells it.
 */
import {
  exactInteger,
  fitsInteger,
  formatColumnType,
  typeFamily,
  type ColumnType,
} from '../../../../shared/column-type.ts';
import { literal } from '../render.ts';

/** How the model spells a literal default (PostgreSQL prints strings without E'' and booleans as TRUE/FALSE). */
export function modelLiteral(value: string | number | bigint | boolean): string {
  return typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : literal(value);
}

/** What a default of `type` must be when `value` is not one (plan-rules/values.ts words it), or null. */
export function literalMismatch(value: string | number | bigint | boolean, type: ColumnType): string | null {
  const family = typeFamily(type);
  switch (family) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'true or false';
    case 'integer': {
      const n = exactInteger(value);
      if (n === null) return 'a whole number (unquoted)';
      return fitsInteger(n, type.base) ? null : `a whole number within the range of ${type.base}`;
    }
    case 'decimal':
      return typeof value === 'number' || typeof value === 'bigint' ? null : 'a number (unquoted)';
    case 'text': {
      if (typeof value !== 'string') return `a string, e.g. "${String(value)}"`;
      return type.length !== undefined && [...value].length > type.length
        ? `a string of at most ${type.length} characters`
        : null;
    }
    default:
      return typeof value === 'string' ? null : `a string in ${formatColumnType(type)} input syntax`;
  }
}
