/** Planners of the column operations: add, drop, rename, change type, set and drop default. */
import { formatColumnType, parseColumnType, type ColumnType } from '../../../../shared/column-type.ts';
import { findColumn } from '../../../../shared/schema.ts';
import { chooseConstraintName } from '../../../../shared/schema-apply.ts';
import * as names from '../../plan-rules/names.ts';
import * as data from '../../plan-rules/data.ts';
import * as dependents from '../../plan-rules/dependents.ts';
import * as noChange from '../../plan-rules/no-change.ts';
import * as values from '../../plan-rules/values.ts';
import type { OperationPlan } from './context.ts';
import { MISSING_OBJECT, probe } from '../probe.ts';
import { rowsUpTo } from './probes.ts';
import { quoteIdent as qi, renderType } from '../render.ts';
import { onScratch, SCRATCH } from './scratch.ts';

export async function addColumn(ctx: OperationPlan<'add_column'>): Promise<void> {
  const t = names.table(ctx, ctx.p.table);
  const name = ctx.p.column_name;
  const type = ctx.type(ctx.p.column_type, 'column_type');
  if (!t || !names.columnFree(ctx, t, name, 'column_name') || !type) return;
  const def = await ctx.resolveDefault(ctx.p.default_value, type, 'default_value');
  if (ctx.p.default_value !== undefined && !def) return;
  const nullable = ctx.p.nullable ?? true;
  const rewrite = def !== undefined && !def.isNull && (!def.constant || ctx.version < 110000);
  let counted: Promise<number> | undefined;
  const rowsUpTo2 = () => (counted ??= rowsUpTo(ctx, 2));
  const fill = !def || def.isNull ? 'none' : def.constant ? 'constant' : 'per_row';
  await data.newColumnOnRows(ctx, t, { name, nullable, unique: ctx.p.unique ?? false, fill }, rowsUpTo2);
  if (ctx.failed()) return;
  const populated = rewrite && (await rowsUpTo2()) > 0;
  let sql = `ALTER TABLE ${ctx.t} ADD COLUMN ${qi(name)} ${renderType(type)}`;
  if (def && !def.isNull) sql += ` DEFAULT ${def.sql}`;
  if (!nullable) sql += ' NOT NULL';
  ctx.add(
    sql,
    rewrite
      ? `add column ${name} (rewrites the table: the default is evaluated per row)`
      : `add column ${name} (metadata only)`,
    {
      locking: true,
      reverse: `ALTER TABLE ${ctx.t} DROP COLUMN ${qi(name)}`,
    },
  );
  if (rewrite && populated) {
    ctx.warn(
      'DF701',
      'default_value',
      `the default of "${name}" is ${def?.constant ? 'not stored as a constant before PostgreSQL 11' : 'volatile'}: ADD COLUMN rewrites all of "${t.name}" ` +
        `(about ${t.rowEstimate} rows) under an ACCESS EXCLUSIVE lock. For a large table add the column without a default, backfill, then set_default`,
    );
  }
  ctx.patchDefault(name, def);
  if (ctx.p.unique) {
    const cname = chooseConstraintName(ctx.schema, t.name, 'unique', [name]);
    ctx.keySteps('unique', [name], cname, ctx.p.concurrently ?? false);
  }
}

