/**
 * The schema each node of a plan works on, as the editor's inspector offers it: the tables with
 * their columns (type and default as the database would hold them) before the node, the live
 * schema as the nodes before it change it (the planner's simulated schema), and after it. The
 * engine records it on request (`RunOptions.plannedSchemas`); the editor's plan asks for it.
 */
import { INTERNAL_TABLES, type Schema, type Table } from './schema.ts';

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

/**
 * One schema of a plan, as a change of an earlier one: the outline `base` (an index in
 * `PlannedSchemas.outlines`, -1 for none) without the tables named in `drop`, with the tables of
 * `put` (indices in `PlannedSchemas.tables`) in place of those of the same name, or added at the
 * end. The first outline lists every table; a node's change adds one entry of a table or two.
 */
export interface OutlineChange {
  base: number;
  drop: string[];
  put: number[];
}

/**
 * Plan mode: the schema before and after each node it reached. Nodes seeing the same schema share
 * one outline; each table outline is sent once, however many schemas hold it, so a plan of 100
 * nodes on 5,000 tables carries about one schema's worth of tables. Read it with `outlineAt`.
 */
export interface PlannedSchemas {
  /** Every distinct table outline of the plan's schemas. */
  tables: OutlineTable[];
  /** The plan's schemas, each a change of an earlier one (the first of none). */
  outlines: OutlineChange[];
  /** Node id -> index in `outlines` of the schema the node plans against. */
  before: Record<string, number>;
  /** Node id -> index in `outlines` of the schema the node leaves (its `before` when it changed nothing or failed). */
  after: Record<string, number>;
  /** The column types the database takes, as the type picker offers them (arrays only where the dialect has them). */
  columnTypes: string[];
  /** A warm planner's plan: the first outline is its kept read of the live schema (LiveOutline). */
  live?: LiveOutline;
}

/**
 * The first outline of a warm planner's plan is the schema it read from the database and keeps
 * until the database changes: `read` names that read, and the outline's `tables` table outlines
 * are the first entries of `PlannedSchemas.tables`. The editor holds them from its last plan, so
 * a plan of the same read leaves them out (`omitted`: `PlannedSchemas.tables` starts at entry
 * `tables`), about all of the plan's size on a large database; `withLiveTables` puts them back.
 */
export interface LiveOutline {
  read: string;
  tables: number;
  omitted: boolean;
}

/** `planned` without the live schema's table outlines (the requester holds them). */
export function withoutLiveTables(planned: PlannedSchemas): PlannedSchemas {
  if (!planned.live || planned.live.omitted) return planned;
  return { ...planned, tables: planned.tables.slice(planned.live.tables), live: { ...planned.live, omitted: true } };
}

/**
 * `planned` whole: as it is, or with the live schema's table outlines it left out taken from
 * `held` (an earlier plan's, whole); null when `held` is not of the same read.
 */
export function withLiveTables(planned: PlannedSchemas, held: PlannedSchemas | undefined): PlannedSchemas | null {
  const live = planned.live;
  if (!live?.omitted) return planned;
  if (!held?.live || held.live.omitted || held.live.read !== live.read) return null;
  return {
    ...planned,
    tables: [...held.tables.slice(0, live.tables), ...planned.tables],
    live: { ...live, omitted: false },
  };
}

/** The outline of one table (its columns, types and defaults). */
export function outlineTable(t: Table): OutlineTable {
  return { name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type, default: c.default })) };
}

/** The user's tables of `schema` with their columns (the product's own tables left out). */
export function outlineOf(schema: Schema): OutlineTable[] {
  return schema.tables.filter((t) => !INTERNAL_TABLES.includes(t.name)).map(outlineTable);
}

/** The outlines of a `PlannedSchemas` built so far, by index (each built once, when first asked for). */
const built = new WeakMap<PlannedSchemas, OutlineTable[][]>();

/** Outline `i` of `planned`, built from its base and kept. */
function outlineNumber(planned: PlannedSchemas, i: number): OutlineTable[] | null {
  const cache = built.get(planned) ?? [];
  built.set(planned, cache);
  const have = cache[i];
  if (have) return have;
  const change = planned.outlines[i];
  if (!change) return null;
  const base = change.base >= 0 ? (outlineNumber(planned, change.base) ?? []) : [];
  const put = new Map(change.put.map((k) => [planned.tables[k]!.name, planned.tables[k]!]));
  const drop = new Set(change.drop);
  const tables: OutlineTable[] = [];
  for (const t of base) {
    if (drop.has(t.name)) continue;
    const next = put.get(t.name);
    tables.push(next ?? t);
    put.delete(t.name);
  }
  tables.push(...put.values());
  cache[i] = tables;
  return tables;
}

/** The outline a node plans against (`at: 'before'`) or leaves; null when the plan did not reach it. */
export function outlineAt(
  planned: PlannedSchemas | undefined,
  nodeId: string,
  at: 'before' | 'after',
): OutlineTable[] | null {
  const i = planned?.[at][nodeId];
  return i === undefined ? null : outlineNumber(planned!, i);
}

/** True when node `nodeId` plans against the schema as read from the database (no node before it changed it). */
export function seesLiveSchema(planned: PlannedSchemas | undefined, nodeId: string): boolean {
  return planned?.before[nodeId] === 0;
}
