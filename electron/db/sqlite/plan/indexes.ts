/** Index operations of the SQLite planner: create_index (unique, partial) and drop_index. */
import type { Table } from '../../../../shared/schema.ts';
import { findTable } from '../../../../shared/schema.ts';
import { quoteIdent as q, renderCreateIndex } from '../render.ts';
import { byName, withTable, type OperationPlan } from './context.ts';
import * as names from '../../plan-rules/names.ts';
import * as data from '../../plan-rules/data.ts';
import { invalidExpression, oneExpression } from '../../plan-rules/values.ts';
import { chooseConstraintName } from '../../../../shared/schema-apply.ts';
import * as probe from './probes.ts';

export async function createIndex(c: OperationPlan<'create_index'>): Promise<void> {
  const { p, table } = c;
  const cols = p.columns;
  names.columns(c, table, cols, 'columns');
  if (p.where !== undefined) {
    const wp = oneExpression(p.where, 'where');
    if (wp) c.problems.push(wp);
  }
  if (p.index_name !== undefined) names.nameFree(c, p.index_name, 'index_name');
  if (c.failed()) return;
  const where = p.where?.trim();
  if (where !== undefined && c.live) {
    const n = await probe.checkViolations(c.driver, table.name, where);
    if (typeof n === 'string') return c.report(invalidExpression('where', 'the index WHERE', table.name, n));
  }
  if (p.unique && c.checksEnforced) {
    const dups = await probe.duplicates(c.driver, table.name, cols, where);
    const name = p.index_name ?? chooseConstraintName(c.schema, table.name, 'index', cols);
    if (!data.noDuplicates(c, 'columns', `create unique index "${name}"`, table, cols, dups, where !== undefined))
      return;
  }
  const applied = c.apply('index_name');
  if (!applied) return;
  const model = findTable(applied, table.name) as Table;
  const ix = model.indexes.find((i) => !table.indexes.some((o) => o.name === i.name)) as Table['indexes'][number];
  const sql = renderCreateIndex(ix);
  const after = withTable(applied, table.name, {
    ...model,
    indexes: model.indexes.map((i) => (i === ix ? { ...ix, sql } : i)).sort(byName),
  });
  c.add(sql, `create index "${ix.name}" on "${table.name}"`, { reverse: `DROP INDEX ${q(ix.name)}` });
  return c.inPlace(after, { indexOnly: true });
}

export async function dropIndex(c: OperationPlan<'drop_index'>): Promise<void> {
  const { p, table } = c;
  const name = p.index_name;
  const ix = names.indexToDrop(c, table, name, p.if_exists ?? false);
  if (!ix) return;
  const applied = c.apply('index_name');
  if (!applied) return;
  c.add(`DROP INDEX ${q(name)}`, `drop index "${name}" of "${table.name}"`, {
    destructive: true,
    ...(ix.sql ? { reverse: ix.sql } : {}),
  });
  return c.inPlace(applied, { indexOnly: true });
}
