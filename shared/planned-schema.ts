/**
 * The schema each node of a plan works on, as the editor's inspector offers it: the tables with
 * their columns (type and default as the database would hold them) before the node, the live
 * schema as the nodes before it change it (the planner's simulated schema), and after it. The
 * engine records it on request (`RunOptions.plannedSchemas`); the editor's plan asks for it.
 */
import { INTERNAL_TABLES, type Schema } from './schema.ts';

export interface OutlineColumn {
  name: string;
  /** Canonical type text (`varchar(20)`, `integer`). */
  type: string;
  /** The default as SQL text, rendered by the dialect that builds the statements (`'bronze'`); null: none. */
  default: string | null;
}

export interface OutlineTable {
  name: string;
  columns: OutlineColumn[];
}

/** Plan mode: the schema before and after each node it reached. Nodes seeing the same schema share one outline. */
export interface PlannedSchemas {
  outlines: OutlineTable[][];
  /** Node id -> index in `outlines` of the schema the node plans against. */
  before: Record<string, number>;
  /** Node id -> index in `outlines` of the schema the node leaves (its `before` when it changed nothing or failed). */
  after: Record<string, number>;
  /** The column types the database takes, as the type picker offers them (arrays only where the dialect has them). */
  columnTypes: string[];
}

/** The user's tables of `schema` with their columns (the product's own tables left out). */
export function outlineOf(schema: Schema): OutlineTable[] {
  return schema.tables
    .filter((t) => !INTERNAL_TABLES.includes(t.name))
    .map((t) => ({
      name: t.name,
      columns: t.columns.map((c) => ({ name: c.name, type: c.type, default: c.default })),
    }));
}

/** The outline a node plans against (`at: 'before'`) or leaves; null when the plan did not reach it. */
export function outlineAt(
  planned: PlannedSchemas | undefined,
  nodeId: string,
  at: 'before' | 'after',
): OutlineTable[] | null {
  const i = planned?.[at][nodeId];
  return i === undefined ? null : (planned!.outlines[i] ?? null);
}
