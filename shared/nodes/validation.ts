import * as z from 'zod';
import { columnTypeText, identifier, sqlText, type FieldHint, type NodeDescription } from './description.ts';
import { str, type RawParams } from './subtitle.ts';

/** The inspector's form of a ValidationNode; its labels also name the checks in messages. */
const FIELDS: FieldHint[] = [
  { name: 'table', label: 'Table', widget: 'text', schema: { kind: 'table' } },
  { name: 'column', label: 'Column', widget: 'text', schema: { kind: 'column', table: 'table' } },
  { name: 'check_table_exists', label: 'Table exists', widget: 'boolean' },
  { name: 'check_column_exists', label: 'Column exists', widget: 'boolean' },
  { name: 'check_column_type', label: 'Column type is', widget: 'text', schema: { kind: 'type' } },
  { name: 'check_not_null', label: 'No NULLs', widget: 'boolean' },
  { name: 'check_unique', label: 'No duplicates', widget: 'boolean' },
  {
    name: 'check_row_count',
    label: 'Row count',
    widget: 'json',
    help: '{"min": 1, "max": 1000, "equals_table": "users_copy"}',
  },
  { name: 'check_sql', label: 'Query (no rows = pass)', widget: 'code' },
];

/** The params that are checks: a node needs one of them. */
const CHECK_KEYS = [
  'check_table_exists',
  'check_column_exists',
  'check_column_type',
  'check_not_null',
  'check_unique',
  'check_row_count',
  'check_sql',
] as const;

const checkLabels = (widget: (w: FieldHint['widget']) => boolean) =>
  FIELDS.filter((f) => (CHECK_KEYS as readonly string[]).includes(f.name) && widget(f.widget)).map((f) => f.label);
const orList = (items: string[]) => `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/** Said when no check is given, by the inspector's labels of the check fields. */
const NO_CHECK = `has no check to run: tick ${orList(checkLabels((w) => w === 'boolean'))}, or fill ${orList(checkLabels((w) => w !== 'boolean'))}`;

export const validationParams = z
  .object({
    table: identifier.optional(),
    column: identifier.optional(),
    check_column_exists: z.boolean().optional(),
    check_table_exists: z.boolean().optional(),
    /** Expected type, in the column type grammar (`varchar(20)`). */
    check_column_type: columnTypeText.optional(),
    check_not_null: z.boolean().optional(),
    check_unique: z.boolean().optional(),
    check_row_count: z
      .object({
        min: z.number().int().nonnegative().optional(),
        max: z.number().int().nonnegative().optional(),
        equals_table: identifier.optional(),
      })
      .strict()
      .optional(),
    /** A read-only query that must return no rows, or one row whose first value is true. */
    check_sql: sqlText.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (!CHECK_KEYS.some((c) => p[c] !== undefined && p[c] !== false))
      ctx.addIssue({ code: 'custom', path: [], message: NO_CHECK });
    const needsTable =
      p.check_column_exists ||
      p.check_table_exists ||
      p.check_column_type ||
      p.check_not_null ||
      p.check_unique ||
      p.check_row_count;
    if (needsTable && !p.table)
      ctx.addIssue({ code: 'custom', path: ['table'], message: 'is required by the checks given' });
    const needsColumn = p.check_column_exists || p.check_column_type || p.check_not_null || p.check_unique;
    if (needsColumn && !p.column)
      ctx.addIssue({ code: 'custom', path: ['column'], message: 'is required by the checks given' });
  });
export type ValidationParams = z.infer<typeof validationParams>;

/** The checks a ValidationNode runs, each as the card's subtitle names it. */
const CHECKS: [string, (p: RawParams) => string][] = [
  ['check_table_exists', (p) => `table ${str(p.table)} exists`],
  ['check_column_exists', (p) => `${str(p.table)}.${str(p.column)} exists`],
  ['check_column_type', (p) => `${str(p.table)}.${str(p.column)} is ${str(p.check_column_type)}`],
  ['check_not_null', (p) => `${str(p.table)}.${str(p.column)} has no NULLs`],
  ['check_unique', (p) => `${str(p.table)}.${str(p.column)} is unique`],
  ['check_row_count', (p) => `${str(p.table)} row count`],
  ['check_sql', () => 'query check'],
];

export const validationNode: NodeDescription<typeof validationParams, 'ValidationNode'> = {
  type: 'ValidationNode',
  label: 'Validation',
  category: 'Quality',
  icon: 'check',
  description: 'Checks the schema and data; any failed check fails the node.',
  inputs: ['input'],
  outputs: ['result', 'passed'],
  params: validationParams,
  writes: false,
  subtitle: (p) =>
    CHECKS.filter(([k]) => p[k] !== undefined && p[k] !== false)
      .map(([, f]) => f(p))
      .join('; ') || 'no checks',
  fields: FIELDS,
};
