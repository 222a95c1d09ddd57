/**
 * Prior backups (docs/recovery.md, "Prior backups"): before a step destroys or overwrites values
 * (drop_column, a lossy alter_column_type, a DataBackfillNode or same-table DataMigrationNode
 * batch), the key and the old values of the rows it touches are copied into a backup table of
 * the product's, in the same transaction as the step or batch. The rollback of the run restores
 * them (electron/engine/rollback.ts); `dataflow backups` lists and purges them. SQL: backup-sql.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from './connect.ts';
import { rollbacksOf } from '../../shared/run-state.ts';
import * as sql from './backup-sql.ts';
import { listRuns, readRun } from './run-records.ts';

/** Rows a step may back up unless its node or the run says otherwise (`backup_max_rows`, `--backup-max-rows`). */
export const DEFAULT_BACKUP_MAX_ROWS = 1_000_000;

/** A new backup id: 12 hex digits. */
export function newBackupId(): string {
  return randomBytes(6).toString('hex');
}

/** One backup as `dataflow backups` lists it. */
export interface BackupRecord {
  backupId: string;
  runId: string;
  /** The run that last added to it (a resumed walk), else `runId`. */
  lastRunId: string;
  workflow: string;
  nodeId: string;
  kind: string;
  table: string;
  keyColumn: string;
  columns: string[];
  backupTable: string;
  createdAt: string;
  finished: boolean;
}

/** True when the registry exists (a backup was made here). */
async function registryExists(db: Database): Promise<boolean> {
  const q = db.dialect.existingTablesSql([sql.BACKUPS_TABLE]);
  return (await db.driver.query(q.sql, q.params)).rows.length > 0;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

/** Every backup, newest first; empty when none was made here. Reads only. */
export async function listBackups(db: Database): Promise<BackupRecord[]> {
  if (!(await registryExists(db))) return [];
  const q = sql.listBackupsQuery(db.dialect);
  const { rows } = await db.driver.query<Record<string, unknown>>(q.sql, q.params);
  return rows.map((r) => ({
    backupId: String(r.backup_id),
    runId: String(r.run_id),
    lastRunId: String(r.last_run_id),
    workflow: String(r.workflow),
    nodeId: String(r.node_id),
    kind: String(r.kind),
    table: String(r.table_name),
    keyColumn: String(r.key_column),
    columns: JSON.parse(String(r.columns)) as string[],
    backupTable: String(r.backup_table),
    createdAt: iso(r.created_at),
    finished: r.finished === true || Number(r.finished) === 1,
  }));
}

/** The backups a run made or added to. */
export async function backupsOfRun(db: Database, runId: string): Promise<BackupRecord[]> {
  return (await listBackups(db)).filter((b) => b.runId === runId || b.lastRunId === runId);
}

/**
 * The backups a rollback restored from, by backup id: the rollback (id and start) of the run that
 * made or added to the backup, which succeeded and whose statements read the backup's table.
 */
export async function backupRestores(
  db: Database,
  backups: readonly BackupRecord[],
): Promise<Map<string, { runId: string; startedAt: string }>> {
  const rollbacks = rollbacksOf(await listRuns(db, 10_000));
  const restored = new Map<string, { runId: string; startedAt: string }>();
  const statements = new Map<string, string[]>();
  for (const b of backups) {
    for (const rollback of [rollbacks.get(b.runId), rollbacks.get(b.lastRunId)]) {
      if (!rollback || restored.has(b.backupId)) continue;
      if (!statements.has(rollback.runId))
        statements.set(
          rollback.runId,
          (await readRun(db, rollback.runId)).nodes.flatMap((n) => n.statements.map((s) => s.sql)),
        );
      if (statements.get(rollback.runId)!.some((text) => text.includes(b.backupTable)))
        restored.set(b.backupId, rollback);
    }
  }
  return restored;
}

/** Rows a backup holds and, where the database tells, its size in bytes. */
export async function backupSize(db: Database, b: BackupRecord): Promise<{ rows: number; bytes: number | null }> {
  const q = sql.countRowsQuery(db.dialect, b.backupId);
  const { rows } = await db.driver.query<{ n: number | string }>(q.sql, q.params);
  const size = await db.dialect.metrics.tableSize(db, b.backupTable).catch(() => null);
  return { rows: Number(rows[0]?.n ?? 0), bytes: size?.totalBytes ?? null };
}

/** The open (unfinished) backup a walk with this key adds to when it resumes, or null. */
export async function openWalkBackup(
  db: Database,
  query: (text: string, params: readonly unknown[]) => Promise<{ rows: Record<string, unknown>[] }>,
  walkKey: string,
): Promise<string | null> {
  const exists = db.dialect.existingTablesSql([sql.BACKUPS_TABLE]);
  if ((await query(exists.sql, exists.params)).rows.length === 0) return null;
  const q = sql.openWalkBackupQuery(db.dialect, walkKey);
  const row = (await query(q.sql, q.params)).rows[0];
  return row ? String(row.backup_id) : null;
}

/** Drops the backups named (their tables and registry rows), in one transaction. */
export async function purgeBackups(db: Database, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.driver.query(db.dialect.beginSql());
  try {
    for (const id of ids) for (const q of sql.purgeSql(db.dialect, id)) await db.driver.query(q.sql, q.params);
    await db.driver.query('COMMIT');
  } catch (e) {
    if (db.driver.inTransaction()) await db.driver.query('ROLLBACK');
    throw e;
  }
}
