/** Planners of the index operations: create_index (unique, partial, concurrently) and drop_index. */
import { chooseConstraintName } from '../../../../shared/schema-apply.ts';
import { findTable } from '../../../../shared/schema.ts';
import { quoteIdent as qi } from '../render.ts';
import * as names from '../../plan-rules/names.ts';
import * as data from '../../plan-rules/data.ts';
import * as values from '../../plan-rules/values.ts';
import type { OperationPlan } from './context.ts';
import { indexSql } from './ddl-text.ts';
import { duplicates } from './probes.ts';
import { onScratch, SCRATCH } from './scratch.ts';

export async function createIndex(ctx: OperationPlan<'create_index'>): Promise<void> {
  const t = names.table(ctx, ctx.p.table);
  if (!t) return;
  const cols = ctx.p.columns;
  const where = ctx.expression(ctx.p.where, 'where');
  if (!names.columns(ctx, t, cols, 'columns') || (ctx.p.where !== undefined && !where)) return;
  const name = ctx.p.index_name ?? chooseConstraintName(ctx.schema, t.name, 'index', cols);
  ctx.model = { ...ctx.model, index_name: name };
  if (!names.nameFree(ctx, name, 'index_name')) return;
  const list = cols.map(qi).join(', ');
  if (where) {
    const compiled = await onScratch(ctx.driver, t.columns, ctx.lockMs, async () => {
      await ctx.driver.query(`CREATE INDEX dataflow_scratch_index ON ${SCRATCH} (${list}) WHERE ${where}`);
      const { rows } = await ctx.driver.query<{ where: string }>(
        `SELECT pg_get_expr(indpred, indrelid) AS where FROM pg_index WHERE indexrelid = 'pg_temp.dataflow_scratch_index'::regclass`,
      );
      return rows[0]?.where;
    });
    if (!compiled.ok && compiled.rejected)
      return ctx.report(values.invalidExpression('where', 'the index WHERE', t.name, compiled.message));
    if (!compiled.ok) ctx.warn('DF602', 'where', `the index WHERE was checked only lexically (${compiled.message})`);
    const canonical = compiled.ok ? compiled.value : undefined;
    if (canonical)
      ctx.patches.push((after) => {
        const i = findTable(after, t.name)?.indexes.find((x) => x.name === name);
        if (i) i.where = canonical;
      });
  }
  if (ctx.p.unique && ctx.probeData) {
    const dups = await duplicates(ctx, cols, where);
    if (!data.noDuplicates(ctx, 'columns', `create unique index "${name}"`, t, cols, dups, where !== undefined)) return;
  }
  const conc = ctx.p.concurrently ?? false;
  const n = qi(name);
  ctx.add(
    `CREATE ${ctx.p.unique ? 'UNIQUE ' : ''}INDEX${conc ? ' CONCURRENTLY' : ''} ${n} ON ${ctx.t} (${list})${where ? ` WHERE ${where}` : ''}`,
    conc
      ? `create index ${name} without blocking writes (cannot run in a transaction; if it fails, drop the INVALID index ${name})`
      : `create index ${name} (SHARE lock: reads continue, writes wait until it is built)`,
    conc
      ? { transactional: false, reverse: `DROP INDEX CONCURRENTLY IF EXISTS ${n}` }
      : { locking: true, reverse: `DROP INDEX ${n}` },
  );
}

export async function dropIndex(ctx: OperationPlan<'drop_index'>): Promise<void> {
  const t = names.table(ctx, ctx.p.table);
  const name = ctx.p.index_name;
  if (!t) return;
  const idx = names.indexToDrop(ctx, t, name, ctx.p.if_exists ?? false);
  if (!idx) return;
  const conc = ctx.p.concurrently ?? false;
  ctx.add(
    `DROP INDEX${conc ? ' CONCURRENTLY' : ''} ${qi(name)}`,
    conc ? `drop index ${name} without blocking (cannot run in a transaction)` : `drop index ${name}`,
    {
      destructive: true,
      reverse: idx.sql ?? indexSql(idx),
      ...(conc ? { transactional: false } : { locking: true }),
    },
  );
}
