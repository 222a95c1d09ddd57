/**
 * The names a node's JSON fields hold that are not in the schema the node sees, like the table and
 * column fields (SchemaFields.tsx `unknownName`): a ValidationNode's Row count `equals_table`, a
 * DataMigrationNode's Field mapping (its keys are columns of the source table, its values columns
 * of the target table), a SchemaModificationNode's References (`table`, `column`) and the Columns
 * of an index or constraint. Each comes with where it is in the field, the closest names, and the
 * field's value with a close name taken instead.
 */
import type { SchemaRef } from '../../shared/nodes/index.ts';
import { unknownName } from './SchemaFields.tsx';
import type { SchemaView } from './schema-view.ts';

/** A name in a JSON field: where it is, what it names, and the field's value with another name there. */
interface JsonName {
  path: string;
  name: unknown;
  /** A table, or a column of this table. */
  table?: unknown;
  take(name: string): unknown;
}

export interface UnknownJsonName {
  message: string;
  suggestions: string[];
  /** The field's value with `name` in place of the unknown one. */
  take(name: string): unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Per node type and JSON field: the names it holds. */
const NAMES: Record<string, Record<string, (params: Record<string, unknown>, value: unknown) => JsonName[]>> = {
  ValidationNode: {
    check_row_count: (_p, v) =>
      isObject(v) && v.equals_table !== undefined
        ? [{ path: 'equals_table', name: v.equals_table, take: (n) => ({ ...v, equals_table: n }) }]
        : [],
  },
  DataMigrationNode: {
    field_mapping: (p, v) =>
      isObject(v)
        ? Object.entries(v).flatMap(([from, to]): JsonName[] => [
            {
              path: `"${from}"`,
              name: from,
              table: p.source_table,
              take: (n) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k === from ? n : k, x])),
            },
            { path: `"${from}": "${String(to)}"`, name: to, table: p.target_table, take: (n) => ({ ...v, [from]: n }) },
          ])
        : [],
  },
  SchemaModificationNode: {
    references: (_p, v) =>
      isObject(v)
        ? [
            { path: 'table', name: v.table, take: (n) => ({ ...v, table: n }) },
            { path: 'column', name: v.column, table: v.table, take: (n) => ({ ...v, column: n }) },
          ]
        : [],
    columns: (p, v) =>
      Array.isArray(v) && p.operation !== 'create_table'
        ? v.map((name, i) => ({
            path: `[${i}]`,
            name,
            table: p.table,
            take: (n: string) => v.map((x, j) => (j === i ? n : x)),
          }))
        : [],
  },
};

/** The names JSON field `field` of a `type` node holds that the node's schema does not have. */
export function unknownJsonNames(
  type: string,
  field: string,
  params: Record<string, unknown>,
  view: SchemaView,
): UnknownJsonName[] {
  const names = NAMES[type]?.[field]?.(params, params[field]) ?? [];
  return names.flatMap((n) => {
    const ref: SchemaRef = 'table' in n ? { kind: 'column', table: 'table' } : { kind: 'table' };
    const unknown = unknownName(ref, { table: n.table }, n.name, view);
    return unknown ? [{ ...unknown, message: `${n.path}: ${unknown.message}`, take: n.take }] : [];
  });
}
