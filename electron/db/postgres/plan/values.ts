/**
 * Literal defaults: whether a value fits its column's type family (checked before any SQL is
 * built), and how the neutral model spells it.
 */
import { formatColumnType, typeFamily, type ColumnType } from '../../../../shared/column-type.ts';
import { literal } from '../render.ts';

const INT_RANGE: Partial<Record<ColumnType['base'], number>> = {
  smallint: 32767,
  integer: 2147483647,
  bigint: Number.MAX_SAFE_INTEGER,
};

/** How the model spells a literal default (PostgreSQL prints strings without E'' and booleans as TRUE/FALSE). */
export function modelLiteral(value: string | number | boolean): string {
  return typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : literal(value);
}

/** Why a literal cannot be a default of `type`, or null. */
export function literalMismatch(value: string | number | boolean, type: ColumnType): string | null {
  const family = typeFamily(type);
  const shown = JSON.stringify(value);
  const want = (what: string) => `default_value ${shown} does not fit ${formatColumnType(type)}: give ${what}`;
  switch (family) {
    case 'boolean':
      return typeof value === 'boolean' ? null : want('true or false');
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return want('a whole number (unquoted)');
      const max = INT_RANGE[type.base] ?? Number.MAX_SAFE_INTEGER;
      return Math.abs(value) > max ? `default_value ${shown} is out of range for ${type.base}` : null;
    }
    case 'decimal':
      return typeof value === 'number' ? null : want('a number (unquoted)');
    case 'text': {
      if (typeof value !== 'string') return want(`a string, e.g. "${String(value)}"`);
      return type.length !== undefined && [...value].length > type.length
        ? `default_value ${shown} is longer than ${type.length} characters, the limit of ${formatColumnType(type)}`
        : null;
    }
    default:
      return typeof value === 'string' ? null : want(`a string in ${formatColumnType(type)} input syntax`);
  }
}
