/**
 * Rollback generated from the run record (docs/recovery.md, "Roll a run back"): the reverse
 * workflow of a recorded run, built from the schema before it and after its applied nodes
 * (rollback-changes.ts), refused when the data it needs is gone, when a later run changed the
 * same tables, or when the run was rolled back already. The reverse is an ordinary workflow:
 * planned, reviewed, rehearsed and applied by runWorkflow, recorded as a run of its own named
 * `rollback of run <id>`, which is how a run is known to be rolled back.
 */
import { DataflowError } from '../../shared/errors.ts';
import type { LintWaiver } from '../../shared/lint/waiver.ts';
import type { Schema } from '../../shared/schema.ts';
import { rollbackName, rolledBackRun, rollbacksOf } from '../../shared/run-state.ts';
import type { Workflow, WorkflowNode } from '../../shared/workflow.ts';
import type { Database } from '../db/connect.ts';
import { history } from '../db/migration-records.ts';
import {
  RunNotFoundError,
  listRuns,
  readRun,
  readSnapshot,
  type RunNodeRecord,
  type RunRecord,
} from '../db/run-records.ts';
import { dataWriteTarget } from '../db/data-sql.ts';
import { restoreExpressions } from '../db/backup-sql.ts';
import { backupsOfRun, type BackupRecord } from '../db/backups.ts';
import { reverseChanges, type MissingData, type RecordedChange, type RestorableColumn } from './rollback-changes.ts';

export type { MissingData } from './rollback-changes.ts';

/** A rollback that cannot be built or applied: the message says what is missing or in the way, and the fix. */
export class RollbackRefused extends DataflowError {
  constructor(
    message: string,
    /** What the rollback cannot bring back, one entry per object (empty for other refusals). */
    readonly missing: readonly MissingData[] = [],
  ) {
    super('rollback_refused', message);
    this.name = 'RollbackRefused';
  }
}

/** The reverse workflow of a recorded run, ready to plan, rehearse or apply with runWorkflow. */
export interface Rollback {
  /** The run it reverses. */
  run: RunRecord;
  /** `rollback of run <id>`: its nodes undo what the run applied, then mark its migrations rolled_back. */
  workflow: Workflow;
  /** The migrations the run recorded (MigrationNode), which the rollback records `rolled_back`. */
  migrations: string[];
  /**
   * The review findings the rollback expects and accepts: each drop of a table or column the run
   * added (DF801, DF802 on PostgreSQL). Pass them to runWorkflow's `review.waivers`.
   */
  waivers: LintWaiver[];
}

const short = (id: string) => id.slice(0, 8);

/** The run `target` names: a run id (or the start of one), else the migration of that name (the run that last recorded it). */
async function targetRun(db: Database, target: string): Promise<{ run: RunRecord; nodes: RunNodeRecord[] }> {
  if (/^[0-9a-f-]{4,36}$/.test(target)) {
    try {
      return await readRun(db, target);
    } catch (e) {
      if (!(e instanceof RunNotFoundError) || e.message.includes('more than one'))
        throw new RollbackRefused(e instanceof Error ? e.message : String(e));
    }
  }
  const migration = (await history(db)).find((m) => m.name === target);
  if (!migration)
    throw new RollbackRefused(
      `no run "${target}" and no migration "${target}" is recorded in this database (dataflow runs and dataflow history list them)`,
    );
  if (!migration.runId)
    throw new RollbackRefused(
      `migration "${target}" was recorded by no known run, so there is no record to roll back from`,
    );
  try {
    return await readRun(db, migration.runId);
  } catch (e) {
    if (!(e instanceof RunNotFoundError)) throw e;
    throw new RollbackRefused(
      `migration "${target}" was recorded by run ${short(migration.runId)}, whose record is not in this database (it ran before runs were recorded): there is nothing to roll back from`,
    );
  }
}

