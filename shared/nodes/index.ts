/** The node catalogue: every node type the product knows, keyed by the guide's type name. */
import type { NodeDescription } from './description.ts';
import { schemaModificationNode } from './schema-modification.ts';
import { migrationNode } from './migration.ts';
import { switchNode } from './switch.ts';
import { codeNode, pythonCodeNode } from './code.ts';
import { transactionScopeNode } from './transaction-scope.ts';
import { validationNode } from './validation.ts';
import { dataBackfillNode, dataMigrationNode } from './data.ts';
import { monitoringNode } from './monitoring.ts';

export const NODE_TYPES = [
  schemaModificationNode,
  migrationNode,
  switchNode,
  transactionScopeNode,
  validationNode,
  dataMigrationNode,
  dataBackfillNode,
  monitoringNode,
  pythonCodeNode,
  codeNode,
] as const satisfies readonly NodeDescription[];

/** The type names of the catalogue: a table keyed by it (the engine's executors) must cover every node type. */
export type NodeTypeName = (typeof NODE_TYPES)[number]['type'];

/** The param schema of node type `T`. */
export type NodeParamsSchema<T extends NodeTypeName> = Extract<(typeof NODE_TYPES)[number], { type: T }>['params'];

const byType = new Map<string, NodeDescription>(NODE_TYPES.map((d) => [d.type, d]));

export function nodeDescription(type: string): NodeDescription | undefined {
  return byType.get(type);
}

/**
 * The form label of a node's param as the inspector shows it (`Column` for `column_name`), for a
 * field path whose first segment is a param of the type's form (`columns.0.name` is `Columns`);
 * undefined for an unknown type, a path outside the form, or a label that is the name itself.
 */
export function formLabel(type: string, field: string | undefined): string | undefined {
  if (!field) return undefined;
  const name = field.split(/[.[]/, 1)[0];
  const label = byType.get(type)?.fields.find((f) => f.name === name)?.label;
  return label === undefined || label === name ? undefined : label;
}

export * from './description.ts';
