/**
 * Helpers of the node descriptions' `subtitle`: the one line a node's card shows. They read params
 * as the editor holds them, possibly incomplete or invalid, so every value is `unknown`.
 */

import { stringifyJson } from '../json-text.ts';

/** Params as the editor holds them, before (or without) validation. */
export type RawParams = Readonly<Record<string, unknown>>;

/** A scalar as text; anything else (missing, object, list) as ''. */
export const str = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : '';

/** A default value as a DBA reads it: 'text', 0, TRUE, NULL, or an `{sql}` expression as written. */
export function literal(v: unknown): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v && typeof v === 'object' && typeof (v as { sql?: unknown }).sql === 'string') return (v as { sql: string }).sql;
  return v === undefined ? '' : stringifyJson(v);
}

/** A list of names (or of `{name}` objects, such as create_table's columns), comma-separated. */
export const list = (v: unknown): string =>
  Array.isArray(v)
    ? v.map((x) => (typeof x === 'object' && x ? str((x as Record<string, unknown>).name) : str(x))).join(', ')
    : str(v);