/** Node statuses whose changes are in the database: succeeded, or a data node stopped after committed batches. */
function appliedNodes(nodes: readonly RunNodeRecord[]): RunNodeRecord[] {
  return nodes.filter(
    (n) =>
      (n.status === 'succeeded' ||
        ((n.status === 'failed' || n.status === 'cancelled' || n.status === 'running') && n.rowsAffected > 0)) &&
      n.statements.some((s) => !s.notRun && !s.error),
  );
}

/** Reads each snapshot once. */
function snapshotReader(db: Database): (hash: string | null) => Promise<Schema | null> {
  const cache = new Map<string, Schema | null>();
  return async (hash) => {
    if (hash === null) return null;
    if (!cache.has(hash)) cache.set(hash, await readSnapshot(db, hash));
    return cache.get(hash)!;
  };
}

/** The run's applied schema changes, node by node. */
async function recordedChanges(
  nodes: readonly RunNodeRecord[],
  read: (hash: string | null) => Promise<Schema | null>,
): Promise<RecordedChange[]> {
  const out: RecordedChange[] = [];
  for (const n of nodes) {
    if (!n.schemaBefore || !n.schemaAfter || n.schemaBefore === n.schemaAfter) continue;
    const [before, after] = [await read(n.schemaBefore), await read(n.schemaAfter)];
    if (before && after) out.push({ nodeId: n.nodeId, before, after });
  }
  return out;
}

/** The tables a run changed (by its record), or an empty set when it changed none. */
async function tablesChanged(
  db: Database,
  run: RunRecord,
  read: (hash: string | null) => Promise<Schema | null>,
): Promise<{ tables: Set<string>; written: Set<string> }> {
  const { nodes } = await readRun(db, run.runId);
  const applied = appliedNodes(nodes);
  const written = new Set(
    applied.flatMap((n) => n.statements.flatMap((s) => (s.bookkeeping ? [] : (dataWriteTarget(s.sql)?.table ?? [])))),
  );
  const [before, after] = [await read(run.schemaBefore), await read(run.schemaAfter)];
  if (!before || !after) return { tables: new Set(), written };
  return { tables: reverseChanges(before, after, await recordedChanges(applied, read)).tables, written };
}

/**
 * Builds the rollback of the run `target` names (a run id or its start, or a migration name: the
 * run that last recorded that migration) on `db`. Reads only.
 *
 * Contract (the CLI's `dataflow rollback` and the editor's History "Roll back" use it alike):
 * - returns the reverse workflow; plan it (`runWorkflow(rollback.workflow, db, {mode: 'plan'})`)
 *   for the SQL preview, rehearse it, or apply it with `preflight`, `driftCheck` and
 *   `review: {config, waivers: [...rollback.waivers, ...the user's]}`; the apply is recorded as
 *   a run of its own, and the run's migrations end `rolled_back`;
 * - only what the run applied is reversed (a run that stopped part-way: the nodes before the stop);
 * - throws RollbackRefused (code `rollback_refused`) naming what is missing (node, object, why,
 *   fix: `missing`), the later run that changed the same tables (roll that one back first), a
 *   run rolled back already, or a run that changed nothing.
 */
