/**
 * Schema snapshots as run records keep them (run-records.ts, the app store): the neutral schema
 * model (shared/schema.ts) without the product's own tables, as JSON, gzip-compressed and
 * base64-encoded, named by the sha256 of that JSON. A schema that several nodes or runs share is
 * stored once, under one hash.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { isInternalTable, type Schema } from '../../shared/schema.ts';

/** A snapshot ready to store: `hash` names it, `data` is the compressed JSON (base64 text). */
export interface EncodedSnapshot {
  hash: string;
  data: string;
}

/** The schema without the product's own tables, which change with every run. */
export function userTablesOnly(schema: Schema): Schema {
  return { ...schema, tables: schema.tables.filter((t) => !isInternalTable(t.name)) };
}

/** Encodes the schema (its user tables) and names it by content. */
export function encodeSnapshot(schema: Schema): EncodedSnapshot {
  const json = JSON.stringify(userTablesOnly(schema));
  return {
    hash: createHash('sha256').update(json).digest('hex').slice(0, 32),
    data: gzipSync(json).toString('base64'),
  };
}

/** The schema an encoded snapshot holds; throws when `data` is not one. */
export function decodeSnapshot(data: string): Schema {
  return JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')) as Schema;
}
