/**
 * SQL of the prior backups (backups.ts, docs/recovery.md "Prior backups"): the registry
 * `dataflow_backups` (one row per backup) and one table per backup, `dataflow_backup_<id>`,
 * holding the key and the old values of the rows a step destroyed or overwrote. Both are the
 * product's own tables (shared/schema.ts `isInternalTable`). Values in steps are rendered literals
 * (a step runs inside its node's transaction); reads use bound parameters.
 */
import type { Dialect, Step } from './dialect.ts';
import { cols, q, type Query } from './migration-sql.ts';
import { BACKUP_TABLE_PREFIX, BACKUPS_TABLE } from '../../shared/schema.ts';

export { BACKUP_TABLE_PREFIX, BACKUPS_TABLE };

/** What a backup keeps: the step that made it, the table and key, the columns whose old values it holds. */
export interface BackupValues {
  backupId: string;
  runId: string;
  workflow: string;
  nodeId: string;
  /** `drop_column`, `alter_column_type`, `backfill`, `copy`. */
  kind: string;
  /** For a batch walk: its checkpoint (workflow, node, table, field, spec), so a resumed walk adds to the same backup. */
  walkKey: string | null;
  table: string;
  keyColumn: string;
  columns: string[];
  createdAt: string;
}

/** The backup table of backup `id`. */
export const backupTableName = (id: string) => `${BACKUP_TABLE_PREFIX}${id}`;

const REGISTRY_COLUMNS = [
  'backup_id',
  'run_id',
  'last_run_id',
  'workflow',
  'node_id',
  'kind',
  'walk_key',
  'table_name',
  'key_column',
  'columns',
  'backup_table',
  'created_at',
  'finished',
] as const;

/** `CREATE TABLE IF NOT EXISTS dataflow_backups (...)`. */
export function createRegistryStep(d: Dialect): Step {
  const t = d.bookkeepingTypes;
  return {
    sql:
      `CREATE TABLE IF NOT EXISTS ${q(d, BACKUPS_TABLE)} (${q(d, 'backup_id')} ${t.text} NOT NULL PRIMARY KEY, ` +
      `${q(d, 'run_id')} ${t.text} NOT NULL, ${q(d, 'last_run_id')} ${t.text} NOT NULL, ${q(d, 'workflow')} ${t.text} NOT NULL, ` +
      `${q(d, 'node_id')} ${t.text} NOT NULL, ${q(d, 'kind')} ${t.text} NOT NULL, ${q(d, 'walk_key')} ${t.text}, ` +
      `${q(d, 'table_name')} ${t.text} NOT NULL, ${q(d, 'key_column')} ${t.text} NOT NULL, ${q(d, 'columns')} ${t.text} NOT NULL, ` +
      `${q(d, 'backup_table')} ${t.text} NOT NULL, ${q(d, 'created_at')} ${t.time} NOT NULL, ${q(d, 'finished')} ${t.bool} NOT NULL)`,
    comment: 'prior backups of what steps destroy or overwrite (created on first use): one row per backup',
    transactional: true,
    bookkeeping: true,
  };
}

/**
 * The backup's table, made by the database from the source columns (`CREATE TABLE ... AS SELECT
 * ... WHERE 1 = 0`: their types as they are), its unique key index, and its registry row.
 */
export function startBackupSteps(d: Dialect, v: BackupValues, finished: boolean): Step[] {
  const table = backupTableName(v.backupId);
  const selected = cols(d, [v.keyColumn, ...v.columns]);
  const values = [
    v.backupId,
    v.runId,
    v.runId,
    v.workflow,
    v.nodeId,
    v.kind,
    v.walkKey,
    v.table,
    v.keyColumn,
    JSON.stringify(v.columns),
    table,
    v.createdAt,
  ].map((x) => (x === null ? 'NULL' : d.literal(x)));
  return [
    {
      sql: `CREATE TABLE ${q(d, table)} AS SELECT ${selected} FROM ${q(d, v.table)} WHERE 1 = 0`,
      comment: `prior backup ${v.backupId} of ${v.columns.map((c) => `"${v.table}"."${c}"`).join(', ')}: the table of the old values`,
      transactional: true,
      bookkeeping: true,
    },
    {
      sql: `CREATE UNIQUE INDEX ${q(d, `${table}_key`)} ON ${q(d, table)} (${q(d, v.keyColumn)})`,
      comment: `prior backup ${v.backupId}: its key, for the restore`,
      transactional: true,
      bookkeeping: true,
    },
    {
      sql: `INSERT INTO ${q(d, BACKUPS_TABLE)} (${cols(d, REGISTRY_COLUMNS)}) VALUES (${values.join(', ')}, ${d.literal(finished)})`,
      comment: `prior backup ${v.backupId}: its registry row`,
      transactional: true,
      bookkeeping: true,
    },
  ];
}

