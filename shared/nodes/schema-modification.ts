import { z } from 'zod';
import {
  columnTypeText,
  columnTypeTextOf,
  defaultValue,
  defaultValueOf,
  identifier,
  identifierOf,
  requiredFor,
  sqlText,
  sqlTextOf,
  type NodeDescription,
  type ParamErrors,
} from './description.ts';
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
export type ConstraintType = (typeof CONSTRAINT_TYPES)[number];
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

const required = (operation: SchemaOperationName) => requiredFor(`operation ${operation}`);

/** A list of column names (`columns` of an index or a key); a create_table column spec here is an error. */
const columnNames = (errors?: ParamErrors) =>
  z
    .array(
      identifierOf({
        error: (issue) =>
          typeof issue.input === 'object' && issue.input !== null
            ? 'must be a column name: columns as {"name", "type", ...} belong to create_table'
            : undefined,
      }),
      errors,
    )
    .min(1);

const references = (errors?: ParamErrors) =>
  z.object({ table: identifier, column: identifier, on_delete: z.enum(ON_DELETE).optional() }, errors).strict();

/**
 * Every param of the node type, optional: a node may carry them whatever its operation (the
 * inspector keeps the values of the fields it hides when the operation changes). Each operation
 * below makes its own required.
 */
const anyParam = z.object({
  table: identifier,
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
  references: references().optional(),
  index_name: identifier.optional(),
  columns: columnNames().optional(),
  where: sqlText.optional(),
  concurrently: z.boolean().optional(),
  primary_key: z.array(identifier).min(1).optional(),
  if_exists: z.boolean().optional(),
});

/** The params of one operation: every param, with the operation's own `required` ones. */
function operation<O extends SchemaOperationName, R extends z.ZodRawShape>(name: O, own: R) {
  return anyParam.extend({ operation: z.literal(name), ...own }).strict();
}

/** add_constraint of one constraint type, with the params that type requires. */
function constraint<C extends ConstraintType, R extends z.ZodRawShape>(type: C, own: R) {
  return operation('add_constraint', { constraint_type: z.literal(type), ...own });
}

const byType = (type: ConstraintType) => requiredFor(`constraint_type ${type}`);

/** unique and primary_key name their columns with `columns` or `column_name`. */
const keyColumns = (
  p: { constraint_type: string; column_name?: string | undefined; columns?: string[] | undefined },
  ctx: z.RefinementCtx,
) => {
  if (!p.column_name && !p.columns)
    ctx.addIssue({
      code: 'custom',
      path: ['columns'],
      message: `column_name or columns is required for constraint_type ${p.constraint_type}`,
    });
};

const addConstraint = z.discriminatedUnion(
  'constraint_type',
  [
    constraint('not_null', { column_name: identifierOf(byType('not_null')) }),
    constraint('unique', {}).superRefine(keyColumns),
    constraint('primary_key', {}).superRefine(keyColumns),
    constraint('check', { expression: sqlTextOf(byType('check')) }),
    constraint('foreign_key', {
      column_name: identifierOf(byType('foreign_key')),
      references: references(byType('foreign_key')),
    }),
  ],
  {
    error: (issue) =>
      (issue.input as { constraint_type?: unknown } | undefined)?.constraint_type === undefined
        ? 'is required for operation add_constraint'
        : `must be one of: ${CONSTRAINT_TYPES.join(', ')}`,
  },
);

/**
 * The params of a SchemaModificationNode, one shape per `operation` (the JSON is the guide's flat
 * object): each operation's required params are required in its type, so a planner reads
 * `p.column_name` of an add_column as a string.
 */
export const schemaModificationParams = z.discriminatedUnion(
  'operation',
  [
    operation('add_column', {
      column_name: identifierOf(required('add_column')),
      column_type: columnTypeTextOf(required('add_column')),
    }),
    operation('drop_column', { column_name: identifierOf(required('drop_column')) }),
    operation('rename_column', {
      column_name: identifierOf(required('rename_column')),
      new_name: identifierOf(required('rename_column')),
    }),
    operation('alter_column_type', {
      column_name: identifierOf(required('alter_column_type')),
      column_type: columnTypeTextOf(required('alter_column_type')),
    }),
    operation('set_default', {
      column_name: identifierOf(required('set_default')),
      default_value: defaultValueOf(required('set_default')),
    }),
    operation('drop_default', { column_name: identifierOf(required('drop_default')) }),
    addConstraint,
    operation('drop_constraint', { constraint_name: identifierOf(required('drop_constraint')) }),
    operation('create_index', { columns: columnNames(required('create_index')) }),
    operation('drop_index', { index_name: identifierOf(required('drop_index')) }),
    operation('create_table', {
      columns: z
        .array(
          columnSpec.or(
            z.never({
              error: () => 'must be a column {"name", "type", ...}: create_table takes columns as objects',
            }),
          ),
          required('create_table'),
        )
        .min(1),
    }),
    operation('drop_table', {}),
    operation('rename_table', { new_name: identifierOf(required('rename_table')) }),
  ],
  {
    error: (issue) =>
      (issue.input as { operation?: unknown } | undefined)?.operation === undefined
        ? 'is required'
        : `must be one of: ${SCHEMA_OPERATIONS.join(', ')}`,
  },
);
export type SchemaModificationParams = z.infer<typeof schemaModificationParams>;

/** The params of one operation (of one constraint type for add_constraint), its own params required. */
export type OperationParams<O extends SchemaOperationName> = Extract<SchemaModificationParams, { operation: O }>;

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
