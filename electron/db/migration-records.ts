/**
 * Migration records in the target database (docs/nodes.md, "MigrationNode"): the rows of
 * `dataflow_migrations` and the append-only `dataflow_migration_events`, read, written as steps a
 * MigrationNode runs, or written directly (a run's failure). SQL comes from migration-sql.ts; the
 * migration lock a run holds is in migration-lock.ts.
 */
import type { Database } from './connect.ts';
import { stringifyJson } from '../../shared/json-text.ts';
import type { Step } from './dialect.ts';
import { liveLockHolder } from './migration-lock.ts';
import { existingTrackingTables, reader, type MigrationReader } from './migration-reader.ts';
import * as sql from './migration-sql.ts';
import type { MigrationStatus } from './migration-sql.ts';

export type { MigrationStatus } from './migration-sql.ts';
export type { MigrationReader } from './migration-reader.ts';

/** One row of `dataflow_migrations`; times are ISO 8601 text. */
export interface MigrationRecord {
  name: string;
  status: MigrationStatus;
  checksum: string | null;
  version: string | null;
  description: string | null;
  breakingChange: boolean | null;
  metadata: Record<string, unknown> | null;
  runId: string | null;
  workflow: string | null;
  appliedBy: string | null;
  startedAt: string | null;
  completedAt: string | null;
  error: string | null;
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toRecord(row: Record<string, unknown>): MigrationRecord {
  let metadata: Record<string, unknown> | null = null;
  if (typeof row.metadata === 'string') {
    try {
      metadata = JSON.parse(row.metadata) as Record<string, unknown>;
    } catch {
      metadata = { raw: row.metadata };
    }
  }
  return {
    name: String(row.name),
    status: row.status as MigrationStatus,
    checksum: str(row.checksum),
    version: str(row.version),
    description: str(row.description),
    breakingChange:
      row.breaking_change === null || row.breaking_change === undefined ? null : Boolean(row.breaking_change),
    metadata,
    runId: str(row.run_id),
    workflow: str(row.workflow),
    appliedBy: str(row.applied_by),
    startedAt: iso(row.started_at),
    completedAt: iso(row.completed_at),
    error: str(row.error),
  };
}

/** The record of a migration, or null when it was never recorded (or tracking was never used here). Read only. */
export async function readMigration(db: Database | MigrationReader, name: string): Promise<MigrationRecord | null> {
  const r = reader(db);
  if (!(await existingTrackingTables(r)).has(sql.MIGRATIONS_TABLE)) return null;
  const q = sql.selectMigrationQuery(r.dialect, name);
  const { rows } = await r.query(q.sql, q.params);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Every migration record, oldest first (`dataflow history`); empty when tracking was never used here. */
export async function history(db: Database | MigrationReader): Promise<MigrationRecord[]> {
  const r = reader(db);
  if (!(await existingTrackingTables(r)).has(sql.MIGRATIONS_TABLE)) return [];
  const q = sql.historyQuery(r.dialect);
  const { rows } = await r.query(q.sql, q.params);
  return rows.map(toRecord);
}

/** What a record writes besides name and status. */
export interface RecordOptions {
  runId: string;
  workflow: string;
  appliedBy: string;
  /** Written for completions; omitted, the stored checksum is kept. */
  checksum?: string;
  /** `version`, `description`, `breaking_change` go to their columns; all of it to `metadata` as JSON. */
  metadata?: Record<string, unknown>;
  /** Extra fields of the event's detail (e.g. the node id). */
  detail?: Record<string, unknown>;
  /** Timestamp to record; now by default. */
  at?: string;
  /** Plan mode: an earlier record of the same plan creates the tracking tables, so these steps need not. */
  tablesPlanned?: boolean;
}

/**
 * The steps that record a migration: CREATE TABLE IF NOT EXISTS when the tracking tables are not
 * there yet (so creating them is part of the first write), then the upsert and its event. Reads
 * the catalog only.
 */
export async function recordMigrationSteps(
  db: Database | MigrationReader,
  name: string,
  status: MigrationStatus,
  options: RecordOptions,
): Promise<Step[]> {
  const r = reader(db);
  const present = options.tablesPlanned ? null : await existingTrackingTables(r);
  const create =
    !present || (present.has(sql.MIGRATIONS_TABLE) && present.has(sql.EVENTS_TABLE))
      ? []
      : sql.createTrackingTablesSteps(r.dialect);
  const m = options.metadata;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return [
    ...create,
    ...sql.recordSteps(r.dialect, {
      name,
      status,
      runId: options.runId,
      workflow: options.workflow,
      appliedBy: options.appliedBy,
      at: options.at ?? new Date().toISOString(),
      checksum: options.checksum,
      metadata: m && {
        version: text(m.version),
        description: text(m.description),
        breakingChange: typeof m.breaking_change === 'boolean' ? m.breaking_change : null,
        json: stringifyJson(m),
      },
      error: null,
      detail: JSON.stringify({
        workflow: options.workflow,
        ...(options.checksum !== undefined && { checksum: options.checksum }),
        ...options.detail,
      }),
    }),
  ];
}

/** Runs steps in one transaction of their own, or inside the transaction already open. */
async function runSteps(db: Database, steps: readonly Step[]): Promise<void> {
  const own = !db.driver.inTransaction();
  if (own) await db.driver.query(db.dialect.beginSql());
  try {
    for (const s of steps) await db.dialect.executeStep(db.driver, s);
    if (own) await db.driver.query(sql.COMMIT);
  } catch (e) {
    if (own && db.driver.inTransaction()) await db.driver.query(sql.ROLLBACK);
    throw e;
  }
}

/** Records a migration's status (and an event) directly, outside a workflow. */
export async function record(
  db: Database,
  name: string,
  status: MigrationStatus,
  options: RecordOptions,
): Promise<void> {
  await runSteps(db, await recordMigrationSteps(db, name, status, options));
}

/**
 * Sets every migration the run left in one of `from` to `to` (with `error`, null clearing it) and
 * logs an event for each with `detail`, in a transaction of its own: call it after the run's
 * transaction ended. Nothing to do when the run recorded nothing (or its records were rolled back).
 */
async function settleRunMigrations(
  db: Database,
  runId: string,
  from: readonly MigrationStatus[],
  to: MigrationStatus,
  error: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  if (!(await existingTrackingTables(reader(db))).has(sql.MIGRATIONS_TABLE)) return;
  if (db.driver.inTransaction())
    throw new Error(
      "a run's migrations are settled after the run's transaction ended, so the change is committed on its own",
    );
  const d = db.dialect;
  await db.driver.query(d.beginSql());
  try {
    const open = sql.migrationsOfRunQuery(d, runId, from);
    const { rows } = await db.driver.query<{ name: string }>(open.sql, open.params);
    const at = new Date().toISOString();
    for (const { name } of rows) {
      const settle = sql.settleMigrationQuery(d, name, runId, to, error, from);
      await db.driver.query(settle.sql, settle.params);
      const event = sql.insertEventQuery(d, name, to, runId, at, JSON.stringify(detail));
      await db.driver.query(event.sql, event.params);
    }
    await db.driver.query(sql.COMMIT);
  } catch (e) {
    if (db.driver.inTransaction()) await db.driver.query(sql.ROLLBACK);
    throw e;
  }
}

/**
 * Marks every migration the run left `pending` or `running` as `failed`, with the error, and
 * logs an event for each. Call it after the run's transaction ended.
 */
export function failRunMigrations(db: Database, runId: string, error: string): Promise<void> {
  return settleRunMigrations(db, runId, sql.OPEN_STATUSES, 'failed', error, { error });
}

/**
 * Ends the `running` state of the migrations a run that succeeded left running (a MigrationNode
 * records `pending` as `running` while its run lasts): they are `pending` again, tracked and not
 * completed, with an event each. Call it after the run's transaction ended, before the lock is
 * released.
 */
export function finishRunMigrations(db: Database, runId: string): Promise<void> {
  return settleRunMigrations(db, runId, ['running'], 'pending', null, { run: 'succeeded' });
}

/**
 * True when the migration needs a rollback: it `failed`, or it is `running` but no live run holds
 * the migration lock for it (the run that started it is gone). Read only.
 */
export async function needsRollback(db: Database | MigrationReader, name: string): Promise<boolean> {
  const rec = await readMigration(db, name);
  if (!rec) return false;
  if (rec.status === 'failed') return true;
  if (rec.status !== 'running') return false;
  const holder = await liveLockHolder(db);
  return holder === null || holder.runId !== rec.runId;
}