export async function buildRollback(db: Database, target: string): Promise<Rollback> {
  const { run, nodes } = await targetRun(db, target);
  const id = short(run.runId);
  const all = await listRuns(db, 10_000);
  const done = rollbacksOf(all).get(run.runId);
  if (done)
    throw new RollbackRefused(
      `run ${id} (${run.workflow}) was rolled back already, by run ${short(done.runId)} at ${done.startedAt}`,
    );
  if (run.state === 'running')
    throw new RollbackRefused(
      `run ${id} (${run.workflow}) is still running (process ${run.pid ?? '?'} on ${run.host ?? '?'}); wait for it to end, or cancel it, then roll it back`,
    );
  const read = snapshotReader(db);
  const applied = appliedNodes(nodes);
  const changes = await recordedChanges(applied, read);
  const [before, after] = [await read(run.schemaBefore), await read(run.schemaAfter)];
  if (!before || !after)
    throw new RollbackRefused(
      `run ${id} (${run.workflow}) recorded no schema before and after it, so there is nothing to roll back from`,
    );

  const backups = await backupsOfRun(db, run.runId);
  const restore = (b: BackupRecord, column: string): WorkflowNode[] => {
    const { calculation, where } = restoreExpressions(db.dialect, b.backupId, b.table, b.keyColumn, column);
    return [
      {
        id: `restore_${b.table}_${column}`,
        type: 'DataBackfillNode',
        params: { table: b.table, update_field: column, calculation, where, backup_max_rows: 0 },
        position: { x: 0, y: 0 },
      },
    ];
  };
  const restorable: RestorableColumn[] = backups
    .filter((b) => b.kind === 'drop_column' || b.kind === 'alter_column_type')
    .flatMap((b) => b.columns.map((column) => ({ table: b.table, column, restore: () => restore(b, column) })));
  const reverse = reverseChanges(before, after, changes, restorable);
  const walked = backups.filter((b) => b.kind === 'backfill' || b.kind === 'copy');
  const data = overwrites(applied, reverse.nodes, before, after, walked);
  const missing = [...reverse.missing, ...data.missing];
  reverse.nodes.push(...data.restores.flatMap((r) => restore(r.backup, r.column)));
  if (missing.length > 0)
    throw new RollbackRefused(
      `run ${id} (${run.workflow}) cannot be rolled back: the data it needs is gone. ${missing.map(describeMissing).join('; ')}`,
      missing,
    );

  // A later run that changed the same tables, and is not rolled back itself, must be rolled back
  // first. The rollback of a later run (it undid that run) and the rollbacks of this one are no such run.
  const startedAt = new Map(all.map((r) => [r.runId, r.startedAt]));
  const rolledBack = new Set(all.filter((r) => r.status === 'succeeded').map((r) => rolledBackRun(r.workflow)));
  const undoesLater = (r: RunRecord) => {
    const target = rolledBackRun(r.workflow);
    return (
      target !== null &&
      (target === run.runId || (r.status === 'succeeded' && (startedAt.get(target) ?? '') > run.startedAt))
    );
  };
  const ownTables = new Set([
    ...reverse.tables,
    ...applied.flatMap((n) =>
      n.statements.flatMap((s) => (s.bookkeeping ? [] : (dataWriteTarget(s.sql)?.table ?? []))),
    ),
  ]);
  for (const later of all.filter((r) => r.startedAt > run.startedAt && r.nodesApplied > 0).reverse()) {
    if (undoesLater(later) || rolledBack.has(later.runId)) continue;
    const theirs = await tablesChanged(db, later, read);
    const shared = [...ownTables].filter((t) => theirs.tables.has(t) || theirs.written.has(t));
    if (shared.length > 0)
      throw new RollbackRefused(
        `run ${later.runId.slice(0, 8)} (${later.workflow}, ${later.startedAt}) changed ${shared.map((t) => `"${t}"`).join(', ')} after run ${id}, ` +
          `so rolling back ${id} first would undo what it depends on: roll back run ${later.runId.slice(0, 8)} first (dataflow rollback ${later.runId.slice(0, 8)})`,
      );
  }

  const migrations = (await history(db))
    .filter((m) => m.runId === run.runId && m.status !== 'rolled_back')
    .map((m) => m.name);
  if (reverse.nodes.length === 0 && migrations.length === 0)
    throw new RollbackRefused(
      `run ${id} (${run.workflow}) changed nothing in the schema: there is nothing to roll back`,
    );
  const marks: WorkflowNode[] = migrations.map((name, i) => ({
    id: `rolled_back_${i + 1}`,
    type: 'MigrationNode',
    params: { migration_name: name, status: 'rolled_back' },
    position: { x: 0, y: 0 },
  }));
  const workflow: Workflow = {
    format: 'dataflow-workflow',
    version: 1,
    name: rollbackName(run.runId),
    description: `Reverses run ${run.runId} (${run.workflow}, ${run.startedAt}, ${run.state}), built from its record.`,
    nodes: [...reverse.nodes, ...marks].map((n, i) => ({ ...n, position: { x: 0, y: i * 120 } })),
    connections: [],
  };
  const reason = `rollback of run ${id}: drops what that run added`;
  const waivers = reverse.drops.flatMap((node): LintWaiver[] => [
    { code: 'DF801', node, reason },
    { code: 'DF802', node, reason },
  ]);
  return { run, workflow, migrations, waivers };
}

