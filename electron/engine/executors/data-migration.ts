/**
 * DataMigrationNode: copies columns within a table (`UPDATE t SET target = source`) or into
 * another table (`INSERT INTO target (...) SELECT ... FROM source`), in batches over the
 * source's primary key (or unique NOT NULL column), each batch its own atomic unit (the walk:
 * batch-walk.ts). Also holds what DataBackfillNode shares with it: table/key/expression checks,
 * the plan-mode reading of live rows, the progress meter and the pause between batches.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { findColumn, findTable, type Table } from '../../../shared/schema.ts';
import type { Progress } from '../../../shared/run.ts';
import type { DataMigrationParams } from '../../../shared/nodes/data.ts';
import { checkCalculation } from '../../db/expression-check.ts';
import { chooseBatchKey, copyAcrossBatchSql, copyWithinBatchSql, nullKeySql, probeSql, type BatchKey, type BatchRange } from '../../db/data-sql.ts';
import { DatabaseError } from '../../db/driver.ts';
import { NodeFailure, type Executor, type NodeContext } from '../types.ts';
import { BatchWalk, planFirstRange } from './batch-walk.ts';

export async function requireTable(ctx: NodeContext, name: string, field: string): Promise<Table> {
  const table = findTable(await ctx.schema(), name);
  if (!table) throw new NodeFailure(`${field}: table "${name}" does not exist; check the name, or create the table earlier in the workflow`, field);
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
      throw new NodeFailure(`${field}: key column "${key.column}" of table "${table.name}" holds NULLs, so a batch walk would skip those rows; fill them or declare the key NOT NULL`, field);
    }
  }
  return key;
}

/** Checks user SQL text (`calculation`, `where`) before anything runs. */
export async function requireExpression(ctx: NodeContext, field: string, text: string): Promise<void> {
  const check = await checkCalculation(ctx.db.dialect.name, text);
  if (!check.ok) throw new NodeFailure(`${field}: ${check.error}; write one SQL expression over the row`, field);
}

/** Runs a read that prepares user SQL against the table; a database error names the field. */
export async function probe(ctx: NodeContext, sql: string, field: string): Promise<void> {
  try {
    await ctx.query(sql);
  } catch (e) {
    if (e instanceof DatabaseError) throw new NodeFailure(`${field}: the database rejects it: ${e.message}`, field, e.code);
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

/** Rows done / total, rows per second since the meter started, and the ETA. */
export class BatchMeter {
  private readonly startedAt = performance.now();

  constructor(
    private readonly total: number,
    private readonly startDone: number,
  ) {}

  at(done: number, message?: string): Progress {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? (done - this.startDone) / seconds : 0;
    const total = Math.max(this.total, done);
    const progress: Progress = {
      done,
      total,
      rowsPerSecond: Math.round(rate * 10) / 10,
      etaSeconds: rate > 0 ? Math.round(((total - done) / rate) * 10) / 10 : null,
    };
    if (message !== undefined) progress.message = message;
    return progress;
  }
}

/** Waits `ms` between batches; a cancellation ends the wait at once and throws. */
export async function pauseBetweenBatches(ctx: NodeContext, ms: number): Promise<void> {
  if (ms > 0) {
    try {
      await sleep(ms, undefined, { signal: ctx.signal });
    } catch (e) {
      if ((e as Error).name !== 'AbortError') throw e;
    }
  }
  ctx.throwIfCancelled();
}

/** A failed batch as a NodeFailure saying what was committed before it. */
export function batchFailure(e: unknown, batch: number, committed: string, field: string): unknown {
  if (!(e instanceof DatabaseError)) return e;
  return new NodeFailure(`batch ${batch} failed: ${e.message}; ${committed}`, field, e.code);
}

function mappingProblems(source: Table, target: Table, mapping: [string, string][], key: BatchKey | null): string | null {
  const seen = new Set<string>();
  for (const [from, to] of mapping) {
    if (!findColumn(source, from)) return `source column "${from}" is not in table "${source.name}"`;
    if (!findColumn(target, to)) return `target column "${to}" is not in table "${target.name}"; add it first (SchemaModificationNode add_column)`;
    if (seen.has(to)) return `target column "${to}" is written twice; map each target column once`;
    seen.add(to);
    if (source.name === target.name && key && to === key.column) return `target column "${to}" is the key the copy walks by; copy into another column`;
  }
  return null;
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
    const within = source === target;
    const batchStatement = (range: BatchRange) =>
      within ? copyWithinBatchSql(d, source.name, mapping, range, p.where) : copyAcrossBatchSql(d, source.name, target.name, mapping, range, p.where);
    const what = within ? `copy ${mapping.map(([s, t]) => `${s} -> ${t}`).join(', ')} in "${source.name}"` : `copy "${source.name}" into "${target.name}"`;

    if (ctx.mode === 'plan') {
      if (readable && where) await probe(ctx, probeSql(d, source.name, null, where), 'where');
      const first = await planFirstRange(ctx, source, key, where, p.batch_size, readable);
      await ctx.execute([
        {
          sql: batchStatement(first.range),
          comment: `${what}, batch 1 of about ${first.batches} (${first.total} rows): repeats for each batch of ${p.batch_size} "${key.column}" keys, each batch its own transaction`,
          transactional: true,
        },
      ]);
      return { rows_copied: 0, rows_to_copy: first.total, batches_estimated: first.batches, key_column: key.column };
    }

    if (where) await probe(ctx, probeSql(d, source.name, null, where), 'where');
    const walk = await BatchWalk.start(ctx, source.name, key, where, p.batch_size, null);
    const meter = new BatchMeter(walk.total, 0);
    ctx.progress(meter.at(0));
    let copied = 0;
    let batches = 0;
    for (;;) {
      ctx.throwIfCancelled();
      const batch = await walk.next();
      if (!batch) break;
      const { range, upper } = batch;
      const step = {
        sql: batchStatement(range),
        comment: `${what}, batch ${batches + 1}: "${key.column}" ${range.last ? `> ${range.last.text} and ` : ''}<= ${upper.text}`,
        transactional: true,
      };
      let rows: number | null;
      try {
        rows = await walk.write(batch, () => ctx.execute([step]));
      } catch (e) {
        throw batchFailure(e, batches + 1, `the ${batches} batches before it (${copied} rows) are committed`, 'field_mapping');
      }
      if (rows === null) continue;
      copied += rows;
      batches++;
      ctx.progress(meter.at(copied));
    }
    return { rows_copied: copied, batches, duration_ms: Math.round(performance.now() - startedAt), key_column: key.column };
  },
};