/** Copies every row's key and old values (a column about to be dropped or retyped). */
export function copyAllStep(d: Dialect, v: Pick<BackupValues, 'backupId' | 'table' | 'keyColumn' | 'columns'>): Step {
  const selected = cols(d, [v.keyColumn, ...v.columns]);
  return {
    sql: `INSERT INTO ${q(d, backupTableName(v.backupId))} (${selected}) SELECT ${selected} FROM ${q(d, v.table)}`,
    comment: `prior backup ${v.backupId}: the key and old values of every row`,
    transactional: true,
    bookkeeping: true,
  };
}

/** A resumed walk adds to its backup: the registry row names the run that continues it. */
export function continueBackupStep(d: Dialect, backupId: string, runId: string): Step {
  return {
    sql: `UPDATE ${q(d, BACKUPS_TABLE)} SET ${q(d, 'last_run_id')} = ${d.literal(runId)} WHERE ${q(d, 'backup_id')} = ${d.literal(backupId)}`,
    comment: `prior backup ${backupId}: continued by this run`,
    transactional: true,
    bookkeeping: true,
  };
}

/** The walk ended: its backup is complete. */
export function finishBackupStep(d: Dialect, backupId: string): Step {
  return {
    sql: `UPDATE ${q(d, BACKUPS_TABLE)} SET ${q(d, 'finished')} = ${d.literal(true)} WHERE ${q(d, 'backup_id')} = ${d.literal(backupId)}`,
    comment: `prior backup ${backupId}: complete`,
    transactional: true,
    bookkeeping: true,
  };
}

/** Every registry row, newest first. */
export function listBackupsQuery(d: Dialect): Query {
  return {
    sql: `SELECT ${cols(d, REGISTRY_COLUMNS)} FROM ${q(d, BACKUPS_TABLE)} ORDER BY ${q(d, 'created_at')} DESC, ${q(d, 'backup_id')}`,
    params: [],
  };
}

/** The unfinished backup of a walk, to add to when the walk resumes. */
export function openWalkBackupQuery(d: Dialect, walkKey: string): Query {
  return {
    sql: `SELECT ${q(d, 'backup_id')} FROM ${q(d, BACKUPS_TABLE)} WHERE ${q(d, 'walk_key')} = ${d.placeholder(1)} AND ${q(d, 'finished')} = ${d.literal(false)} ORDER BY ${q(d, 'created_at')} DESC LIMIT 1`,
    params: [walkKey],
  };
}

export function countRowsQuery(d: Dialect, backupId: string): Query {
  return { sql: `SELECT COUNT(*) AS ${q(d, 'n')} FROM ${q(d, backupTableName(backupId))}`, params: [] };
}

/** Drops a backup: its table and its registry row. */
export function purgeSql(d: Dialect, backupId: string): Query[] {
  return [
    { sql: `DROP TABLE IF EXISTS ${q(d, backupTableName(backupId))}`, params: [] },
    { sql: `DELETE FROM ${q(d, BACKUPS_TABLE)} WHERE ${q(d, 'backup_id')} = ${d.placeholder(1)}`, params: [backupId] },
  ];
}

/**
 * The restore of one backed-up column, as a DataBackfillNode writes it: the value is the one the
 * backup holds for the row's key, for the rows the backup holds.
 */
export function restoreExpressions(
  d: Dialect,
  backupId: string,
  table: string,
  keyColumn: string,
  column: string,
): { calculation: string; where: string } {
  const b = q(d, backupTableName(backupId));
  const key = q(d, keyColumn);
  return {
    calculation: `(SELECT ${b}.${q(d, column)} FROM ${b} WHERE ${b}.${key} = ${q(d, table)}.${key})`,
    where: `${key} IN (SELECT ${key} FROM ${b})`,
  };
}
