/** Index operations of the SQLite planner: create_index (unique, partial) and drop_index. */
import type { Table } from '../../../../shared/schema.ts';
import { findTable } from '../../../../shared/schema.ts';
import { quoteIdent as q, renderCreateIndex } from '../render.ts';
import { byName, withTable, type OperationPlan } from './context.ts';
import * as probe from './probes.ts';
import { expressionProblem } from './values.ts';

export async function createIndex(c: OperationPlan<'create_index'>): Promise<void> {
  const { p, table } = c;
  const cols = p.columns;
  for (const name of cols) c.column(name, 'columns');
  if (p.where !== undefined) {
    const wp = expressionProblem(p.where, 'where', 'where');
    if (wp) c.problems.push(wp);
  }
  const wanted = p.index_name?.toLowerCase();
  const clash = [
    ...c.schema.tables.flatMap((t) => [t.name, ...t.indexes.map((i) => i.name)]),
    ...c.schema.views.map((v) => v.name),
  ].find((n) => n.toLowerCase() === wanted);
  if (clash !== undefined)
    c.error('index_name', `the name "${p.index_name}" is already used by table, view or index "${clash}"`);
  if (c.failed()) return;
  const where = p.where?.trim();
  if (where !== undefined && c.live) {
    const n = await probe.checkViolations(c.driver, table.name, where);
    if (typeof n === 'string') {
      c.error('where', `the WHERE expression cannot be evaluated on "${table.name}": ${n}`);
      return;
    }
  }
  if (p.unique && c.checksEnforced) {
    const dups = await probe.duplicates(c.driver, table.name, cols, where);
    if (dups.length > 0) {
      c.error(
        'columns',
        `${cols.map((x) => `"${x}"`).join(', ')} of "${table.name}" hold duplicate values (${dups.join('; ')}): a UNIQUE index cannot be built`,
      );
      return;
    }
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
  const ix = table.indexes.find((i) => i.name === name);
  if (ix?.constraintBacked) {
    c.error(
      'index_name',
      `index "${name}" is SQLite's automatic index of a PRIMARY KEY or UNIQUE constraint; use drop_constraint`,
    );
    return;
  }
  const applied = c.apply('index_name');
  if (!applied) return;
  if (!ix) {
    c.warn('index_name', `index "${name}" does not exist; nothing to drop`);
    return;
  }
  c.add(`DROP INDEX ${q(name)}`, `drop index "${name}" of "${table.name}"`, {
    destructive: true,
    ...(ix.sql ? { reverse: ix.sql } : {}),
  });
  return c.inPlace(applied, { indexOnly: true });
}
