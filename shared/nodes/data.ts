import * as z from 'zod';
import { identifier, sqlText, type FieldHint, type NodeDescription } from './description.ts';
import { str, type RawParams } from './subtitle.ts';

/** The largest `batch_size`, and the largest batch adaptive sizing chooses. */
export const MAX_BATCH_ROWS = 1_000_000;

/** The duration a batch is sized to take when `batch_target_ms` is not set (adaptive sizing). */
export const BATCH_TARGET_MS = 150;

/** `batch_size` and `batch_target_ms`, the same on both data-moving nodes (electron/engine/executors/batch-sizer.ts). */
const batchParams = {
  /** The first batch's keys; every batch's when `batch_target_ms` is 0. */
  batch_size: z.number().int().positive().max(MAX_BATCH_ROWS).default(1000),
  /** The duration each batch is sized to take, from the ones before (default BATCH_TARGET_MS); 0: fixed batches. */
  batch_target_ms: z.number().int().nonnegative().max(10_000).optional(),
};

const batchFields: FieldHint[] = [
  {
    name: 'batch_size',
    label: 'Batch size',
    widget: 'number',
    help: `Keys in the first batch. Each next batch is sized from the ones before to take about the target time (from a tenth of this size up to ${MAX_BATCH_ROWS.toLocaleString('en-US')} keys); with a target of 0 every batch has this size`,
  },
  {
    name: 'batch_target_ms',
    label: 'Target time per batch (ms)',
    widget: 'number',
    help: `How long each batch's transaction should take; the batch size follows it. Empty: ${BATCH_TARGET_MS} ms; 0: every batch keeps the batch size`,
  },
];

export const dataMigrationParams = z
  .object({
    source_table: identifier,
    target_table: identifier,
    field_mapping: z
      .record(identifier, identifier)
      .refine((m) => Object.keys(m).length > 0, { message: 'needs at least one source -> target pair' }),
    where: sqlText.optional(),
    ...batchParams,
    /** A prior backup of the values a same-table copy overwrites, up to this many rows (0: none); default: the run's limit. */
    backup_max_rows: z.number().int().nonnegative().optional(),
  })
  .strict();
export type DataMigrationParams = z.infer<typeof dataMigrationParams>;

export const dataMigrationNode: NodeDescription<typeof dataMigrationParams, 'DataMigrationNode'> = {
  type: 'DataMigrationNode',
  label: 'Copy data',
  category: 'Data',
  icon: 'copy',
  description: 'Copies columns within a table or into another table, in primary-key batches.',
  inputs: ['input'],
  outputs: ['result', 'rows_copied'],
  params: dataMigrationParams,
  writes: true,
  subtitle: (p) => {
    const m =
      p.field_mapping && typeof p.field_mapping === 'object'
        ? Object.entries(p.field_mapping as RawParams)
            .map(([a, b]) => `${a}→${str(b)}`)
            .join(', ')
        : '';
    return `${str(p.source_table) || '?'} → ${str(p.target_table) || '?'} (${m})`;
  },
  fields: [
    { name: 'source_table', label: 'Source table', widget: 'text', schema: { kind: 'table' } },
    { name: 'target_table', label: 'Target table', widget: 'text', schema: { kind: 'table' } },
    { name: 'field_mapping', label: 'Field mapping', widget: 'json', help: '{"email": "email_address"}' },
    { name: 'where', label: 'WHERE', widget: 'code' },
    ...batchFields,
    {
      name: 'backup_max_rows',
      label: 'Prior backup up to (rows)',
      widget: 'number',
      help: "The old values are kept for a rollback up to this many rows (0: no backup); empty: the run's limit (1,000,000 by default)",
    },
  ],
};

export const dataBackfillParams = z
  .object({
    table: identifier,
    update_field: identifier,
    /** One SQL expression over the row. */
    calculation: sqlText,
    /** Default: `update_field IS NULL`. */
    where: sqlText.optional(),
    ...batchParams,
    pause_ms: z.number().int().nonnegative().max(60_000).default(0),
    /** A prior backup of the values the backfill overwrites, up to this many rows (0: none); default: the run's limit. */
    backup_max_rows: z.number().int().nonnegative().optional(),
  })
  .strict();
export type DataBackfillParams = z.infer<typeof dataBackfillParams>;

export const dataBackfillNode: NodeDescription<typeof dataBackfillParams, 'DataBackfillNode'> = {
  type: 'DataBackfillNode',
  label: 'Backfill',
  category: 'Data',
  icon: 'fill',
  description: 'Fills a column from an expression in short keyset batches, resumable after a crash.',
  inputs: ['input'],
  outputs: ['result', 'rows_updated'],
  params: dataBackfillParams,
  writes: true,
  subtitle: (p) => `${str(p.table) || '?'}.${str(p.update_field) || '?'} = ${str(p.calculation) || '?'}`,
  fields: [
    { name: 'table', label: 'Table', widget: 'text', schema: { kind: 'table' } },
    { name: 'update_field', label: 'Column', widget: 'text', schema: { kind: 'column', table: 'table' } },
    { name: 'calculation', label: 'Expression', widget: 'code', placeholder: 'subtotal + tax + shipping' },
    { name: 'where', label: 'WHERE', widget: 'code' },
    ...batchFields,
    { name: 'pause_ms', label: 'Pause between batches (ms)', widget: 'number' },
    {
      name: 'backup_max_rows',
      label: 'Prior backup up to (rows)',
      widget: 'number',
      help: "The old values are kept for a rollback up to this many rows (0: no backup); empty: the run's limit (1,000,000 by default)",
    },
  ],
};
