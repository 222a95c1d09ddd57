import { z } from 'zod';
import { columnTypeText, defaultValue, identifier, sqlText, type NodeDescription } from './description.ts';
import { list, literal, str, type RawParams } from './subtitle.ts';

export const SCHEMA_OPERATIONS = [
  'add_column',
  'drop_column',
  'rename_column',
  'alter_column_type',
  'set_default',
  'drop_default',
  'add_constraint',
  'drop_constraint',
  'create_index',
  'drop_index',
  'create_table',
  'drop_table',
  'rename_table',
] as const;
export type SchemaOperationName = (typeof SCHEMA_OPERATIONS)[number];

export const CONSTRAINT_TYPES = ['not_null', 'unique', 'check', 'foreign_key', 'primary_key'] as const;
export const ON_DELETE = ['no action', 'restrict', 'cascade', 'set null', 'set default'] as const;

/** One column of `create_table`. */
export const columnSpec = z
  .object({
    name: identifier,
    type: columnTypeText,
    nullable: z.boolean().default(true),
    default_value: defaultValue.optional(),
    unique: z.boolean().default(false),
    primary_key: z.boolean().default(false),
  })
  .strict();
export type ColumnSpec = z.infer<typeof columnSpec>;

const fieldsFor: Record<SchemaOperationName, readonly string[]> = {
  add_column: ['column_name', 'column_type'],
  drop_column: ['column_name'],
  rename_column: ['column_name', 'new_name'],
  alter_column_type: ['column_name', 'column_type'],
  set_default: ['column_name', 'default_value'],
  drop_default: ['column_name'],
  add_constraint: ['constraint_type'],
  drop_constraint: ['constraint_name'],
  create_index: ['columns'],
  drop_index: ['index_name'],
  create_table: ['columns'],
  drop_table: [],
  rename_table: ['new_name'],
};

export const schemaModificationParams = z
  .object({
    table: identifier,
    operation: z.enum(SCHEMA_OPERATIONS),
    column_name: identifier.optional(),
    column_type: columnTypeText.optional(),
    nullable: z.boolean().optional(),
    default_value: defaultValue.optional(),
    unique: z.boolean().optional(),
    new_name: identifier.optional(),
    using: sqlText.optional(),
    constraint_type: z.enum(CONSTRAINT_TYPES).optional(),
    constraint_name: identifier.optional(),
    expression: sqlText.optional(),
    references: z
      .object({ table: identifier, column: identifier, on_delete: z.enum(ON_DELETE).optional() })
      .strict()
      .optional(),
    index_name: identifier.optional(),
    columns: z.union([z.array(identifier).min(1), z.array(columnSpec).min(1)]).optional(),
    where: sqlText.optional(),
    concurrently: z.boolean().optional(),
    primary_key: z.array(identifier).min(1).optional(),
    if_exists: z.boolean().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const f of fieldsFor[p.operation]) {
      if ((p as Record<string, unknown>)[f] === undefined) {
        ctx.addIssue({ code: 'custom', path: [f], message: `is required for operation ${p.operation}` });
      }
    }
    if (p.operation === 'add_constraint') {
      const needs: Record<string, string[]> = {
        not_null: ['column_name'],
        unique: [],
        check: ['expression'],
        foreign_key: ['column_name', 'references'],
        primary_key: [],
      };
      for (const f of needs[p.constraint_type ?? ''] ?? []) {
        if ((p as Record<string, unknown>)[f] === undefined) {
          ctx.addIssue({ code: 'custom', path: [f], message: `is required for constraint_type ${p.constraint_type}` });
        }
      }
      if ((p.constraint_type === 'unique' || p.constraint_type === 'primary_key') && !p.column_name && !p.columns) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns'],
          message: `column_name or columns is required for constraint_type ${p.constraint_type}`,
        });
      }
    }
    const columnObjects = Array.isArray(p.columns) && p.columns.some((c) => typeof c === 'object');
    if (p.operation === 'create_table' && !columnObjects) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message: 'create_table needs columns as [{"name", "type", ...}]',
      });
    }
    if (p.operation !== 'create_table' && columnObjects) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message: `${p.operation} takes columns as a list of column names`,
      });
    }
  });
export type SchemaModificationParams = z.infer<typeof schemaModificationParams>;

const ops = (...o: SchemaOperationName[]) => ({ field: 'operation', in: o });

