/**
 * Checks of a SchemaModificationNode's params that need no database: column types against the
 * type grammar, defaults against the column's type, SQL text (CHECK, WHERE, USING, `{sql}`
 * defaults) against the one-expression check. A problem here means nothing reaches SQL.
 */
import {
  exactInteger,
  fitsInteger,
  parseColumnType,
  typeFamily,
  type ColumnType,
} from '../../../../shared/column-type.ts';
import type { SchemaModificationParams } from '../../../../shared/nodes/schema-modification.ts';
import { planProblem, type PlanProblem } from '../../plan-problem.ts';
import { defaultMismatch, oneExpression } from '../../plan-rules/values.ts';
import { renderType } from '../render.ts';

type DefaultValue = SchemaModificationParams['default_value'];

const STRICT_TYPES = ['int', 'integer', 'real', 'text', 'blob', 'any'];

/** The parsed type, or a problem naming `field`. Arrays and (in a STRICT table) non-strict names are problems. */
export function parseTypeParam(
  text: string,
  field: string,
  strict = false,
): { type: ColumnType } | { problem: PlanProblem } {
  const parsed = parseColumnType(text);
  if (!parsed.ok) return { problem: planProblem('DF201', field, parsed.error) };
  try {
    const rendered = renderType(parsed.type);
    if (strict && !STRICT_TYPES.includes(rendered.toLowerCase())) {
      return {
        problem: planProblem(
          'DF202',
          field,
          `the table is STRICT, which allows only the types INTEGER, REAL, TEXT, BLOB and ANY; "${text}" is ${rendered}: use text, integer, real or blob`,
        ),
      };
    }
  } catch (e) {
    return { problem: planProblem('DF201', field, `"${text}": ${(e as Error).message}`) };
  }
  return { type: parsed.type };
}

const TEMPORAL: Partial<Record<ColumnType['base'], RegExp>> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/,
  timestamp: /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/,
  timestamptz: /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A problem when a default does not fit its column: a literal must belong to the type's family
 * ('pending' is no integer), an `{sql}` default must be one expression. `type` null (a declared
 * type outside the grammar) skips the family check.
 */
export function defaultProblem(value: DefaultValue, type: ColumnType | null, field: string): PlanProblem | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') return oneExpression(value.sql, field);
  if (typeof value === 'string' && value.includes('\0'))
    return planProblem('DF203', field, 'a default cannot hold a NUL character');
  if (!type) return null;
  const bad = (expected: string): PlanProblem => defaultMismatch(field, value, type, expected);
  switch (typeFamily(type)) {
    case 'text':
      if (typeof value === 'boolean') return bad('a string');
      if (type.length !== undefined && String(value).length > type.length)
        return bad(`a string of at most ${type.length} characters`);
      return null;
    case 'integer': {
      // SQLite keeps any integer in 64 bits, whatever the declared type.
      const n = exactInteger(value);
      if (n === null) return bad('a whole number (e.g. 0)');
      return fitsInteger(n, 'bigint') ? null : bad('a whole number within the range of a 64-bit integer');
    }
    case 'decimal':
      return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint'
        ? null
        : bad('a number (e.g. 0.0)');
    case 'boolean':
      return typeof value === 'boolean' || value === 0 || value === 1 ? null : bad('true or false');
    case 'temporal': {
      const re = TEMPORAL[type.base];
      if (typeof value !== 'string') return bad('a string (e.g. "2024-01-31")');
      return !re || re.test(value)
        ? null
        : bad(`a ${type.base} string in ISO form (e.g. "${type.base === 'time' ? '12:00:00' : '2024-01-31'}")`);
    }
    case 'json':
      if (typeof value !== 'string') return bad('a JSON document as a string (e.g. "{}")');
      try {
        JSON.parse(value);
        return null;
      } catch {
        return bad('a valid JSON document as a string (e.g. "{}")');
      }
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? null : bad('a UUID string');
    default:
      return bad('{"sql": "x\'...\'"} (a blob literal)');
  }
}

/** Parses a declared type of an existing column for checks; null when it is outside the grammar. */
export function declaredType(type: string): ColumnType | null {
  const parsed = parseColumnType(type);
  return parsed.ok && parsed.type.arrayDims === 0 ? parsed.type : null;
}