/**
 * The data nodes of the run that overwrote values the rollback cannot bring back: those that
 * wrote a column the rollback does not drop (one the run added is dropped, and its values with it).
 */
function overwrites(
  applied: readonly RunNodeRecord[],
  reverse: readonly WorkflowNode[],
  before: Schema,
  after: Schema,
  backups: readonly BackupRecord[],
): { missing: MissingData[]; restores: { backup: BackupRecord; column: string }[] } {
  const restores: { backup: BackupRecord; column: string }[] = [];
  const dropped = new Set(
    reverse
      .filter((n) => n.params.operation === 'drop_column' || n.params.operation === 'drop_table')
      .map((n) =>
        n.params.operation === 'drop_table'
          ? `${String(n.params.table)}.`
          : `${String(n.params.table)}.${String(n.params.column_name)}`,
      ),
  );
  const missing: MissingData[] = [];
  for (const n of applied) {
    if (n.type !== 'DataBackfillNode' && n.type !== 'DataMigrationNode') continue;
    const targets = new Map<string, { columns: string[]; inserted: boolean }>();
    for (const s of n.statements) {
      const t = s.notRun || s.error || s.bookkeeping ? null : dataWriteTarget(s.sql);
      if (!t) continue;
      const seen = targets.get(t.table);
      targets.set(t.table, {
        columns: [...new Set([...(seen?.columns ?? []), ...t.columns])],
        inserted: (seen?.inserted ?? false) || t.kind === 'insert',
      });
    }
    for (const [table, { columns, inserted }] of targets) {
      const hadTable = before.tables.some((t) => t.name === table);
      if (inserted) {
        if (hadTable && !dropped.has(`${table}.`) && after.tables.some((t) => t.name === table))
          missing.push({
            node: n.nodeId,
            object: `table ${table}`,
            why: `${n.type} inserted ${n.rowsAffected} row(s) into it, which a rollback does not delete`,
            fix: 'delete the copied rows by hand and reverse the rest of the run by hand: a rollback cannot tell them from the rows that were there',
          });
        continue;
      }
      const overwritten = columns.filter((c) => hadTable && !dropped.has(`${table}.`) && !dropped.has(`${table}.${c}`));
      const lost = overwritten.filter((c) => {
        const backup = backups.find((b) => b.nodeId === n.nodeId && b.table === table && b.columns.includes(c));
        if (backup) restores.push({ backup, column: c });
        return !backup;
      });
      if (lost.length === 0 || !after.tables.some((t) => t.name === table)) continue;
      missing.push({
        node: n.nodeId,
        object: lost.map((c) => `column ${table}.${c}`).join(', '),
        why: `${n.type} overwrote ${n.rowsAffected} row(s) there, and no backup of the values before was kept`,
        fix: 'restore the values from a database backup, or keep a prior backup next time (on by default for data nodes below their size limit)',
      });
    }
  }
  return { missing, restores };
}

/** `node "x": column users.email: it was dropped ...; fix: ...`. */
export function describeMissing(m: MissingData): string {
  return `${m.node ? `node "${m.node}": ` : ''}${m.object}: ${m.why}; fix: ${m.fix}`;
}
