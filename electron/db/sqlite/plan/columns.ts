/**
 * Column operations of the SQLite planner: add_column, drop_column, rename_column,
 * alter_column_type, set_default and drop_default.
 */
import { findTable, type Table } from '../../../../shared/schema.ts';
import { chooseConstraintName } from '../../../../shared/schema-apply.ts';
import {
  defaultClause,
  literal,
  normalizeDeclaredType,
  quoteIdent as q,
  renderType,
  ROWID_ALIAS,
  rowidAlias,
} from '../render.ts';
import { referencedNames } from '../tokens.ts';
import type { SchemaModificationParams } from '../../../../shared/nodes/schema-modification.ts';
import { jsonCheckOf, sqliteTypes, withTable, type OperationPlan, type TablePlan } from './context.ts';
import * as names from '../../plan-rules/names.ts';
import * as data from '../../plan-rules/data.ts';
import * as dependents from '../../plan-rules/dependents.ts';
import { identityProblems, numbered, serialOnlyNew } from '../../plan-rules/identity.ts';
import { notConvertible, oneExpression } from '../../plan-rules/values.ts';
import * as probe from './probes.ts';
import { dependentTriggers, dependentViews } from './rebuild.ts';
import { renamed } from './renames.ts';
import { declaredType, defaultProblem, parseTypeParam } from './values.ts';

/** The column definition text of ADD COLUMN. */
function columnDefinition(name: string, typeSql: string, nullable: boolean, dflt: string | null): string {
  return `${q(name)} ${typeSql}${nullable ? '' : ' NOT NULL'}${defaultClause(dflt)}`;
}

function defaultText(v: SchemaModificationParams['default_value']): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'object' ? v.sql.trim() : literal(v);
}

export async function addColumn(c: OperationPlan<'add_column'>): Promise<void> {
  const { p, table } = c;
  const name = p.column_name;
  if (!names.columnFree(c, table, name, 'column_name')) return;
  if (!c.extras.withoutRowid && !names.notSystemColumn(c, name, 'column_name')) return;
  const parsed = parseTypeParam(p.column_type, 'column_type', c.extras.strict);
  if ('problem' in parsed) {
    c.problems.push(parsed.problem);
    return;
  }
  const column = {
    identity: p.identity,
    typeText: p.column_type,
    type: parsed.type,
    hasDefault: p.default_value !== undefined,
  };
  c.problems.push(
    ...identityProblems(column, { identity: 'identity', type: 'column_type', default: 'default_value' }, ROWID_ALIAS),
  );
  if (c.failed()) return;
  if (numbered(column)) return addRowidAlias(c);
  const dp = defaultProblem(p.default_value, parsed.type, 'default_value');
  if (dp) c.problems.push(dp);
  const nullable = p.nullable ?? true;
  const dflt = defaultText(p.default_value);
  let counted: Promise<number> | undefined;
  const rowsUpTo2 = () => (counted ??= c.live ? probe.rowsUpTo(c.driver, table.name, 2) : Promise.resolve(0));
  const fill = dflt === null ? 'none' : 'constant';
  await data.newColumnOnRows(c, table, { name, nullable, unique: p.unique ?? false, fill }, rowsUpTo2);
  if (c.failed()) return;
  const applied = c.apply();
  if (!applied) return;
  const typed = sqliteTypes(applied, table.name, [name]);
  const expressionDefault = typeof p.default_value === 'object' && p.default_value !== null;
  if (p.unique || (expressionDefault && (await rowsUpTo2()) > 0)) {
    return c.rebuild(
      typed,
      p.unique ? `add UNIQUE column "${name}"` : `add column "${name}" with an expression default`,
    );
  }
  const check = jsonCheckOf(typed, table.name, name);
  const def =
    columnDefinition(name, renderType(parsed.type), nullable, dflt) +
    (check ? ` CONSTRAINT ${q(check.name)} CHECK (${check.expression})` : '');
  c.add(`ALTER TABLE ${q(table.name)} ADD COLUMN ${def}`, `add column "${name}" to "${table.name}"`, {
    reverse: `ALTER TABLE ${q(table.name)} DROP COLUMN ${q(name)}`,
  });
  return c.inPlace(typed, check ? { added: [check.name] } : {});
}

/**
 * add_column of an identity column. SQLite numbers only the rowid alias, which ALTER TABLE cannot
 * add, so the table is rebuilt with the new column as its INTEGER PRIMARY KEY, each existing row
 * keeping its rowid as its number (new rows get the numbers after the largest). Possible only for
 * a rowid table without a primary key (DF606).
 */
