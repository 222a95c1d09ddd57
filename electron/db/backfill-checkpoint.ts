/**
 * The batch checkpoint of the data-moving nodes: one row per backfill (DataBackfillNode) or copy
 * (DataMigrationNode) in `dataflow_backfill_checkpoints`, keyed by workflow name, node id, the
 * table walked, the column written (a copy: its target table) and a hash of what the node does.
 * Every batch writes it in the same transaction as its UPDATE or INSERT ... SELECT, so the last
 * key recorded is exactly the last batch committed; a run that was killed resumes after it,
 * writing no row twice and missing none.
 */
import { createHash } from 'node:crypto';
import type { ColumnType } from '../../shared/column-type.ts';
import type { Dialect, Step } from './dialect.ts';
import type { KeyValue } from './data-sql.ts';

/** The product's batch checkpoint table (backfills and copies; one of its internal tables). */
export const CHECKPOINT_TABLE = 'dataflow_backfill_checkpoints';

/** Which backfill's or copy's checkpoint a row is. */
export interface CheckpointKey {
  workflow: string;
  nodeId: string;
  /** The table walked: a backfill's table, a copy's source table. */
  table: string;
  /** A backfill's `update_field`; a copy's target table (the source table for a same-table copy). */
  updateField: string;
  /**
   * `specHash` of what the node does: a backfill's `calculation` and `where`, a copy's target,
   * `field_mapping` and `where`. A changed one is a new backfill or copy, with a checkpoint of its own.
   */
  specHash: string;
}

/** What a checkpoint records. */
export interface CheckpointState {
  keyColumn: string;
  /** Last key of the last committed batch; null before the first batch. */
  last: KeyValue | null;
  rowsDone: number;
  batchesDone: number;
  total: number | null;
  runId: string;
  finished: boolean;
}

/** A hash of `parts` (for a backfill: `calculation`, `where`), 32 hex digits. */
export function specHash(...parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

const KEY_COLUMNS = ['workflow', 'node_id', 'table_name', 'update_field', 'spec_hash'] as const;

const type = (base: ColumnType['base']): ColumnType => ({ base, arrayDims: 0 });

/** `CREATE TABLE IF NOT EXISTS dataflow_backfill_checkpoints (...)`. */
export function createCheckpointTableStep(d: Dialect): Step {
  const text = d.renderType(type('text'));
  const big = d.renderType(type('bigint'));
  const cols = [
    ...KEY_COLUMNS.map((c) => `${d.quoteIdent(c)} ${text} NOT NULL`),
    `${d.quoteIdent('key_column')} ${text} NOT NULL`,
    `${d.quoteIdent('last_key')} ${text}`,
    `${d.quoteIdent('last_key_kind')} ${text}`,
    `${d.quoteIdent('rows_done')} ${big} NOT NULL`,
    `${d.quoteIdent('batches_done')} ${big} NOT NULL`,
    `${d.quoteIdent('total')} ${big}`,
    `${d.quoteIdent('run_id')} ${text} NOT NULL`,
    `${d.quoteIdent('updated_at')} ${d.renderType(type('timestamptz'))} NOT NULL`,
    `${d.quoteIdent('finished')} ${d.renderType(type('boolean'))} NOT NULL`,
    `PRIMARY KEY (${KEY_COLUMNS.map((c) => d.quoteIdent(c)).join(', ')})`,
  ];
  return {
    sql: `CREATE TABLE IF NOT EXISTS ${d.quoteIdent(CHECKPOINT_TABLE)} (${cols.join(', ')})`,
    comment: 'batch checkpoints of backfills and copies (created on first use): the last key each batch committed',
    transactional: true,
    bookkeeping: true,
  };
}

/** One row when the checkpoint table exists. */
export function checkpointTableExistsSql(d: Dialect): { sql: string; params: unknown[] } {
  return d.existingTablesSql([CHECKPOINT_TABLE]);
}

/** The checkpoint row of a backfill or copy (at most one), read back with `checkpointFromRow`. */
export function readCheckpointSql(d: Dialect, key: CheckpointKey): { sql: string; params: unknown[] } {
  const cols = ['key_column', 'last_key', 'last_key_kind', 'rows_done', 'batches_done', 'total', 'run_id', 'finished'];
  const where = KEY_COLUMNS.map((c, i) => `${d.quoteIdent(c)} = ${d.placeholder(i + 1)}`).join(' AND ');
  return {
    sql: `SELECT ${cols.map((c) => d.quoteIdent(c)).join(', ')} FROM ${d.quoteIdent(CHECKPOINT_TABLE)} WHERE ${where}`,
    params: [key.workflow, key.nodeId, key.table, key.updateField, key.specHash],
  };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** A row of `readCheckpointSql` as a CheckpointState (SQLite's 0/1 and PostgreSQL's bigint text read alike). */
export function checkpointFromRow(row: Record<string, unknown>): CheckpointState {
  const lastKey = row.last_key;
  return {
    keyColumn: String(row.key_column),
    last: lastKey === null || lastKey === undefined ? null : { text: String(lastKey), kind: String(row.last_key_kind) },
    rowsDone: num(row.rows_done),
    batchesDone: num(row.batches_done),
    total: row.total === null || row.total === undefined ? null : num(row.total),
    runId: String(row.run_id),
    finished: row.finished === true || num(row.finished) === 1,
  };
}

/**
 * One row when `table` holds any row: a copy into it that finished, or walked another key, would
 * insert what it copied a second time if it started again from the first key.
 */
export function holdsRowsSql(d: Dialect, table: string): string {
  return `SELECT 1 AS found FROM ${d.quoteIdent(table)} LIMIT 1`;
}

/**
 * Writes the checkpoint of a backfill or copy (insert or overwrite). Run in the same atomic unit
 * as the batch's UPDATE or INSERT ... SELECT, so both commit together.
 */
export function saveCheckpointStep(
  d: Dialect,
  key: CheckpointKey,
  state: CheckpointState,
  at: Date = new Date(),
): Step {
  const values: [string, string | number | boolean | null][] = [
    ['workflow', key.workflow],
    ['node_id', key.nodeId],
    ['table_name', key.table],
    ['update_field', key.updateField],
    ['spec_hash', key.specHash],
    ['key_column', state.keyColumn],
    ['last_key', state.last?.text ?? null],
    ['last_key_kind', state.last?.kind ?? null],
    ['rows_done', state.rowsDone],
    ['batches_done', state.batchesDone],
    ['total', state.total],
    ['run_id', state.runId],
    ['updated_at', at.toISOString()],
    ['finished', state.finished],
  ];
  const cols = values.map(([c]) => d.quoteIdent(c));
  const updates = values
    .filter(([c]) => !(KEY_COLUMNS as readonly string[]).includes(c))
    .map(([c]) => `${d.quoteIdent(c)} = excluded.${d.quoteIdent(c)}`);
  const where = state.last ? `after key ${state.last.text}` : 'at the start';
  return {
    sql:
      `INSERT INTO ${d.quoteIdent(CHECKPOINT_TABLE)} (${cols.join(', ')}) VALUES (${values.map(([, v]) => d.literal(v)).join(', ')}) ` +
      `ON CONFLICT (${KEY_COLUMNS.map((c) => d.quoteIdent(c)).join(', ')}) DO UPDATE SET ${updates.join(', ')}`,
    comment: state.finished
      ? `checkpoint: finished, ${state.rowsDone} rows in ${state.batchesDone} batches`
      : `checkpoint ${where} (${state.rowsDone} rows done)`,
    transactional: true,
    bookkeeping: true,
  };
}
