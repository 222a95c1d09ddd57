/**
 * The neutral schema model: what introspection of either dialect produces, what the diff compares
 * and what the planner reads. Plain data only (it crosses IPC and lands in run results).
 */

export type DialectName = 'sqlite' | 'postgres';

export interface Column {
  name: string;
  /** The declared type as the database reports it, lower case (`varchar(20)`, `integer`, `text[]`). */
  type: string;
  nullable: boolean;
  /** The default as SQL expression text as stored by the database, or null when there is none. */
  default: string | null;
  /** True when the column is (part of) the primary key. */
  primaryKey: boolean;
  /**
   * True when the database numbers the column itself on insert: a PostgreSQL identity column
   * (`GENERATED ... AS IDENTITY`), SQLite's rowid alias (the table's `INTEGER PRIMARY KEY`).
   * Absent otherwise.
   */
  identity?: true;
}

export interface Index {
  name: string;
  table: string;
  columns: string[];
  unique: boolean;
  /** Partial index predicate, SQL text, or null. */
  where: string | null;
  /** True for indexes the database made for a constraint (PRIMARY KEY / UNIQUE). */
  constraintBacked: boolean;
  /** The CREATE INDEX statement as the database reports it, when it has one. */
  sql: string | null;
}

export type ConstraintKind = 'primary_key' | 'unique' | 'check' | 'foreign_key';

export interface ForeignKeyTarget {
  table: string;
  columns: string[];
  onDelete: string | null;
}

export interface Constraint {
  /** Database name of the constraint; SQLite inline constraints get a synthetic stable name. */
  name: string;
  table: string;
  kind: ConstraintKind;
  columns: string[];
  /** CHECK expression text (kind 'check'). */
  expression: string | null;
  references: ForeignKeyTarget | null;
  /** False for a PostgreSQL constraint added NOT VALID and not yet validated. */
  validated: boolean;
}

export interface Table {
  name: string;
  columns: Column[];
  indexes: Index[];
  constraints: Constraint[];
  /**
   * Row count: exact for small tables (SQLite: up to 10,000 rows; PostgreSQL: below 100,000 rows
   * by the planner's statistics, or never analysed), an estimate above: SQLite the count ANALYZE
   * stored in sqlite_stat1, else the span of the rowids (an overestimate where rows were deleted),
   * else an exact count; PostgreSQL the planner's reltuples. On SQLite it is 0 exactly when the
   * table is empty. Checks that need an exact number count for themselves.
   */
  rowEstimate: number;
  /** CREATE TABLE DDL as the database holds it (SQLite) or as reconstructed (PostgreSQL). */
  ddl: string;
}

export interface View {
  name: string;
  sql: string;
  /** Tables and columns the view reads, where the dialect can tell. */
  dependsOn: string[];
}

export interface Trigger {
  name: string;
  table: string;
  sql: string;
}

export interface Schema {
  dialect: DialectName;
  /** Server version string (`3.53.2`, `17.10`). */
  version: string;
  tables: Table[];
  views: View[];
  triggers: Trigger[];
}

/** Tables the product itself keeps in a user database; hidden from diffs and model comparison. */
export const INTERNAL_TABLES: readonly string[] = [
  'dataflow_migrations',
  'dataflow_migration_events',
  'dataflow_migration_lock',
  'dataflow_backfill_checkpoints',
  'dataflow_runs',
  'dataflow_run_nodes',
  'dataflow_schema_snapshots',
  'dataflow_backups',
  'dataflow_run_outputs',
  'dataflow_run_continuations',
];

/** The registry of the prior backups (electron/db/backups.ts). */
export const BACKUPS_TABLE = 'dataflow_backups';
/** Each prior backup's table is this prefix and the backup's id. */
export const BACKUP_TABLE_PREFIX = 'dataflow_backup_';

/** True for a table the product keeps for itself: INTERNAL_TABLES, and each prior backup's table. */
export function isInternalTable(name: string): boolean {
  return INTERNAL_TABLES.includes(name) || name.startsWith(BACKUP_TABLE_PREFIX);
}

export function findTable(schema: Schema, name: string): Table | undefined {
  return schema.tables.find((t) => t.name === name);
}

export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}
