/**
 * Which tables of a schema hold a name, and which reference a table, without a pass over every
 * table: the planner asks for each name a node adds (is it free?) and for each table a node
 * changes (which tables' foreign keys follow it?), and on a schema of 5,000 tables those passes
 * were most of a node's plan (issue 16, the warm planner).
 *
 * The index of a schema is made once, when first asked for, and kept with the schema object
 * (schemas are never changed in place). A schema read from the database is indexed whole; a
 * schema made from another one (`madeFrom`: applySchemaChange, a table taken out) is indexed as
 * its change: the tables it no longer holds and the names of the tables it holds anew, over the
 * index of the schema it was made from. Only tables are indexed; views are few and looked at
 * directly by the callers. A table whose details are not read yet (shared/deferred-tables.ts) is
 * indexed by its name; a lookup of another key reads only the tables whose outline may hold it.
 */
import { type DeferredDetails, unreadDetails } from './deferred-tables.ts';
import type { Schema, Table } from './schema.ts';

/**
 * The tables a schema no longer holds, and the keys of those it holds anew, over its base's index.
 * A table whose details were not read yet (shared/deferred-tables.ts) is filed under its name
 * only, and in `unread`: a lookup reads the details of those whose outline may hold the key.
 */
interface Layer {
  base: Layer | null;
  gone: ReadonlySet<Table>;
  keys: Map<string, Table[]>;
  unread: [Table, DeferredDetails][];
  /** The tables of `unread` found holding each key asked for so far. */
  unreadHits: Map<string, Table[]>;
}

/** The tables one schema no longer holds (`gone`) and those it holds anew (`added`, in its order), against another. */
export interface TableChange {
  gone: readonly Table[];
  added: readonly Table[];
}

const layers = new WeakMap<Schema, Layer>();
const bases = new WeakMap<Schema, Schema>();
const changes = new WeakMap<Schema, TableChange>();

/**
 * Notes that `next` was made from `base` (sharing the tables it did not change), with its change
 * when the maker knows it (else it is found by comparing the two); call before `next` is read.
 */
export function madeFrom(next: Schema, base: Schema, change?: TableChange): void {
  if (next === base) return;
  bases.set(next, base);
  if (change) changes.set(next, change);
}

/**
 * The tables of `schema` whose name, or the name of one of their indexes or constraints, is
 * `name` in any letter case (callers compare as their dialect does), in the schema's order.
 */
export function tablesHoldingName(schema: Schema, name: string): Table[] {
  return lookup(schema, nameKey(name));
}

/** The tables of `schema` with a foreign key to table `table` (its exact name), itself included, in the schema's order. */
export function tablesReferencing(schema: Schema, table: string): Table[] {
  return lookup(schema, refKey(table));
}

/**
 * The tables of `schema` with a foreign key to table `table` named in any letter case (as SQLite
 * resolves it), itself included, in the schema's order.
 */
export function tablesReferencingAnyCase(schema: Schema, table: string): Table[] {
  return lookup(schema, anyCaseRefKey(table));
}

/** The table of `schema` named exactly `name`. */
export function tableNamed(schema: Schema, name: string): Table | undefined {
  return lookup(schema, nameKey(name), false).find((t) => t.name === name);
}

/** The tables of `next` that `base` does not hold (a changed table is a copy), in `next`'s order. */
export function tablesNotIn(next: Schema, base: Schema): readonly Table[] {
  return tableChange(next, base).added;
}

/**
 * `next` against `base`: as its maker noted it (madeFrom), or by identity, at the same places when
 * both hold as many tables.
 */
export function tableChange(next: Schema, base: Schema): TableChange {
  const known = changes.get(next);
  if (known && bases.get(next) === base) return known;
  const gone: Table[] = [];
  const added: Table[] = [];
  const [now, was] = [next.tables, base.tables];
  if (now.length === was.length) {
    for (let i = 0; i < now.length; i++) {
      if (now[i] === was[i]) continue;
      gone.push(was[i]!);
      added.push(now[i]!);
    }
    return { gone, added };
  }
  const kept = new Set(now);
  const held = new Set(was);
  for (const t of was) if (!kept.has(t)) gone.push(t);
  for (const t of now) if (!held.has(t)) added.push(t);
  return { gone, added };
}

