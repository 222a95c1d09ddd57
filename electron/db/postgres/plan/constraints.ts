/** Planners of add_constraint (not_null, unique, primary_key, check, foreign_key) and drop_constraint. */
import { parseColumnType, typeFamily } from '../../../../shared/column-type.ts';
import { chooseConstraintName } from '../../../../shared/schema-apply.ts';
import { findColumn, findTable, type Table } from '../../../../shared/schema.ts';
import { tokenize } from '../../../../shared/sql-expression.ts';
import * as data from '../../plan-rules/data.ts';
import * as dependents from '../../plan-rules/dependents.ts';
import * as names from '../../plan-rules/names.ts';
import * as values from '../../plan-rules/values.ts';
import { constraintBody, ON_DELETE_SQL } from './ddl-text.ts';
import type { ConstraintType, OperationParams } from '../../../../shared/nodes/schema-modification.ts';
import { quoteIdent as qi } from '../render.ts';
import type { OperationPlan, PgPlan } from './context.ts';
import { duplicates, nullCount, rows } from './probes.ts';
import { onScratch, SCRATCH } from './scratch.ts';

/** The builder of add_constraint of constraint type `C`. */
type ConstraintPlan<C extends ConstraintType> = PgPlan<
  Extract<OperationParams<'add_constraint'>, { constraint_type: C }>
>;

const isType = <C extends ConstraintType>(ctx: OperationPlan<'add_constraint'>, type: C): ctx is ConstraintPlan<C> =>
  ctx.p.constraint_type === type;

export async function addConstraint(ctx: OperationPlan<'add_constraint'>): Promise<void> {
  const t = names.table(ctx, ctx.p.table);
  if (!t) return;
  if (isType(ctx, 'not_null')) return addNotNull(ctx, t);
  if (isType(ctx, 'unique')) return addKey(ctx, t, 'unique');
  if (isType(ctx, 'primary_key')) return addKey(ctx, t, 'primary_key');
  if (isType(ctx, 'check')) return addCheck(ctx, t);
  if (isType(ctx, 'foreign_key')) return addForeignKey(ctx, t);
}

/**
 * SET NOT NULL without a long ACCESS EXCLUSIVE scan (PostgreSQL 12+): a CHECK (c IS NOT NULL)
 * added NOT VALID (brief lock), validated under SHARE UPDATE EXCLUSIVE (reads and writes go
 * on), then SET NOT NULL, which the valid CHECK lets skip the scan, then the CHECK is dropped.
 */
async function addNotNull(ctx: ConstraintPlan<'not_null'>, t: Table): Promise<void> {
  const c = names.column(ctx, t, ctx.p.column_name);
  if (!c) return;
  const nulls = ctx.probeData ? await nullCount(ctx, c.name) : 0;
  if (!data.noNulls(ctx, 'column_name', t, c.name, nulls, 'not_null')) return;
  ctx.notNullSteps([c.name]);
}

async function addKey(
  ctx: ConstraintPlan<'unique' | 'primary_key'>,
  t: Table,
  kind: 'unique' | 'primary_key',
): Promise<void> {
  const field = ctx.p.columns ? 'columns' : 'column_name';
  const cols = ctx.p.columns ?? (ctx.p.column_name ? [ctx.p.column_name] : []);
  if (!names.keyColumns(ctx, cols, field, kind === 'unique' ? 'the UNIQUE constraint' : 'the primary key')) return;
  if (!names.columns(ctx, t, cols, field)) return;
  const name = ctx.p.constraint_name ?? chooseConstraintName(ctx.schema, t.name, kind, cols);
  ctx.model = { ...ctx.model, constraint_name: name };
  if (!names.nameFree(ctx, name, 'constraint_name')) return;
  const nullable = cols.filter((c) => findColumn(t, c)?.nullable);
  if (kind === 'primary_key') {
    if (!names.noPrimaryKey(ctx, t)) return;
    for (const c of ctx.probeData ? nullable : [])
      if (!data.noNulls(ctx, field, t, c, await nullCount(ctx, c), 'primary_key')) return;
  }
  const dups = ctx.probeData ? await duplicates(ctx, cols) : [];
  const what = kind === 'unique' ? 'add the UNIQUE constraint' : 'add the primary key';
  if (!data.noDuplicates(ctx, field, what, t, cols, dups)) return;
  if (kind === 'primary_key' && nullable.length > 0 && ctx.version >= 120000)
    ctx.notNullSteps(nullable, () => ctx.keySteps(kind, cols, name, ctx.p.concurrently ?? false));
  else ctx.keySteps(kind, cols, name, ctx.p.concurrently ?? false);
}

