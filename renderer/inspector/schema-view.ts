/**
 * What the inspector's schema fields know of the database, for one node: the tables and columns
 * of the schema the node plans against (the plan's simulated schema before it, else the live
 * schema), the one it leaves when the plan is of the document as it is now (for the rendered
 * default), the database's column types, and the plan's problems of the node.
 */
import { useMemo } from 'react';
import { outlineAt, outlineOf, seesLiveSchema, type OutlineTable } from '../../shared/planned-schema.ts';
import { planProblems, type PlanProblem } from '../../shared/plan-script.ts';
import { planText } from '../store/doc.ts';
import { useApp } from '../store/index.ts';
import type { AppState } from '../store/types.ts';

export interface SchemaView {
  /** The tables the node sees; null while nothing is known of the database. */
  before: OutlineTable[] | null;
  /** The tables after the node, from a plan of the document as it is; null while that plan is pending or did not reach it. */
  after: OutlineTable[] | null;
  /** True while the plan of the document as it is has not come back. */
  pending: boolean;
  /** The database's column types (empty until a plan told them). */
  columnTypes: readonly string[];
  /** Where the names come from, for the messages: `Demo database, as the nodes before this one leave it`. */
  where: string;
  /** The plan's problems of this node, when the plan is of the document as it is. */
  problems: PlanProblem[];
}

/** Nothing known of the database (a form shown without a connection). */
export const NO_SCHEMA: SchemaView = {
  before: null,
  after: null,
  pending: false,
  columnTypes: [],
  where: 'the target connection',
  problems: [],
};

/** What the view of a node is made from: the store's plan preview, live schema, document and target. */
type ViewSources = Pick<AppState, 'preview' | 'schema' | 'doc' | 'connectionId' | 'connections'>;

/** The tables node `nodeId` sees and where they come from (the inspector's view, and the node cards' check of the names). */
export function seenSchema(s: Omit<ViewSources, 'doc'>, nodeId: string): Pick<SchemaView, 'before' | 'where'> {
  const result = s.preview.connectionId === s.connectionId ? s.preview.result : null;
  const planned = result?.plannedSchemas;
  const fromPlan = outlineAt(planned, nodeId, 'before');
  const name = s.connections.find((c) => c.id === s.connectionId)?.name ?? 'the target connection';
  return {
    before: fromPlan ?? (s.schema ? outlineOf(s.schema) : null),
    where: fromPlan && !seesLiveSchema(planned, nodeId) ? `${name}, as the nodes before this one leave it` : name,
  };
}

function schemaViewOf(s: ViewSources, nodeId: string): SchemaView {
  const { preview, doc, connectionId } = s;
  const result = preview.connectionId === connectionId ? preview.result : null;
  const planned = result?.plannedSchemas;
  const current = result !== null && preview.text === planText(doc) && !preview.pending;
  const { before, where } = seenSchema(s, nodeId);
  return {
    before,
    after: current ? outlineAt(planned, nodeId, 'after') : null,
    pending: !current,
    columnTypes: planned?.columnTypes ?? [],
    where,
    problems: current && result ? planProblems(result).filter((p) => p.nodeId === nodeId) : [],
  };
}

export function useSchemaView(nodeId: string): SchemaView {
  const preview = useApp((s) => s.preview);
  const schema = useApp((s) => s.schema);
  const doc = useApp((s) => s.doc);
  const connectionId = useApp((s) => s.connectionId);
  const connections = useApp((s) => s.connections);
  return useMemo(
    () => schemaViewOf({ preview, schema, doc, connectionId, connections }, nodeId),
    [preview, schema, doc, connectionId, connections, nodeId],
  );
}

/** The columns of `table` in `tables`; null when the table is not there. */
export function columnsOf(tables: readonly OutlineTable[] | null, table: unknown): OutlineTable['columns'] | null {
  if (typeof table !== 'string') return null;
  return tables?.find((t) => t.name === table)?.columns ?? null;
}