const nameKey = (name: string) => name.toLowerCase();
const REF = '\u0000';
const refKey = (table: string) => `${REF}${table}`;
const ANY_CASE_REF = '\u0001';
const anyCaseRefKey = (table: string) => `${ANY_CASE_REF}${table.toLowerCase()}`;
/** The table a reference key names (in lower case for an any-case one); null for a name key. */
const referenced = (key: string) =>
  key.startsWith(REF) || key.startsWith(ANY_CASE_REF) ? key.slice(REF.length) : null;

/**
 * Files `t` under each of its keys (its name, its indexes' and constraints' names, the tables it
 * references), once per key; a table not read yet under its name, and in the layer's `unread`.
 */
function addKeys(layer: Layer, t: Table): void {
  const map = layer.keys;
  const add = (key: string) => {
    const list = map.get(key);
    // A table's keys are filed one after another: a key it already gave ends its list.
    if (!list) map.set(key, [t]);
    else if (list[list.length - 1] !== t) list.push(t);
  };
  add(nameKey(t.name));
  const deferred = unreadDetails(t);
  if (deferred) {
    layer.unread.push([t, deferred]);
    return;
  }
  for (const i of t.indexes) add(nameKey(i.name));
  for (const k of t.constraints) {
    add(nameKey(k.name));
    if (k.references) {
      add(refKey(k.references.table));
      add(anyCaseRefKey(k.references.table));
    }
  }
}

/** Whether `t` is filed under `key` (reads its details). */
function holdsKey(t: Table, key: string): boolean {
  const table = referenced(key);
  if (table !== null) {
    const same = key.startsWith(REF) ? (n: string) => n === table : (n: string) => n.toLowerCase() === table;
    return t.constraints.some((k) => k.references !== null && same(k.references.table));
  }
  return (
    nameKey(t.name) === key ||
    t.indexes.some((i) => nameKey(i.name) === key) ||
    t.constraints.some((k) => nameKey(k.name) === key)
  );
}

/** The tables of the layer's `unread` filed under `key`: those whose outline may hold it, checked on their details. */
function unreadHolding(layer: Layer, key: string): Table[] {
  let hits = layer.unreadHits.get(key);
  if (!hits) {
    const ref = referenced(key);
    hits = layer.unread
      .filter(([t, d]) => (ref === null ? d.mayHoldName(key) : d.mayReference(ref)) && holdsKey(t, key))
      .map(([t]) => t);
    layer.unreadHits.set(key, hits);
  }
  return hits;
}

/** The tables filed under `key`; `all` false: only as keys hold them (a table's own name is always there). */
function lookup(schema: Schema, key: string, all = true): Table[] {
  const found: Table[] = [];
  const goneAbove: ReadonlySet<Table>[] = [];
  for (let l: Layer | null = layerOf(schema); l; l = l.base) {
    for (const t of l.keys.get(key) ?? []) if (!goneAbove.some((g) => g.has(t))) found.push(t);
    if (all)
      for (const t of unreadHolding(l, key)) if (!goneAbove.some((g) => g.has(t)) && !found.includes(t)) found.push(t);
    goneAbove.push(l.gone);
  }
  if (found.length < 2) return found;
  const at = new Map(found.map((t) => [t, schema.tables.indexOf(t)]));
  return found.sort((a, b) => at.get(a)! - at.get(b)!);
}

/** The schema's index, made (with those of the schemas it was made from) when missing. */
function layerOf(schema: Schema): Layer {
  const have = layers.get(schema);
  if (have) return have;
  const chain: Schema[] = [schema];
  for (let s = bases.get(schema); s && !layers.has(s); s = bases.get(s)) chain.push(s);
  let layer: Layer | null = null;
  for (const s of chain.reverse()) {
    const base = bases.get(s);
    layer = base ? changeLayer(layers.get(base)!, tableChange(s, base)) : wholeLayer(s.tables);
    layers.set(s, layer);
  }
  return layer!;
}

function wholeLayer(tables: readonly Table[]): Layer {
  const layer: Layer = { base: null, gone: new Set(), keys: new Map(), unread: [], unreadHits: new Map() };
  for (const t of tables) addKeys(layer, t);
  return layer;
}

/** A schema as its change over its base's index. */
function changeLayer(base: Layer, change: TableChange): Layer {
  const layer: Layer = { base, gone: new Set(change.gone), keys: new Map(), unread: [], unreadHits: new Map() };
  for (const t of change.added) addKeys(layer, t);
  return layer;
}