/** `orders.processing_status varchar(50) NOT NULL DEFAULT 'pending'`, `users.email → email_address`... */
function subtitle(p: RawParams): string {
  const t = str(p.table) || '?';
  const col = `${t}.${str(p.column_name) || '?'}`;
  switch (p.operation) {
    case 'add_column': {
      const parts = [col, str(p.column_type) || '?'];
      if (p.nullable === false) parts.push('NOT NULL');
      if (p.default_value !== undefined) parts.push(`DEFAULT ${literal(p.default_value)}`);
      if (p.unique === true) parts.push('UNIQUE');
      return parts.join(' ');
    }
    case 'drop_column':
      return `DROP ${col}`;
    case 'rename_column':
      return `${col} → ${str(p.new_name) || '?'}`;
    case 'alter_column_type':
      return `${col} TYPE ${str(p.column_type) || '?'}`;
    case 'set_default':
      return `${col} SET DEFAULT ${literal(p.default_value)}`;
    case 'drop_default':
      return `${col} DROP DEFAULT`;
    case 'add_constraint': {
      const refs = (p.references ?? {}) as RawParams;
      switch (p.constraint_type) {
        case 'not_null':
          return `${col} NOT NULL`;
        case 'check':
          return `${t} CHECK (${str(p.expression)})`;
        case 'foreign_key':
          return `${col} → ${str(refs.table) || '?'}.${str(refs.column) || '?'}`;
        case 'unique':
          return `${t} UNIQUE (${list(p.columns) || str(p.column_name)})`;
        case 'primary_key':
          return `${t} PRIMARY KEY (${list(p.columns) || str(p.column_name)})`;
        default:
          return `${t} ADD CONSTRAINT`;
      }
    }
    case 'drop_constraint':
      return `${t} DROP CONSTRAINT ${str(p.constraint_name) || '?'}`;
    case 'create_index':
      return `${p.unique === true ? 'UNIQUE ' : ''}INDEX ${str(p.index_name)} ON ${t} (${list(p.columns)})`.replace(
        '  ',
        ' ',
      );
    case 'drop_index':
      return `DROP INDEX ${str(p.index_name) || '?'}`;
    case 'create_table':
      return `CREATE TABLE ${t} (${list(p.columns)})`;
    case 'drop_table':
      return `DROP TABLE ${t}`;
    case 'rename_table':
      return `${t} → ${str(p.new_name) || '?'}`;
    default:
      return t;
  }
}

export const schemaModificationNode: NodeDescription<typeof schemaModificationParams, 'SchemaModificationNode'> = {
  type: 'SchemaModificationNode',
  label: 'Schema change',
  category: 'Schema',
  icon: 'table-edit',
  description: 'Adds, drops, renames or alters a column, constraint, index or table.',
  inputs: ['input'],
  outputs: ['result'],
  params: schemaModificationParams,
  writes: true,
  defaults: { operation: 'add_column' },
  subtitle,
  fields: [
    { name: 'table', label: 'Table', widget: 'text' },
    { name: 'operation', label: 'Operation', widget: 'select', options: SCHEMA_OPERATIONS },
    {
      name: 'column_name',
      label: 'Column',
      widget: 'text',
      showWhen: ops(
        'add_column',
        'drop_column',
        'rename_column',
        'alter_column_type',
        'set_default',
        'drop_default',
        'add_constraint',
      ),
    },
    {
      name: 'column_type',
      label: 'Type',
      widget: 'text',
      placeholder: 'varchar(255)',
      showWhen: ops('add_column', 'alter_column_type'),
    },
    { name: 'nullable', label: 'Nullable', widget: 'boolean', showWhen: ops('add_column') },
    {
      name: 'default_value',
      label: 'Default',
      widget: 'json',
      help: 'A literal ("pending", 0, true, null) or {"sql": "CURRENT_TIMESTAMP"}',
      showWhen: ops('add_column', 'set_default'),
    },
    { name: 'unique', label: 'Unique', widget: 'boolean', showWhen: ops('add_column', 'create_index') },
    { name: 'new_name', label: 'New name', widget: 'text', showWhen: ops('rename_column', 'rename_table') },
    { name: 'using', label: 'USING expression', widget: 'code', showWhen: ops('alter_column_type') },
    {
      name: 'constraint_type',
      label: 'Constraint',
      widget: 'select',
      options: CONSTRAINT_TYPES,
      showWhen: ops('add_constraint'),
    },
    {
      name: 'constraint_name',
      label: 'Constraint name',
      widget: 'text',
      showWhen: ops('add_constraint', 'drop_constraint'),
    },
    { name: 'expression', label: 'CHECK expression', widget: 'code', showWhen: ops('add_constraint') },
    {
      name: 'references',
      label: 'References',
      widget: 'json',
      help: '{"table": "users", "column": "id", "on_delete": "cascade"}',
      showWhen: ops('add_constraint'),
    },
    { name: 'index_name', label: 'Index name', widget: 'text', showWhen: ops('create_index', 'drop_index') },
    {
      name: 'columns',
      label: 'Columns',
      widget: 'json',
      showWhen: ops('create_index', 'create_table', 'add_constraint'),
    },
    { name: 'where', label: 'Partial index WHERE', widget: 'code', showWhen: ops('create_index') },
    {
      name: 'concurrently',
      label: 'Concurrently (PostgreSQL)',
      widget: 'boolean',
      showWhen: ops('create_index', 'drop_index'),
    },
    { name: 'primary_key', label: 'Primary key', widget: 'list', showWhen: ops('create_table') },
    {
      name: 'if_exists',
      label: 'If exists',
      widget: 'boolean',
      showWhen: ops('drop_column', 'drop_index', 'drop_table', 'drop_constraint'),
    },
  ],
};