async function addCheck(ctx: ConstraintPlan<'check'>, t: Table): Promise<void> {
  const expr = ctx.expression(ctx.p.expression, 'expression');
  const given = ctx.p.columns ?? (ctx.p.column_name ? [ctx.p.column_name] : []);
  if (!names.columns(ctx, t, given, ctx.p.columns ? 'columns' : 'column_name') || !expr) return;
  const name = ctx.p.constraint_name ?? chooseConstraintName(ctx.schema, t.name, 'check', given);
  if (!names.nameFree(ctx, name, 'constraint_name')) return;
  const compiled = await onScratch(ctx.driver, t.columns, ctx.lockMs, async () => {
    await ctx.driver.query(`ALTER TABLE ${SCRATCH} ADD CONSTRAINT dataflow_check CHECK ${expr}`);
    const { rows } = await ctx.driver.query<{ expr: string; columns: string[] }>(
      `SELECT pg_get_expr(k.conbin, k.conrelid) AS expr,
         ARRAY(SELECT a.attname::text FROM unnest(k.conkey) AS u(n) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY a.attnum) AS columns
       FROM pg_constraint k WHERE k.conrelid = '${SCRATCH}'::regclass AND k.conname = 'dataflow_check'`,
    );
    return rows[0];
  });
  if (!compiled.ok && compiled.rejected)
    return ctx.report(values.invalidExpression('expression', 'the CHECK expression', t.name, compiled.message));
  if (!compiled.ok)
    ctx.warn('DF602', 'expression', `the CHECK expression was checked only lexically (${compiled.message})`);
  const bad = await rows<{ n: number }>(
    ctx,
    `existing rows against the CHECK`,
    `SELECT count(*)::int AS n FROM ${ctx.t} WHERE NOT ${expr}`,
  );
  if (!data.noViolations(ctx, t, expr, bad?.[0]?.n ?? 0)) return;
  const compiledCheck = compiled.ok ? compiled.value : undefined;
  const columns = compiledCheck?.columns ?? referencedColumns(ctx.p.expression, t);
  ctx.model = { ...ctx.model, constraint_name: name, columns };
  if (compiledCheck) {
    ctx.patches.push((after) => {
      const k = findTable(after, t.name)?.constraints.find((x) => x.name === name);
      if (k) k.expression = compiledCheck.expr;
    });
  }
  const n = qi(name);
  ctx.add(
    `ALTER TABLE ${ctx.t} ADD CONSTRAINT ${n} CHECK ${expr} NOT VALID`,
    `add CHECK ${name} for new rows (no scan, brief lock)`,
    {
      locking: true,
      reverse: `ALTER TABLE ${ctx.t} DROP CONSTRAINT ${n}`,
      commitAfter: true,
    },
  );
  ctx.add(
    `ALTER TABLE ${ctx.t} VALIDATE CONSTRAINT ${n}`,
    `validate CHECK ${name} on existing rows (SHARE UPDATE EXCLUSIVE: reads and writes continue)`,
    { commitAfter: true },
  );
}

