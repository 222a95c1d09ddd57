/**
 * Constraint operations of the SQLite planner: add_constraint (not_null, unique, check,
 * foreign_key, primary_key) and drop_constraint.
 */
import { findTable, type Constraint, type Schema, type Table } from '../../../../shared/schema.ts';
import { quoteIdent as q, rowidAlias } from '../render.ts';
import type { ConstraintType, OperationParams } from '../../../../shared/nodes/schema-modification.ts';
import { explicitNames, type OperationPlan, type TablePlan } from './context.ts';
import * as data from '../../plan-rules/data.ts';
import * as dependents from '../../plan-rules/dependents.ts';
import * as names from '../../plan-rules/names.ts';
import { invalidExpression, oneExpression } from '../../plan-rules/values.ts';
import * as probe from './probes.ts';

/** The constraint the applied schema has on the table and the current one has not. */
function addedConstraint(c: TablePlan, applied: Schema): Constraint | undefined {
  return findTable(applied, c.table.name)?.constraints.find((k) => !c.table.constraints.some((o) => o.name === k.name));
}

/** The builder of add_constraint of constraint type `C`. */
type ConstraintPlan<C extends ConstraintType> = TablePlan<
  Extract<OperationParams<'add_constraint'>, { constraint_type: C }>
>;

const isType = <C extends ConstraintType>(c: OperationPlan<'add_constraint'>, type: C): c is ConstraintPlan<C> =>
  c.p.constraint_type === type;

/** Columns the constraint covers (`columns`, else `column_name`) and the param they came from. */
interface Target {
  cols: string[];
  field: string;
}

export async function addConstraint(c: OperationPlan<'add_constraint'>): Promise<void> {
  const { p } = c;
  const cols = p.columns ?? (p.column_name ? [p.column_name] : []);
  const t: Target = { cols, field: p.columns ? 'columns' : 'column_name' };
  names.columns(c, c.table, cols, t.field);
  if (p.constraint_type === 'check' && p.expression !== undefined) {
    const ep = oneExpression(p.expression, 'expression');
    if (ep) c.problems.push(ep);
  }
  if (c.failed()) return;
  if (isType(c, 'not_null')) return addNotNull(c);
  if (isType(c, 'unique')) return addKey(c, 'unique', t);
  if (isType(c, 'primary_key')) return addKey(c, 'primary_key', t);
  if (isType(c, 'check')) return addCheck(c);
  if (isType(c, 'foreign_key')) return addForeignKey(c);
}

async function addNotNull(c: ConstraintPlan<'not_null'>): Promise<void> {
  const { p, table, driver } = c;
  const col = table.columns.find((x) => x.name === p.column_name) as Table['columns'][number];
  const nulls = c.checksEnforced ? await probe.nullCount(driver, table.name, col.name) : 0;
  if (!data.noNulls(c, 'column_name', table, col.name, nulls, 'not_null')) return;
  const applied = c.apply();
  if (!applied) return;
  if (!c.opts.alterConstraints) return c.rebuild(applied, `make "${col.name}" NOT NULL`);
  c.add(
    `ALTER TABLE ${q(table.name)} ALTER COLUMN ${q(col.name)} SET NOT NULL`,
    `make "${col.name}" of "${table.name}" NOT NULL (checks every row)`,
    {
      reverse: `ALTER TABLE ${q(table.name)} ALTER COLUMN ${q(col.name)} DROP NOT NULL`,
    },
  );
  return c.inPlace(applied);
}

async function addKey(c: TablePlan, kind: 'unique' | 'primary_key', { cols, field }: Target): Promise<void> {
  const { table, driver } = c;
  if (!names.keyColumns(c, cols, field, kind === 'unique' ? 'the UNIQUE constraint' : 'the primary key')) return;
  if (kind === 'primary_key' && !names.noPrimaryKey(c, table)) return;
  if (c.live && kind === 'primary_key') {
    for (const name of cols)
      if (!data.noNulls(c, field, table, name, await probe.nullCount(driver, table.name, name), 'primary_key')) return;
  }
  if (c.checksEnforced) {
    const dups = await probe.duplicates(driver, table.name, cols);
    const what = kind === 'unique' ? 'add the UNIQUE constraint' : 'add the primary key';
    if (!data.noDuplicates(c, field, what, table, cols, dups)) return;
  }
  if (c.failed()) return;
  const applied = c.apply(field);
  if (!applied) return;
  const next = findTable(applied, table.name) as Table;
  const alias = kind === 'primary_key' ? rowidAlias(next, c.extras) : null;
  if (alias !== null && c.live) {
    const n = await probe.nonIntegerCount(driver, table.name, alias);
    if (n > 0) {
      c.error(
        'DF307',
        field,
        `column "${alias}" becomes the INTEGER PRIMARY KEY (the rowid), but ${n} row(s) hold a value that is not an integer`,
      );
      return;
    }
  }
  return c.rebuild(applied, `add ${kind === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} (${cols.join(', ')})`);
}

