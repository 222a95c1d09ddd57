/**
 * Tables whose details are read on first use. A plan of a few nodes against a schema of thousands
 * of tables reads the details of the few tables it changes, not of every table (issue 16): a
 * dialect's schema read may return tables whose `columns`, `indexes`, `constraints` and
 * `rowEstimate` are getters that read all four from the database the first time one of them is
 * read, and are plain data from then on. `name` and `ddl` are plain data from the start.
 *
 * Such a table is the same model as any other: code that reads its details gets them, exact. What
 * the name and reference lookups of shared/schema-names.ts need to ask of it without reading it is
 * its outline (DeferredDetails): which names it may hold and which tables it may reference, a
 * superset the lookup then checks against the details of the few tables it names.
 *
 * The details are read on the connection the schema was read on, which must still be open; the
 * dialect refuses to read them once the database's schema changed since. A run that writes reads
 * every deferred table of its schema before its first write (readDeferredTables).
 */
import type { Schema, Table } from './schema.ts';

/** What the lookups may ask of a table whose details are not read yet. */
export interface DeferredDetails {
  /**
   * False when the table holds no index or constraint named `key` (a name in lower case, as
   * schema-names compares names); true when it may.
   */
  mayHoldName(key: string): boolean;
  /** False when none of the table's foreign keys references table `table` (in any letter case); true when one may. */
  mayReference(table: string): boolean;
  /** Reads the details of every table of the same schema read that is still unread. */
  readAll(): void;
}

const unread = new WeakMap<Table, DeferredDetails>();

/** Marks `table` as deferred: its details are read on first use, by the getters its dialect gave it. */
export function deferDetails(table: Table, details: DeferredDetails): void {
  unread.set(table, details);
}

/** Called by a dialect once it has read `table`'s details. */
export function detailsRead(table: Table): void {
  unread.delete(table);
}

/** The outline of `table` while its details are not read yet; undefined once read (or never deferred). */
export function unreadDetails(table: Table): DeferredDetails | undefined {
  return unread.get(table);
}

/** Reads the details of every deferred table of `schema` that is still unread (in one pass per schema read). */
export function readDeferredTables(schema: Schema): void {
  for (const t of schema.tables) unread.get(t)?.readAll();
}
