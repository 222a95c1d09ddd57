/**
 * DataMigrationNode: copies columns within a table (`UPDATE t SET target = source`) or into
 * another table (`INSERT INTO target (...) SELECT ... FROM source`), in batches over the
 * source's primary key (or unique NOT NULL column), each batch and its checkpoint one atomic
 * unit (checkpointed-walk.ts), so a stopped copy resumes after its last committed batch. Also
 * holds what DataBackfillNode shares with it: the table, key and expression checks and the
 * plan-mode reading of live rows.
 */
import { findColumn, findTable, type Table } from '../../../shared/schema.ts';
import { BATCH_TARGET_MS, type DataMigrationParams } from '../../../shared/nodes/data.ts';
import { checkCalculation } from '../../db/expression-check.ts';
import { holdsRowsSql, specHash, type CheckpointKey } from '../../db/backfill-checkpoint.ts';
import {
  chooseBatchKey,
  copyAcrossBatchSql,
  copyWithinBatchSql,
  nullKeySql,
  probeSql,
  type BatchKey,
} from '../../db/data-sql.ts';
import { DatabaseError } from '../../db/driver.ts';
import { NodeFailure, type Executor, type NodeContext } from '../types.ts';
import {
  CheckpointedWalk,
  planCheckpointedWalk,
  readCheckpoint,
  type CheckpointedWalkSpec,
  type SavedCheckpoint,
} from './checkpointed-walk.ts';
import { walkBackup } from './prior-backup.ts';

export async function requireTable(ctx: NodeContext, name: string, field: string): Promise<Table> {
  const table = findTable(await ctx.schema(), name);
  if (!table)
    throw new NodeFailure(
      `${field}: table "${name}" does not exist; check the name, or create the table earlier in the workflow`,
      field,
    );
  return table;
}

/** The key to walk by; refuses a table without a primary key or unique NOT NULL column. */
export async function requireKey(ctx: NodeContext, table: Table, field: string, readable: boolean): Promise<BatchKey> {
  const key = chooseBatchKey(table);
  if (!key) {
    throw new NodeFailure(
      `${field}: table "${table.name}" has no primary key and no unique NOT NULL column, so it cannot be walked in batches; ` +
        'add a primary key (or a unique NOT NULL column) first',
      field,
    );
  }
  if (key.nullable && readable) {
    const { rows } = await ctx.query(nullKeySql(ctx.db.dialect, table.name, key));
    if (rows.length > 0) {
      throw new NodeFailure(
        `${field}: key column "${key.column}" of table "${table.name}" holds NULLs, so a batch walk would skip those rows; fill them or declare the key NOT NULL`,
        field,
      );
    }
  }
  return key;
}

/** Checks user SQL text (`calculation`, `where`) before anything runs. */
export async function requireExpression(ctx: NodeContext, field: string, text: string): Promise<void> {
  const check = await checkCalculation(ctx.db.dialect, text);
  if (!check.ok) throw new NodeFailure(`${field}: ${check.error}; write one SQL expression over the row`, field);
}

/** Runs a read that prepares user SQL against the table; a database error names the field. */
export async function probe(ctx: NodeContext, sql: string, field: string): Promise<void> {
  try {
    await ctx.query(sql);
  } catch (e) {
    if (e instanceof DatabaseError)
      throw new NodeFailure(`${field}: the database rejects it: ${e.message}`, field, e.code);
    throw e;
  }
}

/**
 * Whether the table's rows can be read now: always in apply and rehearse; in plan mode only when
 * the live table already has every column the planned one has (an earlier node may add them).
 */
export async function rowsReadable(ctx: NodeContext, planned: Table): Promise<boolean> {
  if (ctx.mode !== 'plan') return true;
  const live = findTable(await ctx.db.dialect.introspect(ctx.db.driver), planned.name);
  return !!live && planned.columns.every((c) => findColumn(live, c.name));
}

function mappingProblems(
  source: Table,
  target: Table,
  mapping: [string, string][],
  key: BatchKey | null,
): string | null {
  const seen = new Set<string>();
  for (const [from, to] of mapping) {
    if (!findColumn(source, from)) return `source column "${from}" is not in table "${source.name}"`;
    if (!findColumn(target, to))
      return `target column "${to}" is not in table "${target.name}"; add it first (SchemaModificationNode add_column)`;
    if (seen.has(to)) return `target column "${to}" is written twice; map each target column once`;
    seen.add(to);
    if (source.name === target.name && key && to === key.column)
      return `target column "${to}" is the key the copy walks by; copy into another column`;
  }
  return null;
}

