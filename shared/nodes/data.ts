import { z } from 'zod';
import { identifier, sqlText, type NodeDescription } from './description.ts';
import { str, type RawParams } from './subtitle.ts';

export const dataMigrationParams = z
  .object({
    source_table: identifier,
    target_table: identifier,
    field_mapping: z
      .record(identifier, identifier)
      .refine((m) => Object.keys(m).length > 0, { message: 'needs at least one source -> target pair' }),
    where: sqlText.optional(),
    batch_size: z.number().int().positive().max(1_000_000).default(1000),
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
    { name: 'batch_size', label: 'Batch size', widget: 'number' },
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
    batch_size: z.number().int().positive().max(1_000_000).default(1000),
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
    { name: 'batch_size', label: 'Batch size', widget: 'number' },
    { name: 'pause_ms', label: 'Pause between batches (ms)', widget: 'number' },
    {
      name: 'backup_max_rows',
      label: 'Prior backup up to (rows)',
      widget: 'number',
      help: "The old values are kept for a rollback up to this many rows (0: no backup); empty: the run's limit (1,000,000 by default)",
    },
  ],
};
