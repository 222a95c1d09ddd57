/** Planners of the index and table operations: create/drop index, create/drop/rename table. */
import type { ColumnType } from '../../../shared/column-type.ts';
import type { ColumnSpec } from '../../../shared/nodes/schema-modification.ts';
import { applySchemaChange, chooseConstraintName } from '../../../shared/schema-apply.ts';
import { findTable, type Table } from '../../../shared/schema.ts';
import { constraintBody, indexSql } from './ddl-text.ts';
import type { Default, PlanContext } from './plan-context.ts';
import { modelLiteral } from './plan-literals.ts';
import { quoteIdent as qi, renderType } from './render.ts';
import { onScratch, SCRATCH } from './scratch.ts';

export async function createIndex(ctx: PlanContext): Promise<void> {
  const t = ctx.table();
  if (!t) return;
  const cols = ctx.keyColumns(t);
  const where = ctx.expression(ctx.p.where, 'where');
  if (!cols || (ctx.p.where !== undefined && !where)) return;
  if (cols.length === 0) return ctx.error('columns', 'columns is required for create_index');
  const name = ctx.p.index_name ?? chooseConstraintName(ctx.schema, t.name, 'index', cols);
  ctx.model = { ...ctx.model, index_name: name };
  if (!ctx.nameFree(name, 'index_name')) return;
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
      return ctx.error('where', `the index WHERE is not valid on "${t.name}": ${compiled.message}`);
    if (!compiled.ok) ctx.warn('where', `the index WHERE was checked only lexically (${compiled.message})`);
    const canonical = compiled.ok ? compiled.value : undefined;
    if (canonical)
      ctx.patches.push((after) => {
        const i = findTable(after, t.name)?.indexes.find((x) => x.name === name);
        if (i) i.where = canonical;
      });
  }
  if (ctx.p.unique && ctx.probeData) {
    const dup = await ctx.duplicate(cols, where);
    if (dup)
      return ctx.error(
        'columns',
        `cannot create unique index "${name}": the value ${dup.value} appears ${dup.n} times in "${t.name}"${where ? ' (within the WHERE)' : ''}; remove the duplicates first`,
      );
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

export async function dropIndex(ctx: PlanContext): Promise<void> {
  const t = ctx.table();
  const name = ctx.p.index_name;
  if (!t || !name) return;
  const owner = ctx.schema.tables.find((x) => x.indexes.some((i) => i.name === name));
  if (!owner) {
    if (ctx.p.if_exists) return ctx.warn('index_name', `index "${name}" does not exist; nothing to drop`);
    const names = t.indexes.map((i) => i.name);
    return ctx.error(
      'index_name',
      `index "${name}" does not exist${names.length ? `; the indexes of "${t.name}" are: ${names.join(', ')}` : ''}`,
    );
  }
  if (owner.name !== t.name)
    return ctx.error(
      'index_name',
      `index "${name}" belongs to table "${owner.name}", not "${t.name}"; fix table or index_name`,
    );
  const idx = t.indexes.find((i) => i.name === name)!;
  if (idx.constraintBacked)
    return ctx.error('index_name', `index "${name}" backs constraint "${name}"; use drop_constraint`);
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

export async function createTable(ctx: PlanContext): Promise<void> {
  const name = ctx.p.table;
  const specs = (ctx.p.columns ?? []).filter((c): c is ColumnSpec => typeof c === 'object');
  if (specs.length === 0) return ctx.error('columns', 'create_table needs columns as [{"name", "type", ...}]');
  if (!ctx.nameFree(name, 'table')) return;
  const seen = new Set<string>();
  const types = new Map<string, ColumnType>();
  for (const c of specs) {
    if (seen.has(c.name)) ctx.error('columns', `column "${c.name}" appears twice`);
    seen.add(c.name);
    const type = ctx.type(c.type, 'columns', `column "${c.name}": `);
    if (type) types.set(c.name, type);
  }
  const flagged = specs.filter((c) => c.primary_key).map((c) => c.name);
  if (ctx.p.primary_key && flagged.some((c) => !ctx.p.primary_key!.includes(c))) {
    ctx.error(
      'primary_key',
      `primary_key ${JSON.stringify(ctx.p.primary_key)} disagrees with the columns marked primary_key (${flagged.join(', ')}); use one or the other`,
    );
  }
  const pk = ctx.p.primary_key ?? flagged;
  for (const c of pk) if (!seen.has(c)) ctx.error('primary_key', `primary_key column "${c}" is not one of the columns`);
  if (ctx.failed()) return;
  const defaults = new Map<string, Default>();
  for (const c of specs) {
    if (c.default_value === undefined) continue;
    const d = await ctx.resolveDefault(c.default_value, types.get(c.name)!, 'columns', `column "${c.name}": `);
    if (d) defaults.set(c.name, d);
    if (!c.nullable && d?.isNull)
      ctx.error('columns', `column "${c.name}" is NOT NULL but its default is null; remove one or the other`);
  }
  if (ctx.failed()) return;
  let after: Table | undefined;
  try {
    after = findTable(applySchemaChange(ctx.schema, ctx.p, { literal: modelLiteral }), name);
  } catch (e) {
    return ctx.error(undefined, (e as Error).message);
  }
  const lines = specs.map((c) => {
    const d = defaults.get(c.name);
    return `  ${qi(c.name)} ${renderType(types.get(c.name)!)}${d && !d.isNull ? ` DEFAULT ${d.sql}` : ''}${c.nullable ? '' : ' NOT NULL'}`;
  });
  for (const k of after?.constraints ?? []) lines.push(`  CONSTRAINT ${qi(k.name)} ${constraintBody(k)}`);
  ctx.add(`CREATE TABLE ${qi(name)} (\n${lines.join(',\n')}\n)`, `create table ${name}`, {
    reverse: `DROP TABLE ${qi(name)}`,
  });
  for (const [col, d] of defaults) ctx.patchDefault(col, d, name);
}

export async function dropTable(ctx: PlanContext): Promise<void> {
  const name = ctx.p.table;
  if (!findTable(ctx.schema, name)) {
    if (ctx.p.if_exists) return ctx.warn('table', `table "${name}" does not exist; nothing to drop`);
    return void ctx.table();
  }
  const views = ctx.viewsReading(name);
  if (views.length > 0)
    return ctx.error(
      'table',
      `cannot drop table "${name}": view${views.length > 1 ? 's' : ''} ${views.map((v) => `"${v}"`).join(', ')} read${views.length > 1 ? '' : 's'} it; drop the view first`,
    );
  const fks = ctx.referencing(name).filter((r) => r.table !== name);
  for (const fk of fks)
    ctx.error(
      'table',
      `cannot drop table "${name}": foreign key "${fk.constraint.name}" of table "${fk.table}" references it; drop that constraint first`,
    );
  if (fks.length > 0) return;
  ctx.add(`DROP TABLE ${qi(name)}`, `drop table ${name} with its rows, indexes and triggers`, {
    locking: true,
    destructive: true,
  });
}

export async function renameTable(ctx: PlanContext): Promise<void> {
  const t = ctx.table();
  const to = ctx.p.new_name;
  if (!t || !to) return;
  if (!ctx.nameFree(to, 'new_name')) return;
  ctx.add(
    `ALTER TABLE ${ctx.t} RENAME TO ${qi(to)}`,
    `rename table ${t.name} to ${to} (its indexes and constraints keep their names)`,
    {
      locking: true,
      reverse: `ALTER TABLE ${qi(to)} RENAME TO ${ctx.t}`,
    },
  );
}
