/**
 * Constraint operations of the SQLite planner: add_constraint (not_null, unique, check,
 * foreign_key, primary_key) and drop_constraint.
 */
import { findTable, type Constraint, type Schema, type Table } from '../../../shared/schema.ts';
import { expressionProblem } from './params.ts';
import {
  altered,
  apply,
  checksEnforced,
  column,
  err,
  explicitNames,
  hasError,
  rebuilt,
  step,
  warn,
  type Ctx,
  type Outcome,
  type Params,
} from './planning.ts';
import * as probe from './probes.ts';
import { quoteIdent as q, rowidAlias } from './render.ts';

/** The constraint the applied schema has on the table and the current one has not. */
function addedConstraint(c: Ctx, applied: Schema): Constraint | undefined {
  return findTable(applied, c.table.name)?.constraints.find((k) => !c.table.constraints.some((o) => o.name === k.name));
}

/** Columns the constraint covers (`columns`, else `column_name`) and the param they came from. */
interface Target {
  cols: string[];
  field: string;
}

export async function addConstraint(c: Ctx): Promise<Outcome | null> {
  const { p } = c;
  const cols = p.columns ? (p.columns as string[]) : p.column_name ? [p.column_name] : [];
  const t: Target = { cols, field: p.columns ? 'columns' : 'column_name' };
  for (const name of cols) column(c, name, t.field);
  if (p.constraint_type === 'check' && p.expression !== undefined) {
    const ep = expressionProblem(p.expression, 'expression', 'a CHECK expression');
    if (ep) c.problems.push(ep);
  }
  if (hasError(c.problems)) return null;
  switch (p.constraint_type) {
    case 'not_null':
      return addNotNull(c);
    case 'unique':
    case 'primary_key':
      return addKey(c, p.constraint_type, t);
    case 'check':
      return addCheck(c);
    case 'foreign_key':
      return addForeignKey(c, t);
    default:
      c.problems.push(
        err('constraint_type', 'is required for add_constraint: not_null, unique, check, foreign_key or primary_key'),
      );
      return null;
  }
}

async function addNotNull(c: Ctx): Promise<Outcome | null> {
  const { p, table, driver } = c;
  const col = column(c, p.column_name) as Table['columns'][number];
  if (!col.nullable) {
    c.problems.push(warn('column_name', `column "${col.name}" is already NOT NULL; nothing to change`));
    return { steps: [], after: c.schema };
  }
  const nulls = checksEnforced(c) ? await probe.nullCount(driver, table.name, col.name) : 0;
  if (nulls > 0) {
    c.problems.push(
      err(
        'column_name',
        `column "${col.name}" of "${table.name}" holds ${nulls} NULL value(s): backfill them first (DataBackfillNode), then add the constraint`,
      ),
    );
    return null;
  }
  const applied = apply(c);
  if (!applied) return null;
  if (!c.opts.alterConstraints) return rebuilt(c, applied, `make "${col.name}" NOT NULL`);
  return altered(c, applied, [
    step(
      `ALTER TABLE ${q(table.name)} ALTER COLUMN ${q(col.name)} SET NOT NULL`,
      `make "${col.name}" of "${table.name}" NOT NULL (checks every row)`,
      {
        reverse: `ALTER TABLE ${q(table.name)} ALTER COLUMN ${q(col.name)} DROP NOT NULL`,
      },
    ),
  ]);
}

async function addKey(c: Ctx, kind: 'unique' | 'primary_key', { cols, field }: Target): Promise<Outcome | null> {
  const { table, driver } = c;
  if (checksEnforced(c)) {
    const dups = await probe.duplicates(driver, table.name, cols);
    if (dups.length > 0) {
      c.problems.push(
        err(
          field,
          `${cols.map((x) => `"${x}"`).join(', ')} of "${table.name}" hold duplicate values (${dups.join('; ')}): remove the duplicates first`,
        ),
      );
    }
  }
  if (c.live) {
    if (kind === 'primary_key') {
      for (const name of cols) {
        const nulls = await probe.nullCount(driver, table.name, name);
        if (nulls > 0)
          c.problems.push(err(field, `column "${name}" holds ${nulls} NULL value(s); a primary key column cannot`));
      }
    }
  }
  if (hasError(c.problems)) return null;
  const applied = apply(c, field);
  if (!applied) return null;
  const next = findTable(applied, table.name) as Table;
  const alias = kind === 'primary_key' ? rowidAlias(next, c.extras) : null;
  if (alias !== null && c.live) {
    const n = await probe.nonIntegerCount(driver, table.name, alias);
    if (n > 0) {
      c.problems.push(
        err(
          field,
          `column "${alias}" becomes the INTEGER PRIMARY KEY (the rowid), but ${n} row(s) hold a value that is not an integer`,
        ),
      );
      return null;
    }
  }
  return rebuilt(c, applied, `add ${kind === 'unique' ? 'UNIQUE' : 'PRIMARY KEY'} (${cols.join(', ')})`);
}

