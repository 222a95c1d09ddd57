/**
 * What every node type exports: one description that the inspector form, the validator, the SQL
 * planner and the executor are all keyed by (adding a node type touches one file here and one
 * executor in electron/engine/executors/).
 */
import * as z from 'zod';
import { parseColumnType } from '../column-type.ts';
import type { RawParams } from './subtitle.ts';

export type NodeCategory = 'Schema' | 'Migration' | 'Flow' | 'Code' | 'Data' | 'Quality' | 'Monitoring';

/** Inspector hint for one param. `showWhen` hides the field unless another param has one of the values. */
export interface FieldHint {
  name: string;
  label: string;
  help?: string;
  widget: 'text' | 'number' | 'boolean' | 'select' | 'code' | 'json' | 'list';
  options?: readonly string[];
  showWhen?: { field: string; in: readonly (string | boolean)[] };
  placeholder?: string;
  /** What of the database the field names, so the inspector offers the schema's names (see SchemaRef). */
  schema?: SchemaRef;
}

/**
 * A field that names something of the schema the node works on (the live schema as the nodes
 * before it change it): a table; a column of the table named by param `table`; a column type (the
 * database's types offered, any type of the grammar typed); a column's default (shown as the
 * dialect renders it after the node). `newFor`: the values of param `operation` for which the field
 * names something the node creates, so no existing name is offered or expected.
 */
export type SchemaRef =
  | { kind: 'table'; newFor?: readonly string[] }
  | { kind: 'column'; table: string; newFor?: readonly string[] }
  | { kind: 'type' }
  | { kind: 'default'; table: string; column: string };

export interface NodeDescription<P extends z.ZodType = z.ZodType, T extends string = string> {
  /** The guide's type name, e.g. `SchemaModificationNode`. */
  type: T;
  label: string;
  category: NodeCategory;
  /** Icon name from assets/icons. */
  icon: string;
  /** One sentence for the palette and tooltips. */
  description: string;
  /** Named input ports (every node has `input`). */
  inputs: readonly string[];
  /** Named output ports (every node has `result`). */
  outputs: readonly string[];
  /** Param schema; strict, so unknown params are errors. */
  params: P;
  fields: readonly FieldHint[];
  /** True when the node may change schema or data (apply asks for confirmation, read-only refuses). */
  writes: boolean;
  /** Params a node starts with when added from the palette: the choices that shape its form (n8n's `defaults`). */
  defaults?: RawParams;
  /**
   * The one line a DBA reads at a glance on the node's card (n8n's `subtitle`), e.g.
   * `orders.processing_status varchar(50) NOT NULL DEFAULT 'pending'`. Reads the params as the
   * editor holds them, possibly incomplete or invalid.
   */
  subtitle(params: RawParams): string;
}

/**
 * The params a node type's schema declares, by name: the shape of an object schema, or, for a
 * union of shapes (SchemaModificationNode's operations), every param any of them declares (the
 * first declaration of a name wins).
 */
export function paramShape(schema: z.ZodType): Record<string, z.ZodType> {
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>;
  if (schema instanceof z.ZodDiscriminatedUnion)
    return Object.assign({}, ...[...schema.options].reverse().map((o) => paramShape(o as z.ZodType)));
  return {};
}

/** A param written `":name"` reads `name` from the node's inputs at run time. */
export const REFERENCE = /^:[A-Za-z_][A-Za-z0-9_.]*$/;

export function isReference(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE.test(value);
}

/** The wording of a param schema's errors that zod's own would not make clear (see `requiredFor`). */
export interface ParamErrors {
  error(issue: { input?: unknown; code?: string }): string | undefined;
}

/** Errors of a param that `what` requires (`operation add_column`): `is required for operation add_column` when missing. */
export function requiredFor(what: string): ParamErrors {
  return { error: (issue) => (issue.input === undefined ? `is required for ${what}` : undefined) };
}

/** SQL identifiers users may write: quoted anyway, but restricted so that typos and SQL fail early. */
export const identifierOf = (errors?: ParamErrors) =>
  z.string(errors).regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, {
    message: 'must be an identifier: a letter or _, then letters, digits, _ or $ (at most 63 characters)',
  });
export const identifier = identifierOf();

/** The id of another node of the workflow (same form as a node's `id`). */
export const nodeRef = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/, {
  message: 'must be a node id: a letter or _, then letters, digits, _ or - (at most 100)',
});

/**
 * A literal value, or an SQL expression asked for explicitly as `{ "sql": "..." }`. An integer
 * beyond 2^53 is a BigInt holding its exact digits (shared/json-text.ts).
 */
export const defaultValueOf = (errors?: ParamErrors) =>
  z.union(
    [z.string(), z.number(), z.bigint(), z.boolean(), z.null(), z.object({ sql: z.string().min(1) }).strict()],
    errors,
  );
export const defaultValue = defaultValueOf();

export const sqlTextOf = (errors?: ParamErrors) => z.string(errors).min(1, { message: 'must not be empty' });
export const sqlText = sqlTextOf();

/** A column type in the grammar of shared/column-type.ts; anything else never reaches SQL. */
export const columnTypeTextOf = (errors?: ParamErrors) =>
  z.string(errors).superRefine((text, ctx) => {
    const parsed = parseColumnType(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  });
export const columnTypeText = columnTypeTextOf();