export async function dropColumn(ctx: OperationPlan<'drop_column'>): Promise<void> {
  const t = names.table(ctx, ctx.p.table);
  const name = ctx.p.column_name;
  if (!t) return;
  if (!findColumn(t, name)) {
    if (ctx.p.if_exists) return names.nothingToDrop(ctx, `column "${name}" of table "${t.name}"`, 'column_name');
    return void names.column(ctx, t, name);
  }
  const action = `drop column "${name}" of "${t.name}"`;
  const readers = ctx.viewsReading(`${t.name}.${name}`).map((v) => `view "${v}"`);
  if (!dependents.noReaders(ctx, 'column_name', action, readers)) return;
  if (!dependents.noReferences(ctx, 'column_name', action, dependents.referencesTo(ctx.schema, t.name, name))) return;
  const goes = [
    ...t.constraints.filter((k) => k.columns.includes(name)).map((k) => `constraint "${k.name}"`),
    ...t.indexes.filter((i) => !i.constraintBacked && i.columns.includes(name)).map((i) => `index "${i.name}"`),
  ];
  if (goes.length > 0) ctx.warn('DF403', 'column_name', `dropping "${name}" also drops ${goes.join(', ')}`);
  ctx.add(`ALTER TABLE ${ctx.t} DROP COLUMN ${qi(name)}`, `drop column ${name} (its data is lost)`, {
    locking: true,
    destructive: true,
  });
}

export async function renameColumn(ctx: OperationPlan<'rename_column'>): Promise<void> {
  const t = names.table(ctx, ctx.p.table);
  if (!t) return;
  const c = names.column(ctx, t, ctx.p.column_name);
  const to = ctx.p.new_name;
  if (!c || !names.columnFree(ctx, t, to, 'new_name')) return;
  ctx.add(`ALTER TABLE ${ctx.t} RENAME COLUMN ${qi(c.name)} TO ${qi(to)}`, `rename column ${c.name} to ${to}`, {
    locking: true,
    reverse: `ALTER TABLE ${ctx.t} RENAME COLUMN ${qi(to)} TO ${qi(c.name)}`,
  });
}

export async function alterColumnType(ctx: OperationPlan<'alter_column_type'>): Promise<void> {
  const t = names.table(ctx, ctx.p.table);
  if (!t) return;
  const c = names.column(ctx, t, ctx.p.column_name);
  const type = ctx.type(ctx.p.column_type, 'column_type');
  const using = ctx.expression(ctx.p.using, 'using');
  if (!c || !type || (ctx.p.using !== undefined && !using)) return;
  const readers = ctx.viewsReading(`${t.name}.${c.name}`).map((v) => `view "${v}"`);
  if (!dependents.noReaders(ctx, 'column_name', `change the type of "${c.name}" of "${t.name}"`, readers)) return;
  const target = renderType(type);
  const usingSql = using ? ` USING ${using}` : '';
  const compiled = await onScratch(ctx.driver, t.columns, ctx.lockMs, () =>
    ctx.driver.query(`ALTER TABLE ${SCRATCH} ALTER COLUMN ${qi(c.name)} TYPE ${target}${usingSql}`),
  );
  if (!compiled.ok && compiled.rejected) {
    return ctx.report(
      values.notConvertible(using ? 'using' : 'column_type', c, type, compiled.message, using !== undefined),
    );
  }
  if (!compiled.ok)
    ctx.warn(
      'DF602',
      using ? 'using' : 'column_type',
      `the type change was checked only lexically (${compiled.message})`,
    );
  const source = using ?? qi(c.name);
  const long =
    type.length !== undefined && type.arrayDims === 0
      ? `count(*) FILTER (WHERE char_length(CAST(${source} AS text)) > ${type.length})::int`
      : '0';
  const r = await probe<{ long: number }>(
    ctx.driver,
    `SELECT count(CAST(${source} AS ${target})) AS n, ${long} AS long FROM ${ctx.t}`,
    [],
    ctx.lockMs,
  );
  const field = using ? 'using' : 'column_type';
  if (!r.ok && r.code === '55P03')
    ctx.warn('DF309', field, `could not check the values of "${c.name}": another session holds a lock on "${t.name}"`);
  else if (!r.ok && !MISSING_OBJECT.has(r.code ?? '')) {
    ctx.warn(
      'DF209',
      field,
      `existing values of "${c.name}" would not convert to ${formatColumnType(type)}: ${r.message}. The change will fail; fix the data or give a using expression`,
    );
  } else if (r.ok && (r.value[0]?.long ?? 0) > 0) {
    ctx.warn(
      'DF209',
      field,
      `${r.value[0]!.long} value(s) of "${c.name}" are longer than ${type.length} characters: the change will fail. Shorten them first or choose a longer type`,
    );
  }
  const rewrite = !binaryCompatible(c.type, type) || using !== undefined;
  ctx.add(
    `ALTER TABLE ${ctx.t} ALTER COLUMN ${qi(c.name)} TYPE ${target}${usingSql}`,
    `change the type of ${c.name} to ${formatColumnType(type)}${rewrite ? ' (rewrites the table and its indexes)' : ' (no rewrite)'}`,
    { locking: true },
  );
  if (rewrite && (await rowsUpTo(ctx, 1)) > 0) {
    ctx.warn(
      'DF702',
      'column_type',
      `changing "${c.name}" to ${formatColumnType(type)} rewrites "${t.name}" (about ${t.rowEstimate} rows) and its indexes under an ACCESS EXCLUSIVE lock`,
    );
  }
}

