/** Table and index operations of the SQLite planner: create_table, drop_table, create_index, drop_index. */
import type { ColumnSpec } from '../../../shared/nodes/schema-modification.ts';
import { findTable, type Schema, type Table } from '../../../shared/schema.ts';
import { defaultProblem, expressionProblem, parseTypeParam } from './params.ts';
import {
  altered,
  apply,
  byName,
  checksEnforced,
  column,
  err,
  hasError,
  normalize,
  sqliteTypes,
  step,
  warn,
  withTable,
  type Ctx,
  type Outcome,
  type Params,
  type Problems,
} from './planning.ts';
import * as probe from './probes.ts';
import { dependentTriggers, dependentViews } from './rebuild.ts';
import { automaticIndexes, emptyExtras, quoteIdent as q, renderCreateIndex, renderCreateTable } from './render.ts';

export async function createIndex(c: Ctx): Promise<Outcome | null> {
  const { p, table } = c;
  const cols = (p.columns ?? []) as string[];
  for (const name of cols) column(c, name, 'columns');
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
    c.problems.push(err('index_name', `the name "${p.index_name}" is already used by table, view or index "${clash}"`));
  if (hasError(c.problems)) return null;
  const where = p.where?.trim();
  if (where !== undefined && c.live) {
    const n = await probe.checkViolations(c.driver, table.name, where);
    if (typeof n === 'string') {
      c.problems.push(err('where', `the WHERE expression cannot be evaluated on "${table.name}": ${n}`));
      return null;
    }
  }
  if (p.unique && checksEnforced(c)) {
    const dups = await probe.duplicates(c.driver, table.name, cols, where);
    if (dups.length > 0) {
      c.problems.push(
        err(
          'columns',
          `${cols.map((x) => `"${x}"`).join(', ')} of "${table.name}" hold duplicate values (${dups.join('; ')}): a UNIQUE index cannot be built`,
        ),
      );
      return null;
    }
  }
  const applied = apply(c, 'index_name');
  if (!applied) return null;
  const model = findTable(applied, table.name) as Table;
  const ix = model.indexes.find((i) => !table.indexes.some((o) => o.name === i.name)) as Table['indexes'][number];
  const sql = renderCreateIndex(ix);
  const after = withTable(applied, table.name, {
    ...model,
    indexes: model.indexes.map((i) => (i === ix ? { ...ix, sql } : i)).sort(byName),
  });
  return altered(
    c,
    after,
    [step(sql, `create index "${ix.name}" on "${table.name}"`, { reverse: `DROP INDEX ${q(ix.name)}` })],
    { indexOnly: true },
  );
}

export function dropIndex(c: Ctx): Outcome | null {
  const { p, table } = c;
  const name = p.index_name as string;
  const ix = table.indexes.find((i) => i.name === name);
  if (ix?.constraintBacked) {
    c.problems.push(
      err(
        'index_name',
        `index "${name}" is SQLite's automatic index of a PRIMARY KEY or UNIQUE constraint; use drop_constraint`,
      ),
    );
    return null;
  }
  const applied = apply(c, 'index_name');
  if (!applied) return null;
  if (!ix) {
    c.problems.push(warn('index_name', `index "${name}" does not exist; nothing to drop`));
    return { steps: [], after: c.schema };
  }
  return altered(
    c,
    applied,
    [
      step(`DROP INDEX ${q(name)}`, `drop index "${name}" of "${table.name}"`, {
        destructive: true,
        ...(ix.sql ? { reverse: ix.sql } : {}),
      }),
    ],
    { indexOnly: true },
  );
}

export function dropTable(c: Ctx): Outcome | null {
  const { table, schema } = c;
  const views = dependentViews(schema, table.name).filter((v) =>
    v.dependsOn.some((d) => d.toLowerCase() === table.name.toLowerCase()),
  );
  const triggers = dependentTriggers(schema, table.name, []);
  const users = [...views.map((v) => `view "${v.name}"`), ...triggers.map((t) => `trigger "${t.name}"`)];
  if (users.length > 0) {
    c.problems.push(
      err(
        'table',
        `table "${table.name}" is used by ${users.join(', ')}; drop ${users.length > 1 ? 'them' : 'it'} first`,
      ),
    );
    return null;
  }
  const applied = apply(c, 'table');
  if (!applied) return null;
  return {
    steps: [
      step(
        `DROP TABLE ${q(table.name)}`,
        `drop table "${table.name}" with its rows (about ${table.rowEstimate}), indexes and triggers`,
        { destructive: true },
      ),
    ],
    after: applied,
  };
}

export function createTable(p: Params, schema: Schema, problems: Problems): Outcome | null {
  const specs = (p.columns ?? []) as ColumnSpec[];
  specs.forEach((spec, i) => {
    const parsed = parseTypeParam(spec.type, `columns[${i}].type`);
    if ('problem' in parsed) problems.push(parsed.problem);
    else {
      const dp = defaultProblem(spec.default_value, parsed.type, `columns[${i}].default_value`);
      if (dp) problems.push(dp);
    }
  });
  if (hasError(problems)) return null;
  const applied = apply({ p, schema, problems }, 'columns');
  if (!applied) return null;
  const typed = sqliteTypes(
    applied,
    p.table,
    specs.map((s) => s.name),
  );
  const model = findTable(typed, p.table) as Table;
  const extras = emptyExtras();
  const table = normalize({ ...model, indexes: [] }, new Set(model.constraints.map((k) => k.name)));
  const sql = renderCreateTable(table, p.table, extras);
  const full: Table = { ...table, indexes: automaticIndexes(table, extras), ddl: sql };
  return {
    steps: [step(sql, `create table "${p.table}"`, { reverse: `DROP TABLE ${q(p.table)}` })],
    after: withTable(typed, p.table, full),
  };
}