function addRowidAlias(c: OperationPlan<'add_column'>): void {
  const { p, table } = c;
  const name = p.column_name;
  const pk = table.columns.filter((x) => x.primaryKey).map((x) => `"${x.name}"`);
  if (c.extras.withoutRowid || pk.length > 0) {
    c.error(
      'DF606',
      'identity',
      `SQLite numbers only the rowid alias, the INTEGER PRIMARY KEY of a rowid table; table "${table.name}" ` +
        (c.extras.withoutRowid ? 'is WITHOUT ROWID' : `already has primary key ${pk.join(', ')}`) +
        `, so "${name}" cannot be an identity column: add it as a plain integer column, or recreate the table with it as the primary key`,
    );
    return;
  }
  // The rowid keeps its name unless a column took it (SQLite's three names for it).
  const rowid = ['rowid', '_rowid_', 'oid'].find((n) => !table.columns.some((x) => x.name.toLowerCase() === n));
  if (rowid === undefined) {
    c.error(
      'DF606',
      'identity',
      `table "${table.name}" has columns named rowid, _rowid_ and oid, so its rows' numbers cannot be read to keep them: rename one of those columns first`,
    );
    return;
  }
  const applied = c.apply();
  if (!applied) return;
  const t = findTable(applied, table.name) as Table;
  // The rowid alias is the primary key: the new column becomes it.
  const keyed: Table = {
    ...t,
    columns: t.columns.map((x) => (x.name === name ? { ...x, primaryKey: true, nullable: false } : x)),
    constraints: [
      ...t.constraints,
      {
        name: chooseConstraintName(applied, table.name, 'primary_key', [name]),
        table: table.name,
        kind: 'primary_key',
        columns: [name],
        expression: null,
        references: null,
        validated: true,
      },
    ],
  };
  const sources = new Map(table.columns.map((x) => [x.name, q(x.name)]));
  sources.set(name, rowid);
  c.rebuild(
    sqliteTypes(withTable(applied, table.name, keyed), table.name, [name]),
    `add identity column "${name}": the INTEGER PRIMARY KEY, numbered from each row's rowid`,
    { sources },
  );
}

/** Views and triggers whose SQL names `column` and reads `table` (SQLite cannot keep them valid without it). */
function columnDependents(c: TablePlan, column: string): string[] {
  const views = dependentViews(c.schema, c.table.name)
    .filter(
      (v) =>
        v.dependsOn.some((d) => d.toLowerCase() === c.table.name.toLowerCase()) &&
        referencedNames(v.sql, [column]).length > 0,
    )
    .map((v) => `view "${v.name}"`);
  const own = c.schema.triggers.filter((t) => t.table.toLowerCase() === c.table.name.toLowerCase());
  const triggers = [...own, ...dependentTriggers(c.schema, c.table.name, [])]
    .filter((t) => referencedNames(t.sql, [column]).length > 0)
    .map((t) => `trigger "${t.name}"`);
  return [...views, ...triggers];
}

export async function dropColumn(c: OperationPlan<'drop_column'>): Promise<void> {
  const { p, table } = c;
  const name = p.column_name;
  if (!table.columns.some((x) => x.name === name)) {
    if (p.if_exists) return names.nothingToDrop(c, `column "${name}" of table "${table.name}"`, 'column_name');
    return void names.column(c, table, name);
  }
  if (table.columns.length === 1) {
    c.error(
      'DF604',
      'column_name',
      `column "${name}" is the only column of table "${table.name}"; a table needs at least one column: use drop_table`,
    );
    return;
  }
  const action = `drop column "${name}" of "${table.name}"`;
  if (!dependents.noReaders(c, 'column_name', action, columnDependents(c, name))) return;
  if (!dependents.noReferences(c, 'column_name', action, dependents.referencesTo(c.schema, table.name, name))) return;
  const model = c.apply('column_name');
  if (!model) return;
  const mentions = (sql: string | null) => sql !== null && referencedNames(sql, [name]).length > 0;
  // An index on an expression over the column goes with it, as its plain indexes do.
  const t = findTable(model, table.name) as Table;
  const applied = withTable(model, table.name, {
    ...t,
    indexes: t.indexes.filter((i) => i.constraintBacked || !mentions(i.sql)),
  });
  const keyed =
    table.columns.find((x) => x.name === name)?.primaryKey ||
    table.indexes.some((i) => i.columns.includes(name) || mentions(i.where) || mentions(i.sql)) ||
    table.constraints.some((k) => k.columns.includes(name) || mentions(k.expression)) ||
    c.extras.generated.size > 0;
  if (keyed)
    return c.rebuild(
      applied,
      `drop column "${name}", which ALTER TABLE DROP COLUMN cannot: a key, index, constraint or generated column involves it`,
      { destructive: true },
    );
  c.add(
    `ALTER TABLE ${q(table.name)} DROP COLUMN ${q(name)}`,
    `drop column "${name}" of "${table.name}" (its data is lost)`,
    { destructive: true },
  );
  return c.inPlace(applied);
}