export async function setDefault(ctx: OperationPlan<'set_default'>): Promise<void> {
  const t = names.table(ctx, ctx.p.table);
  if (!t) return;
  const c = names.column(ctx, t, ctx.p.column_name);
  if (!c) return;
  const parsed = parseColumnType(c.type);
  if (!parsed.ok)
    return ctx.error(
      'DF208',
      'column_name',
      `column "${c.name}" has type ${c.type}, outside the type grammar; its default cannot be checked`,
    );
  const def = await ctx.resolveDefault(ctx.p.default_value, parsed.type, 'default_value');
  if (!def) return;
  const reverse =
    c.default === null
      ? `ALTER TABLE ${ctx.t} ALTER COLUMN ${qi(c.name)} DROP DEFAULT`
      : `ALTER TABLE ${ctx.t} ALTER COLUMN ${qi(c.name)} SET DEFAULT ${c.default}`;
  ctx.add(
    def.isNull
      ? `ALTER TABLE ${ctx.t} ALTER COLUMN ${qi(c.name)} DROP DEFAULT`
      : `ALTER TABLE ${ctx.t} ALTER COLUMN ${qi(c.name)} SET DEFAULT ${def.sql}`,
    `set the default of ${c.name} (new rows only; existing rows keep their values)`,
    { locking: true, reverse },
  );
  ctx.patchDefault(c.name, def);
}

export async function dropDefault(ctx: OperationPlan<'drop_default'>): Promise<void> {
  const t = names.table(ctx, ctx.p.table);
  if (!t) return;
  const c = names.column(ctx, t, ctx.p.column_name);
  if (!c) return;
  if (c.default === null) noChange.noDefault(ctx, c.name);
  ctx.add(`ALTER TABLE ${ctx.t} ALTER COLUMN ${qi(c.name)} DROP DEFAULT`, `drop the default of ${c.name}`, {
    locking: true,
    ...(c.default === null
      ? {}
      : { reverse: `ALTER TABLE ${ctx.t} ALTER COLUMN ${qi(c.name)} SET DEFAULT ${c.default}` }),
  });
}

/** Whether ALTER TYPE from `from` to `to` keeps the stored bytes (no table rewrite). */
function binaryCompatible(from: string, to: ColumnType): boolean {
  const parsed = parseColumnType(from);
  if (!parsed.ok || parsed.type.arrayDims !== to.arrayDims) return false;
  const f = parsed.type;
  if (formatColumnType(f) === formatColumnType(to)) return true;
  const textual = (b: string) => b === 'varchar' || b === 'text';
  if (textual(f.base) && textual(to.base))
    return to.length === undefined || (f.base === 'varchar' && f.length !== undefined && to.length >= f.length);
  if (f.base === 'numeric' && to.base === 'numeric')
    return (
      to.precision === undefined || (f.precision !== undefined && to.precision >= f.precision && to.scale === f.scale)
    );
  return false;
}