async function addForeignKey(ctx: ConstraintPlan<'foreign_key'>, t: Table): Promise<void> {
  const c = names.column(ctx, t, ctx.p.column_name);
  const ref = ctx.p.references;
  if (!c) return;
  const found = names.referenced(ctx, ref);
  if (!found) return;
  const { table: target, column: rc } = found;
  const onDelete = ref.on_delete === 'no action' ? undefined : ref.on_delete;
  if (onDelete === 'set null' && !c.nullable)
    return ctx.error(
      'DF210',
      'references',
      `on_delete "set null" needs "${c.name}" to be nullable, and it is NOT NULL`,
    );
  const name = ctx.p.constraint_name ?? chooseConstraintName(ctx.schema, t.name, 'foreign_key', [c.name]);
  if (!names.nameFree(ctx, name, 'constraint_name')) return;
  ctx.model = {
    ...ctx.model,
    constraint_name: name,
    references: { table: ref.table, column: ref.column, ...(onDelete ? { on_delete: onDelete } : {}) },
  };
  if (typeFamilyOf(c.type) !== typeFamilyOf(rc.type)) {
    ctx.warn(
      'DF211',
      'references',
      `"${c.name}" (${c.type}) and "${target.name}"."${rc.name}" (${rc.type}) have different types; the foreign key compares them with a cast`,
    );
  }
  const orphan = !ctx.probeData
    ? null
    : await rows<{ v: string; n: number }>(
        ctx,
        `rows of "${t.name}" without a match in "${target.name}"`,
        `SELECT min(x.${qi(c.name)}::text) AS v, count(*)::int AS n FROM ${ctx.t} x WHERE x.${qi(c.name)} IS NOT NULL ` +
          `AND NOT EXISTS (SELECT 1 FROM ${qi(target.name)} r WHERE r.${qi(rc.name)} = x.${qi(c.name)})`,
      );
  const key = { table: target.name, column: rc.name };
  if (!data.noOrphans(ctx, t, c.name, key, { n: orphan?.[0]?.n ?? 0, example: orphan?.[0]?.v ?? null })) return;
  const n = qi(name);
  ctx.add(
    `ALTER TABLE ${ctx.t} ADD CONSTRAINT ${n} FOREIGN KEY (${qi(c.name)}) REFERENCES ${qi(target.name)} (${qi(rc.name)})${onDelete ? ` ON DELETE ${ON_DELETE_SQL[onDelete]}` : ''} NOT VALID`,
    `add foreign key ${name} for new rows (no scan; SHARE ROW EXCLUSIVE on both tables, briefly)`,
    { locking: true, reverse: `ALTER TABLE ${ctx.t} DROP CONSTRAINT ${n}`, commitAfter: true },
  );
  ctx.add(
    `ALTER TABLE ${ctx.t} VALIDATE CONSTRAINT ${n}`,
    `validate foreign key ${name} on existing rows (reads and writes continue)`,
    { commitAfter: true },
  );
}

export async function dropConstraint(ctx: OperationPlan<'drop_constraint'>): Promise<void> {
  const t = names.table(ctx, ctx.p.table);
  const name = ctx.p.constraint_name;
  if (!t) return;
  const k = names.constraintToDrop(ctx, t, name, ctx.p.if_exists ?? false);
  if (!k) return;
  if (k.kind === 'primary_key' || k.kind === 'unique') {
    const fks = dependents
      .referencesTo(ctx.schema, t.name)
      .filter((r) => sameSet(r.constraint.references?.columns ?? [], k.columns));
    if (!dependents.noReferences(ctx, 'constraint_name', `drop constraint "${name}"`, fks)) return;
  }
  ctx.add(`ALTER TABLE ${ctx.t} DROP CONSTRAINT ${qi(name)}`, `drop constraint ${name}`, {
    locking: true,
    destructive: true,
    reverse: `ALTER TABLE ${ctx.t} ADD CONSTRAINT ${qi(name)} ${constraintBody(k)}`,
  });
}

function typeFamilyOf(type: string): string {
  const parsed = parseColumnType(type);
  return parsed.ok ? typeFamily(parsed.type) : type;
}

/** Columns of `t` that an expression mentions, in table order (as PostgreSQL records a CHECK's columns). */
function referencedColumns(expr: string, t: Table): string[] {
  const words = new Set(
    tokenize(expr).flatMap((x) => (x.kind === 'word' ? [x.value] : x.kind === 'quoted' ? [x.value] : [])),
  );
  return t.columns.filter((c) => words.has(c.name) || words.has(c.name.toLowerCase())).map((c) => c.name);
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