async function addCheck(c: Ctx): Promise<Outcome | null> {
  const { p, table, driver } = c;
  const expression = (p.expression as string).trim();
  let nullResults = 0;
  if (c.live) {
    const n = await probe.checkViolations(driver, table.name, expression);
    if (typeof n === 'string')
      c.problems.push(err('expression', `the CHECK expression cannot be evaluated on "${table.name}": ${n}`));
    else if (n.false > 0)
      c.problems.push(
        err('expression', `${n.false} row(s) of "${table.name}" violate CHECK (${expression}): fix them first`),
      );
    else nullResults = n.null;
  }
  if (hasError(c.problems)) return null;
  const applied = apply(c, 'expression');
  if (!applied) return null;
  const added = addedConstraint(c, applied) as Constraint;
  if (!c.opts.alterConstraints) return rebuilt(c, applied, `add CHECK constraint "${added.name}"`);
  if (nullResults > 0) {
    return rebuilt(
      c,
      applied,
      `add CHECK constraint "${added.name}"; ALTER TABLE ADD CONSTRAINT would reject the ${nullResults} row(s) where it is NULL, which a CHECK lets pass`,
    );
  }
  return altered(
    c,
    applied,
    [
      step(
        `ALTER TABLE ${q(table.name)} ADD CONSTRAINT ${q(added.name)} CHECK (${expression})`,
        `add CHECK constraint "${added.name}" to "${table.name}" (checks every row)`,
        {
          reverse: `ALTER TABLE ${q(table.name)} DROP CONSTRAINT ${q(added.name)}`,
        },
      ),
    ],
    { added: [added.name] },
  );
}

async function addForeignKey(c: Ctx, { cols }: Target): Promise<Outcome | null> {
  const { p, table, driver } = c;
  const ref = p.references as NonNullable<Params['references']>;
  const parent = findTable(c.schema, ref.table);
  if (!parent) {
    c.problems.push(err('references', `referenced table "${ref.table}" does not exist`));
    return null;
  }
  if (!parent.columns.some((x) => x.name === ref.column)) {
    c.problems.push(err('references', `referenced column "${ref.column}" does not exist in table "${ref.table}"`));
    return null;
  }
  const keyed =
    parent.constraints.some(
      (k) => (k.kind === 'primary_key' || k.kind === 'unique') && k.columns.length === 1 && k.columns[0] === ref.column,
    ) ||
    parent.indexes.some((i) => i.unique && i.where === null && i.columns.length === 1 && i.columns[0] === ref.column);
  if (!keyed) {
    c.problems.push(
      err(
        'references',
        `"${ref.table}"."${ref.column}" is neither a primary key nor UNIQUE; SQLite requires a foreign key to reference one: add_constraint unique on it first`,
      ),
    );
    return null;
  }
  const col = cols[0] as string;
  if (checksEnforced(c) && (await probe.tableExists(driver, parent.name))) {
    const orphans = await probe.orphanCount(driver, table.name, col, parent.name, ref.column);
    if (orphans > 0) {
      c.problems.push(
        err(
          'references',
          `${orphans} row(s) of "${table.name}" have a "${col}" with no matching "${ref.table}"."${ref.column}": delete or fix them first`,
        ),
      );
      return null;
    }
  }
  const applied = apply(c, 'references');
  if (!applied) return null;
  return rebuilt(c, applied, `add FOREIGN KEY (${col}) REFERENCES ${ref.table} (${ref.column})`);
}

export function dropConstraint(c: Ctx): Outcome | null {
  const { p, table, schema } = c;
  const name = p.constraint_name as string;
  const k = table.constraints.find((x) => x.name === name);
  if (!k) {
    const backing = table.indexes.find((i) => i.name === name);
    if (backing?.constraintBacked) {
      c.problems.push(
        err(
          'constraint_name',
          `"${name}" is SQLite's automatic index of a constraint; drop the constraint by its name (${table.constraints
            .filter((x) => x.kind === 'unique' || x.kind === 'primary_key')
            .map((x) => `"${x.name}"`)
            .join(', ')})`,
        ),
      );
      return null;
    }
    if (p.if_exists) {
      c.problems.push(warn('constraint_name', `table "${table.name}" has no constraint "${name}"; nothing to drop`));
      return { steps: [], after: schema };
    }
    const known = table.constraints.map((x) => `"${x.name}"`).join(', ');
    c.problems.push(
      err('constraint_name', `table "${table.name}" has no constraint "${name}"${known ? `; it has ${known}` : ''}`),
    );
    return null;
  }
  if (k.kind === 'unique' || k.kind === 'primary_key') {
    const otherKey = (cols: string[]) =>
      table.constraints.some(
        (o) => o !== k && (o.kind === 'unique' || o.kind === 'primary_key') && o.columns.join() === cols.join(),
      ) ||
      table.indexes.some(
        (i) => !i.constraintBacked && i.unique && i.where === null && i.columns.join() === cols.join(),
      );
    for (const o of schema.tables) {
      for (const fk of o.constraints) {
        if (
          fk.references?.table === table.name &&
          fk.references.columns.join() === k.columns.join() &&
          !otherKey(k.columns)
        ) {
          c.problems.push(
            err(
              'constraint_name',
              `constraint "${name}" is the key foreign key "${fk.name}" of table "${o.name}" references; drop that foreign key first`,
            ),
          );
          return null;
        }
      }
    }
  }
  const applied = apply(c, 'constraint_name');
  if (!applied) return null;
  if (k.kind === 'check' && c.opts.alterConstraints && explicitNames(table).has(name)) {
    return altered(c, applied, [
      step(
        `ALTER TABLE ${q(table.name)} DROP CONSTRAINT ${q(name)}`,
        `drop CHECK constraint "${name}" of "${table.name}"`,
        {
          destructive: true,
          reverse: `ALTER TABLE ${q(table.name)} ADD CONSTRAINT ${q(name)} CHECK (${k.expression ?? ''})`,
        },
      ),
    ]);
  }
  return rebuilt(c, applied, `drop constraint "${name}"`, { destructive: true });
}