/**
 * Where a cross-table copy starts. Walking again from the first key inserts what an earlier run
 * copied a second time, so a copy whose checkpoint cannot be resumed (finished, or it walked
 * another key column) and recorded copied rows is refused while `target` holds rows; emptied
 * (say, truncated), it copies everything again. An unfinished copy whose target was emptied
 * starts again too, rather than resume past rows that are no longer there.
 */
async function copyAcrossStart(
  ctx: NodeContext,
  saved: SavedCheckpoint,
  source: string,
  target: string,
): Promise<SavedCheckpoint> {
  const { state, resume } = saved;
  if (!state || state.rowsDone === 0) return saved;
  const d = ctx.db.dialect;
  const exists = d.existingTablesSql([target]);
  const holdsRows =
    (await ctx.query(exists.sql, exists.params)).rows.length > 0 &&
    (await ctx.query(holdsRowsSql(d, target))).rows.length > 0;
  if (holdsRows && !resume) {
    const why = state.finished ? 'already finished' : 'cannot resume';
    const note = state.finished
      ? ''
      : ` (its checkpoint walked "${state.keyColumn}", which is no longer the key of "${source}")`;
    throw new NodeFailure(
      `target_table: this copy of "${source}" into "${target}" ${why} after copying ${state.rowsDone} rows${note}, and "${target}" still holds rows: ` +
        `running it again would insert them a second time; empty "${target}" (e.g. DELETE or TRUNCATE) to copy everything again, ` +
        'or change where to copy only the rows it does not hold yet',
      'target_table',
    );
  }
  if (!holdsRows && resume) {
    ctx.warn(
      `"${target}" is empty although the checkpoint of this copy records ${state.rowsDone} rows copied into it; copying again from the first key`,
    );
    return { ...saved, resume: null };
  }
  return saved;
}

export const dataMigrationExecutor: Executor<DataMigrationParams> = {
  async run(ctx) {
    const p = ctx.params;
    const d = ctx.db.dialect;
    const startedAt = performance.now();
    const source = await requireTable(ctx, p.source_table, 'source_table');
    const target = p.target_table === p.source_table ? source : await requireTable(ctx, p.target_table, 'target_table');
    const mapping = Object.entries(p.field_mapping);
    const early = mappingProblems(source, target, mapping, chooseBatchKey(source));
    if (early) throw new NodeFailure(`field_mapping: ${early}`, 'field_mapping');
    if (p.where !== undefined) await requireExpression(ctx, 'where', p.where);
    const where = p.where ?? null;
    const readable = await rowsReadable(ctx, source);
    const key = await requireKey(ctx, source, 'source_table', readable);
    if (readable && where) await probe(ctx, probeSql(d, source.name, null, where), 'where');
    const within = source === target;
    const sortedMapping = JSON.stringify([...mapping].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const checkpoint: CheckpointKey = {
      workflow: ctx.workflow.name,
      nodeId: ctx.node.id,
      table: source.name,
      updateField: target.name,
      specHash: specHash('copy', target.name, sortedMapping, where ?? ''),
    };
    const read = await readCheckpoint(ctx, checkpoint, key.column, 'copy');
    const saved = within ? read : await copyAcrossStart(ctx, read, source.name, target.name);
    if (saved.keyChanged) ctx.warn(saved.keyChanged);
    const spec: CheckpointedWalkSpec = {
      table: source,
      key,
      where,
      batchSize: p.batch_size,
      targetMs: p.batch_target_ms ?? BATCH_TARGET_MS,
      checkpoint,
      statement: (range) =>
        within
          ? copyWithinBatchSql(d, source, mapping, range, p.where)
          : copyAcrossBatchSql(d, source.name, target, mapping, range, p.where),
      label: within
        ? `copy ${mapping.map(([s, t]) => `${s} -> ${t}`).join(', ')} in "${source.name}"`
        : `copy "${source.name}" into "${target.name}"`,
      field: 'field_mapping',
      locked: target.name,
    };
    // A same-table copy overwrites its target columns: their old values are backed up. A copy
    // into another table inserts new rows and overwrites nothing.
    if (within) {
      const columns = [...new Set(mapping.map(([, t]) => t))];
      spec.backup = {
        columns,
        make: (total, resuming) =>
          walkBackup(
            ctx,
            source,
            key.column,
            columns,
            'copy',
            JSON.stringify(checkpoint),
            total,
            resuming,
            p.backup_max_rows,
          ),
      };
    }

    if (ctx.mode === 'plan') {
      const planned = await planCheckpointedWalk(ctx, spec, saved, readable);
      return {
        rows_copied: 0,
        rows_to_copy: planned.total,
        batches_estimated: planned.batches,
        key_column: key.column,
        resumed: saved.resume !== null,
      };
    }

    const run = await CheckpointedWalk.start(ctx, spec, saved);
    await run.complete(0);
    return { rows_copied: run.rows, ...run.summary(startedAt) };
  },
};