async function addCheck(c: ConstraintPlan<'check'>): Promise<void> {
  const { p, table, driver } = c;
  const expression = p.expression.trim();
  let nullResults = 0;
  if (c.live) {
    const n = await probe.checkViolations(driver, table.name, expression);
    if (typeof n === 'string') c.report(invalidExpression('expression', 'the CHECK expression', table.name, n));
    else if (data.noViolations(c, table, `(${expression})`, n.false)) nullResults = n.null;
    else nullResults = n.null;
  }
  if (c.failed()) return;
  const applied = c.apply('expression');
  if (!applied) return;
  const added = addedConstraint(c, applied) as Constraint;
  if (!c.opts.alterConstraints) return c.rebuild(applied, `add CHECK constraint "${added.name}"`);
  if (nullResults > 0) {
    return c.rebuild(
      applied,
      `add CHECK constraint "${added.name}"; ALTER TABLE ADD CONSTRAINT would reject the ${nullResults} row(s) where it is NULL, which a CHECK lets pass`,
    );
  }
  c.add(
    `ALTER TABLE ${q(table.name)} ADD CONSTRAINT ${q(added.name)} CHECK (${expression})`,
    `add CHECK constraint "${added.name}" to "${table.name}" (checks every row)`,
    {
      reverse: `ALTER TABLE ${q(table.name)} DROP CONSTRAINT ${q(added.name)}`,
    },
  );
  return c.inPlace(applied, { added: [added.name] });
}

async function addForeignKey(c: ConstraintPlan<'foreign_key'>): Promise<void> {
  const { p, table, driver } = c;
  const ref = p.references;
  const parent = names.referenced(c, ref)?.table;
  if (!parent) return;
  const col = p.column_name;
  if (c.checksEnforced && (await probe.tableExists(driver, parent.name))) {
    const found = await probe.orphans(driver, table.name, col, parent.name, ref.column);
    if (!data.noOrphans(c, table, col, ref, found)) return;
  }
  const applied = c.apply('references');
  if (!applied) return;
  return c.rebuild(applied, `add FOREIGN KEY (${col}) REFERENCES ${ref.table} (${ref.column})`);
}

export async function dropConstraint(c: OperationPlan<'drop_constraint'>): Promise<void> {
  const { p, table, schema } = c;
  const name = p.constraint_name;
  const k = names.constraintToDrop(c, table, name, p.if_exists ?? false);
  if (!k) return;
  if (k.kind === 'unique' || k.kind === 'primary_key') {
    const otherKey = (cols: string[]) =>
      table.constraints.some(
        (o) => o !== k && (o.kind === 'unique' || o.kind === 'primary_key') && o.columns.join() === cols.join(),
      ) ||
      table.indexes.some(
        (i) => !i.constraintBacked && i.unique && i.where === null && i.columns.join() === cols.join(),
      );
    const fks = otherKey(k.columns)
      ? []
      : dependents
          .referencesTo(schema, table.name)
          .filter((r) => r.constraint.references?.columns.join() === k.columns.join());
    if (!dependents.noReferences(c, 'constraint_name', `drop constraint "${name}"`, fks)) return;
  }
  const applied = c.apply('constraint_name');
  if (!applied) return;
  if (k.kind === 'check' && c.opts.alterConstraints && explicitNames(table).has(name)) {
    c.add(
      `ALTER TABLE ${q(table.name)} DROP CONSTRAINT ${q(name)}`,
      `drop CHECK constraint "${name}" of "${table.name}"`,
      {
        destructive: true,
        reverse: `ALTER TABLE ${q(table.name)} ADD CONSTRAINT ${q(name)} CHECK (${k.expression ?? ''})`,
      },
    );
    return c.inPlace(applied);
  }
  return c.rebuild(applied, `drop constraint "${name}"`, { destructive: true });
}
