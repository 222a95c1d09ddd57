/**
 * Column operations of the SQLite planner: add_column, drop_column, alter_column_type,
 * set_default and drop_default (rename_column is in rename-ops.ts).
 */
import { findTable, type Table } from '../../../shared/schema.ts';
import { declaredType, defaultProblem, expressionProblem, parseTypeParam } from './params.ts';
import {
  altered,
  apply,
  column,
  err,
  hasError,
  rebuilt,
  sqliteTypes,
  step,
  warn,
  withTable,
  type Ctx,
  type Outcome,
  type Params,
} from './planning.ts';
import * as probe from './probes.ts';
import { dependentTriggers, dependentViews } from './rebuild.ts';
import { defaultClause, literal, normalizeDeclaredType, quoteIdent as q, renderType, rowidAlias } from './render.ts';
import { referencedNames } from './tokens.ts';

/** The column definition text of ADD COLUMN. */
function columnDefinition(name: string, typeSql: string, nullable: boolean, dflt: string | null): string {
  return `${q(name)} ${typeSql}${nullable ? '' : ' NOT NULL'}${defaultClause(dflt)}`;
}

function defaultText(v: Params['default_value']): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'object' ? v.sql.trim() : literal(v);
}

export async function addColumn(c: Ctx): Promise<Outcome | null> {
  const { p, table } = c;
  const name = p.column_name as string;
  if (table.columns.some((x) => x.name.toLowerCase() === name.toLowerCase())) {
    c.problems.push(err('column_name', `column "${name}" already exists in table "${table.name}"`));
    return null;
  }
  const parsed = parseTypeParam(p.column_type as string, 'column_type', c.extras.strict);
  if ('problem' in parsed) {
    c.problems.push(parsed.problem);
    return null;
  }
  const dp = defaultProblem(p.default_value, parsed.type, 'default_value');
  if (dp) c.problems.push(dp);
  const nullable = p.nullable ?? true;
  const dflt = defaultText(p.default_value);
  const rows = c.live ? await probe.rowsUpTo(c.driver, table.name, 2) : 0;
  if (!nullable && dflt === null && rows > 0) {
    c.problems.push(
      err(
        'nullable',
        `column "${name}" is NOT NULL without a default_value, but table "${table.name}" has rows, which would have no value: give a default_value, or add the column nullable, backfill it (DataBackfillNode) and then add_constraint not_null`,
      ),
    );
  }
  if (p.unique && dflt !== null && rows > 1) {
    c.problems.push(
      err(
        'unique',
        `column "${name}" is UNIQUE with a default_value, but table "${table.name}" has several rows, which would all get the same value: add it without a default (NULLs do not collide), backfill distinct values, then add_constraint unique`,
      ),
    );
  }
  if (hasError(c.problems)) return null;
  const applied = apply(c);
  if (!applied) return null;
  const typed = sqliteTypes(applied, table.name, [name]);
  const expressionDefault = typeof p.default_value === 'object' && p.default_value !== null;
  if (p.unique || (expressionDefault && rows > 0)) {
    return rebuilt(
      c,
      typed,
      p.unique ? `add UNIQUE column "${name}"` : `add column "${name}" with an expression default`,
    );
  }
  const def = columnDefinition(name, renderType(parsed.type), nullable, dflt);
  return altered(c, typed, [
    step(`ALTER TABLE ${q(table.name)} ADD COLUMN ${def}`, `add column "${name}" to "${table.name}"`, {
      reverse: `ALTER TABLE ${q(table.name)} DROP COLUMN ${q(name)}`,
    }),
  ]);
}

