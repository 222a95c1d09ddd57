/**
 * The neutral model's spelling of what pg_catalog reports (shared/schema-apply.ts conventions), so
 * that a planned schema and an introspected one compare equal: column types in the type grammar's
 * canonical text, defaults without PostgreSQL's decorative casts, booleans as TRUE/FALSE.
 */
import { formatColumnType, parseColumnType, typeFamily } from '../../../shared/column-type.ts';

/** `character varying(20)` -> `varchar(20)`; types outside the grammar stay as format_type wrote them. */
export function canonicalType(formatted: string): string {
  const parsed = parseColumnType(formatted);
  return parsed.ok ? formatColumnType(parsed.type) : formatted;
}

const CAST_LITERAL = /^'((?:[^']|'')*)'(?:::[a-z_][a-z0-9_ ."]*(?:\(\d+(?:,\d+)?\))?(?:\[\])*)+$/;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * A default as pg_get_expr prints it, in the model's spelling: `'pending'::character varying` ->
 * `'pending'`, `'-1'::integer` -> `-1` (numeric columns), `true` -> `TRUE`. Anything else
 * (function calls, expressions) is kept as PostgreSQL prints it.
 */
export function canonicalDefault(expr: string | null, type: string): string | null {
  if (expr === null) return null;
  if (expr === 'true' || expr === 'false') return expr.toUpperCase();
  const m = CAST_LITERAL.exec(expr);
  if (!m) return expr;
  const body = m[1] ?? '';
  const parsed = parseColumnType(type);
  const family = parsed.ok ? typeFamily(parsed.type) : null;
  if ((family === 'integer' || family === 'decimal') && NUMBER.test(body)) return body;
  return `'${body}'`;
}