export async function renameColumn(c: OperationPlan<'rename_column'>): Promise<void> {
  const { p, table } = c;
  const from = p.column_name;
  const to = p.new_name;
  if (!names.column(c, table, from) || !names.columnFree(c, table, to, 'new_name')) return;
  // The INTEGER PRIMARY KEY is the rowid: naming it rowid hides nothing.
  const hidesRowid = !c.extras.withoutRowid && rowidAlias(table, c.extras) !== from;
  if (hidesRowid && !names.notSystemColumn(c, to, 'new_name')) return;
  const applied = c.apply('new_name');
  if (!applied) return;
  c.add(
    `ALTER TABLE ${q(table.name)} RENAME COLUMN ${q(from)} TO ${q(to)}`,
    `rename column "${from}" of "${table.name}" to "${to}"`,
    {
      reverse: `ALTER TABLE ${q(table.name)} RENAME COLUMN ${q(to)} TO ${q(from)}`,
    },
  );
  renamed(c, applied, { table: table.name, column: from, to });
}

export async function alterColumnType(c: OperationPlan<'alter_column_type'>): Promise<void> {
  const { p, table } = c;
  const name = p.column_name;
  const col = names.column(c, table, name);
  const parsed = parseTypeParam(p.column_type, 'column_type', c.extras.strict);
  if ('problem' in parsed) c.problems.push(parsed.problem);
  else if (parsed.type.serial) c.problems.push(serialOnlyNew('column_type', p.column_type));
  if (p.using !== undefined) {
    const up = oneExpression(p.using, 'using');
    if (up) c.problems.push(up);
  }
  if (!col || 'problem' in parsed || c.failed()) return;
  const typeSql = renderType(parsed.type);
  const source = p.using !== undefined ? `(${p.using.trim()})` : q(name);
  if (c.live) {
    const n = await probe.misfitCount(c.driver, table.name, source, parsed.type);
    if (typeof n === 'string')
      c.report(
        notConvertible(p.using !== undefined ? 'using' : 'column_type', col, parsed.type, n, p.using !== undefined),
      );
    else if (n > 0) {
      c.warn(
        'DF209',
        'column_type',
        `${n} row(s) of "${table.name}" hold a value of "${name}" that does not fit ${typeSql.toLowerCase()}; SQLite keeps such values as they are (give a "using" expression to convert them)`,
      );
    }
  }
  if (rowidAlias(table, c.extras) === name && normalizeDeclaredType(typeSql) !== 'integer') {
    c.warn(
      'DF605',
      'column_type',
      `column "${name}" is the table's INTEGER PRIMARY KEY (the rowid); as ${typeSql.toLowerCase()} SQLite no longer assigns its values on insert`,
    );
  }
  const applied = c.apply('column_type');
  if (!applied) return;
  const sources = new Map(table.columns.map((x) => [x.name, x.name === name ? source : q(x.name)]));
  return c.rebuild(sqliteTypes(applied, table.name, [name]), `change the type of "${name}" to ${typeSql}`, {
    sources,
  });
}

export async function setDefault(c: OperationPlan<'set_default'>): Promise<void> {
  const { p } = c;
  const col = names.column(c, c.table, p.column_name);
  if (!col) return;
  const dp = defaultProblem(p.default_value, declaredType(col.type), 'default_value');
  if (dp) {
    c.problems.push(dp);
    return;
  }
  const applied = c.apply('default_value');
  if (!applied) return;
  return c.rebuild(applied, `set the default of "${col.name}" (SQLite cannot ALTER a default)`);
}

export async function dropDefault(c: OperationPlan<'drop_default'>): Promise<void> {
  const col = names.column(c, c.table, c.p.column_name);
  if (!col) return;
  const applied = c.apply();
  if (!applied) return;
  return c.rebuild(applied, `drop the default of "${col.name}" (SQLite cannot ALTER a default)`);
}
