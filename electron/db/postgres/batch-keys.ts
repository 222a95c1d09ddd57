/**
 * PostgreSQL's part of the data nodes' keyset walks (electron/db/data-sql.ts): how a key is read
 * back so it can be written as a literal again, and which key types have min()/max().
 */

/** Integer types: they have a max() aggregate (uuid, bytea, boolean, jsonb have none). */
const INTEGER_TYPES = /^(smallint|integer|bigint)$/;

/** Integers stay bare numbers; any other type is a quoted literal, which PostgreSQL reads as the column's type. */
export function keyProjection(expr: string, prefix: string): string {
  return `CAST(${expr} AS text) AS ${prefix}_text, CASE WHEN pg_typeof(${expr})::text IN ('smallint', 'integer', 'bigint') THEN 'integer' ELSE 'text' END AS ${prefix}_kind`;
}

/** Only integer keys: other types have no max(), or none a walk can use (a window and re-sort instead). */
export function keyHasMinMax(type: string): boolean {
  return INTEGER_TYPES.test(type);
}
