/**
 * The Default field as people type it, and back. The param keeps the workflow format
 * (shared/nodes/description.ts `defaultValue`: a literal, or `{"sql": ...}`); the SQL text a
 * default becomes is the dialect's (the plan's), never written here.
 *
 * Typed                        | param
 * ---------------------------- | -----------------------------
 * `'bronze'` (SQL quotes, '')  | `"bronze"`
 * `"bronze"` (JSON string)     | `"bronze"`
 * `bronze`, `hello world`      | `"bronze"`, `"hello world"`
 * `42`, `-1.5`, `true`, `null` | `42`, `-1.5`, `true`, `null` (an integer beyond 2^53 kept exact)
 * `now()`, `CURRENT_TIMESTAMP` | `{"sql": "now()"}`, `{"sql": "CURRENT_TIMESTAMP"}`
 * `{"sql": "..."}`             | as written
 */
import { parseJson } from '../../shared/json-text.ts';

export type DefaultText = { ok: true; value: unknown } | { ok: false; error: string };

/** SQL's constants written without parentheses, taken as expressions rather than words. */
const SQL_CONSTANTS = new Set(['current_timestamp', 'current_date', 'current_time', 'localtimestamp', 'localtime']);
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const CALL = /^[A-Za-z_][A-Za-z0-9_.]*\s*\([\s\S]*\)$/;

export function parseDefaultText(text: string): DefaultText {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  if (t.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'$/.exec(t);
    return m
      ? { ok: true, value: m[1]!.replace(/''/g, "'") }
      : { ok: false, error: `a quoted text must end with ' (write '' for a quote inside it)` };
  }
  if (t.startsWith('"') || t.startsWith('{')) {
    try {
      const value = parseJson(t);
      if (typeof value === 'string') return { ok: true, value };
      const sql = (value as { sql?: unknown } | null)?.sql;
      if (value && typeof value === 'object' && typeof sql === 'string' && Object.keys(value).length === 1)
        return { ok: true, value };
      return { ok: false, error: 'an object default must be {"sql": "<expression>"}' };
    } catch (e) {
      return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
    }
  }
  if (NUMBER.test(t)) return { ok: true, value: parseJson(t.replace(/^\+/, '').replace(/^(-?)\./, '$10.')) };
  const lower = t.toLowerCase();
  if (lower === 'true' || lower === 'false') return { ok: true, value: lower === 'true' };
  if (lower === 'null') return { ok: true, value: null };
  if (SQL_CONSTANTS.has(lower) || CALL.test(t) || (t.startsWith('(') && t.endsWith(')')))
    return { ok: true, value: { sql: t } };
  return { ok: true, value: t };
}

/** The param as the field shows it: text quoted as SQL writes it, an expression as its SQL. */
export function formatDefaultText(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const sql = (value as { sql?: unknown }).sql;
  return typeof sql === 'string' ? sql : JSON.stringify(value);
}
