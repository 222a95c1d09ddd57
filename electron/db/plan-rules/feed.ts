/**
 * What a dialect gives the plan rules (plan-rules/): how it compares names, which objects share a
 * namespace, which names it reserves. The rules are written once against this; postgres/plan/ and
 * sqlite/plan/ each pass their own.
 */

/** Kinds of schema object whose names one namespace holds. */
export type NamedKind = 'table' | 'view' | 'index' | 'constraint';

export interface RuleFeed {
  /**
   * Whether a new name collides with an existing one: PostgreSQL compares quoted names exactly,
   * SQLite ignores ASCII case ("Email" and "email" are one column).
   */
  sameName(a: string, b: string): boolean;
  /** The kinds of object a new table, view or index name must not collide with. */
  namespace: readonly NamedKind[];
  /** Names the database keeps for itself (SQLite's sqlite_...), or null. */
  reserved: RegExp | null;
  /**
   * The column names the database keeps for its system columns (compared with `sameName`), and
   * what a column of such a name does there: PostgreSQL refuses it (ctid, xmin...), SQLite takes
   * it but the name then stops reaching the rowid.
   */
  systemColumns: { names: readonly string[]; why: string };
}
