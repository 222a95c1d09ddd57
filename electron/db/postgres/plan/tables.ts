/** Planners of the table operations: create_table, drop_table, rename_table. */
import type { ColumnType } from '../../../../shared/column-type.ts';
import { applySchemaChange } from '../../../../shared/schema-apply.ts';
import { findTable, type Table } from '../../../../shared/schema.ts';
import * as names from '../../plan-rules/names.ts';
import * as dependents from '../../plan-rules/dependents.ts';
import { identityProblems, numbered } from '../../plan-rules/identity.ts';
import { constraintBody } from './ddl-text.ts';
import type { Default, OperationPlan } from './context.ts';
import { modelLiteral } from './values.ts';
import { identityText, quoteIdent as qi, renderType } from '../render.ts';

export async function createTable(ctx: OperationPlan<'create_table'>): Promise<void> {
  const name = ctx.p.table;
  const specs = ctx.p.columns;
  if (!names.nameFree(ctx, name, 'table')) return;
  names.newTableColumns(ctx, specs, ctx.p.primary_key);
  specs.forEach((c, i) => names.notSystemColumn(ctx, c.name, `columns.${i}.name`));
  const types = new Map<string, ColumnType>();
  const identities = new Set<string>();
  for (const c of specs) {
    const type = ctx.type(c.type, 'columns', `column "${c.name}": `);
    if (!type) continue;
    types.set(c.name, type);
    const column = { identity: c.identity, typeText: c.type, type, hasDefault: c.default_value !== undefined };
    const fields = { identity: 'columns', type: 'columns', default: 'columns' };
    for (const problem of identityProblems(column, fields, identityText(type), `column "${c.name}": `))
      ctx.report(problem);
    if (numbered(column)) identities.add(c.name);
  }
  if (ctx.failed()) return;
  const defaults = new Map<string, Default>();
  for (const c of specs) {
    if (c.default_value === undefined) continue;
    const d = await ctx.resolveDefault(c.default_value, types.get(c.name)!, 'columns', `column "${c.name}": `);
    if (d) defaults.set(c.name, d);
    if (!c.nullable && d?.isNull)
      ctx.error('DF204', 'columns', `column "${c.name}" is NOT NULL but its default is null; remove one or the other`);
  }
  if (ctx.failed()) return;
  let after: Table | undefined;
  try {
    after = findTable(applySchemaChange(ctx.schema, ctx.p, { literal: modelLiteral }), name);
  } catch (e) {
    return ctx.error('DF901', undefined, (e as Error).message);
  }
  const lines = specs.map((c) => {
    if (identities.has(c.name)) return `  ${qi(c.name)} ${identityText(types.get(c.name)!)}`;
    const d = defaults.get(c.name);
    return `  ${qi(c.name)} ${renderType(types.get(c.name)!)}${d && !d.isNull ? ` DEFAULT ${d.sql}` : ''}${c.nullable ? '' : ' NOT NULL'}`;
  });
  for (const k of after?.constraints ?? []) lines.push(`  CONSTRAINT ${qi(k.name)} ${constraintBody(k)}`);
  ctx.add(`CREATE TABLE ${qi(name)} (\n${lines.join(',\n')}\n)`, `create table ${name}`, {
    reverse: `DROP TABLE ${qi(name)}`,
  });
  for (const [col, d] of defaults) ctx.patchDefault(col, d, name);
}

export async function dropTable(ctx: OperationPlan<'drop_table'>): Promise<void> {
  const name = ctx.p.table;
  if (!findTable(ctx.schema, name)) {
    if (ctx.p.if_exists) return names.nothingToDrop(ctx, `table "${name}"`, 'table');
    return void names.table(ctx, name);
  }
  const action = `drop table "${name}"`;
  const readers = ctx.viewsReading(name).map((v) => `view "${v}"`);
  if (!dependents.noReaders(ctx, 'table', action, readers)) return;
  const fks = dependents.referencesTo(ctx.schema, name).filter((r) => r.table !== name);
  if (!dependents.noReferences(ctx, 'table', action, fks)) return;
  ctx.add(`DROP TABLE ${qi(name)}`, `drop table ${name} with its rows, indexes and triggers`, {
    locking: true,
    destructive: true,
  });
}

export async function renameTable(ctx: OperationPlan<'rename_table'>): Promise<void> {
  const t = names.table(ctx, ctx.p.table);
  const to = ctx.p.new_name;
  if (!t || !names.nameFree(ctx, to, 'new_name', t.name)) return;
  ctx.add(
    `ALTER TABLE ${ctx.t} RENAME TO ${qi(to)}`,
    `rename table ${t.name} to ${to} (its indexes and constraints keep their names)`,
    {
      locking: true,
      reverse: `ALTER TABLE ${qi(to)} RENAME TO ${ctx.t}`,
    },
  );
}