/** Views and triggers whose SQL names `column` and reads `table` (SQLite cannot keep them valid without it). */
function columnDependents(c: Ctx, column: string): string[] {
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

export async function dropColumn(c: Ctx): Promise<Outcome | null> {
  const { p, table } = c;
  const name = p.column_name as string;
  if (!table.columns.some((x) => x.name === name)) {
    if (p.if_exists) {
      c.problems.push(warn('column_name', `column "${name}" does not exist in table "${table.name}"; nothing to drop`));
      return { steps: [], after: c.schema };
    }
    c.problems.push(err('column_name', `column "${name}" does not exist in table "${table.name}"`));
    return null;
  }
  if (table.columns.length === 1) {
    c.problems.push(
      err(
        'column_name',
        `column "${name}" is the only column of table "${table.name}"; a table needs at least one column: use drop_table`,
      ),
    );
    return null;
  }
  const dependents = columnDependents(c, name);
  if (dependents.length > 0) {
    c.problems.push(
      err(
        'column_name',
        `column "${name}" is used by ${dependents.join(', ')}; drop or change ${dependents.length > 1 ? 'them' : 'it'} first`,
      ),
    );
    return null;
  }
  const model = apply(c, 'column_name');
  if (!model) return null;
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
    return rebuilt(
      c,
      applied,
      `drop column "${name}", which ALTER TABLE DROP COLUMN cannot: a key, index, constraint or generated column involves it`,
      { destructive: true },
    );
  return altered(c, applied, [
    step(
      `ALTER TABLE ${q(table.name)} DROP COLUMN ${q(name)}`,
      `drop column "${name}" of "${table.name}" (its data is lost)`,
      { destructive: true },
    ),
  ]);
}

export async function alterColumnType(c: Ctx): Promise<Outcome | null> {
  const { p, table } = c;
  const name = p.column_name as string;
  const col = column(c, name);
  const parsed = parseTypeParam(p.column_type as string, 'column_type', c.extras.strict);
  if ('problem' in parsed) c.problems.push(parsed.problem);
  if (p.using !== undefined) {
    const up = expressionProblem(p.using, 'using', 'using');
    if (up) c.problems.push(up);
  }
  if (!col || 'problem' in parsed || hasError(c.problems)) return null;
  const typeSql = renderType(parsed.type);
  if (normalizeDeclaredType(typeSql) === normalizeDeclaredType(col.type) && p.using === undefined) {
    c.problems.push(warn('column_type', `column "${name}" is already ${typeSql.toLowerCase()}; nothing to change`));
    return { steps: [], after: c.schema };
  }
  const source = p.using !== undefined ? `(${p.using.trim()})` : q(name);
  if (c.live) {
    const n = await probe.misfitCount(c.driver, table.name, source, parsed.type);
    if (typeof n === 'string')
      c.problems.push(err(p.using !== undefined ? 'using' : 'column_type', `the new values cannot be computed: ${n}`));
    else if (n > 0) {
      c.problems.push(
        warn(
          'column_type',
          `${n} row(s) of "${table.name}" hold a value of "${name}" that does not fit ${typeSql.toLowerCase()}; SQLite keeps such values as they are (give a "using" expression to convert them)`,
        ),
      );
    }
  }
  if (rowidAlias(table, c.extras) === name && normalizeDeclaredType(typeSql) !== 'integer') {
    c.problems.push(
      warn(
        'column_type',
        `column "${name}" is the table's INTEGER PRIMARY KEY (the rowid); as ${typeSql.toLowerCase()} SQLite no longer assigns its values on insert`,
      ),
    );
  }
  const applied = apply(c, 'column_type');
  if (!applied) return null;
  const sources = new Map(table.columns.map((x) => [x.name, x.name === name ? source : q(x.name)]));
  return rebuilt(c, sqliteTypes(applied, table.name, [name]), `change the type of "${name}" to ${typeSql}`, {
    sources,
  });
}

export function setDefault(c: Ctx): Outcome | null {
  const { p } = c;
  const col = column(c, p.column_name);
  if (!col) return null;
  const dp = defaultProblem(p.default_value, declaredType(col.type), 'default_value');
  if (dp) {
    c.problems.push(dp);
    return null;
  }
  const applied = apply(c, 'default_value');
  if (!applied) return null;
  return rebuilt(c, applied, `set the default of "${col.name}" (SQLite cannot ALTER a default)`);
}

export function dropDefault(c: Ctx): Outcome | null {
  const col = column(c, c.p.column_name);
  if (!col) return null;
  if (col.default === null) {
    c.problems.push(warn('column_name', `column "${col.name}" has no default; nothing to drop`));
    return { steps: [], after: c.schema };
  }
  const applied = apply(c);
  if (!applied) return null;
  return rebuilt(c, applied, `drop the default of "${col.name}" (SQLite cannot ALTER a default)`);
}
