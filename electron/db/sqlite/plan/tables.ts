/** Table operations of the SQLite planner: create_table, drop_table, rename_table. */
import { findTable, type Table } from '../../../../shared/schema.ts';
import {
  automaticIndexes,
  emptyExtras,
  quoteIdent as q,
  renderCreateTable,
  rowidAlias,
  ROWID_ALIAS,
} from '../render.ts';
import type { OperationParams } from '../../../../shared/nodes/schema-modification.ts';
import { normalize, sqliteTypes, withTable, type OperationPlan, type SqlitePlan } from './context.ts';
import { dependentTriggers, dependentViews } from './rebuild.ts';
import * as names from '../../plan-rules/names.ts';
import * as dependents from '../../plan-rules/dependents.ts';
import { identityProblems, numbered } from '../../plan-rules/identity.ts';
import { renamed } from './renames.ts';
import { defaultProblem, parseTypeParam } from './values.ts';

export async function dropTable(c: OperationPlan<'drop_table'>): Promise<void> {
  const { table, schema } = c;
  const views = dependentViews(schema, table.name).filter((v) =>
    v.dependsOn.some((d) => d.toLowerCase() === table.name.toLowerCase()),
  );
  const triggers = dependentTriggers(schema, table.name, []);
  const users = [...views.map((v) => `view "${v.name}"`), ...triggers.map((t) => `trigger "${t.name}"`)];
  if (!dependents.noReaders(c, 'table', `drop table "${table.name}"`, users)) return;
  const applied = c.apply('table');
  if (!applied) return;
  c.add(
    `DROP TABLE ${q(table.name)}`,
    `drop table "${table.name}" with its rows (about ${table.rowEstimate}), indexes and triggers`,
    { destructive: true },
  );
  c.after = applied;
}

export async function createTable(c: SqlitePlan<OperationParams<'create_table'>>): Promise<void> {
  const { p } = c;
  const specs = p.columns;
  names.newTableColumns(c, specs, p.primary_key);
  const pk = p.primary_key ?? specs.filter((s) => s.primary_key).map((s) => s.name);
  specs.forEach((spec, i) => {
    const parsed = parseTypeParam(spec.type, `columns[${i}].type`);
    if ('problem' in parsed) {
      c.problems.push(parsed.problem);
      return;
    }
    const column = {
      identity: spec.identity,
      typeText: spec.type,
      type: parsed.type,
      hasDefault: spec.default_value !== undefined,
    };
    const fields = {
      identity: `columns[${i}].identity`,
      type: `columns[${i}].type`,
      default: `columns[${i}].default_value`,
    };
    const label = `column "${spec.name}": `;
    c.problems.push(...identityProblems(column, fields, ROWID_ALIAS, label));
    if (numbered(column) && (pk.length !== 1 || pk[0] !== spec.name))
      c.error(
        'DF606',
        fields.identity,
        `${label}SQLite numbers only the rowid alias, an INTEGER PRIMARY KEY of one column: make "${spec.name}" the only primary_key column` +
          (pk.length > 0 ? ` (the primary key is now ${pk.map((n) => `"${n}"`).join(', ')})` : ''),
      );
    const dp = defaultProblem(spec.default_value, parsed.type, `columns[${i}].default_value`);
    if (dp) c.problems.push(dp);
  });
  if (c.failed()) return;
  const applied = c.apply('columns');
  if (!applied) return;
  const typed = sqliteTypes(
    applied,
    p.table,
    specs.map((s) => s.name),
  );
  const model = findTable(typed, p.table) as Table;
  const extras = emptyExtras();
  // The INTEGER PRIMARY KEY is the rowid: naming it rowid hides nothing.
  const alias = rowidAlias(model, extras);
  specs.forEach((spec, i) => spec.name !== alias && names.notSystemColumn(c, spec.name, `columns.${i}.name`));
  if (c.failed()) return;
  const table = normalize({ ...model, indexes: [] }, new Set(model.constraints.map((k) => k.name)), false);
  const sql = renderCreateTable(table, p.table, extras);
  const full: Table = { ...table, indexes: automaticIndexes(table, extras), ddl: sql };
  c.add(sql, `create table "${p.table}"`, { reverse: `DROP TABLE ${q(p.table)}` });
  c.after = withTable(typed, p.table, full);
}

export async function renameTable(c: OperationPlan<'rename_table'>): Promise<void> {
  const { p, table } = c;
  const to = p.new_name;
  if (!names.nameFree(c, to, 'new_name', table.name)) return;
  const applied = c.apply('new_name');
  if (!applied) return;
  c.add(`ALTER TABLE ${q(table.name)} RENAME TO ${q(to)}`, `rename table "${table.name}" to "${to}"`, {
    reverse: `ALTER TABLE ${q(to)} RENAME TO ${q(table.name)}`,
  });
  renamed(c, applied, { table: table.name, column: null, to });
}
