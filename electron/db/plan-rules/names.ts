/**
 * Plan rules of the names family (DF1xx, and DF501 for what is already gone): the tables, columns,
 * indexes and constraints a change names must exist, and the names it gives must be free. Each
 * check reports its problem on the builder and returns what it found (undefined / false after an
 * error), so both planners read the same way and say the same thing.
 */
import type { Column, Constraint, Index, Schema, Table } from '../../../shared/schema.ts';
import { tableNamed, tablesHoldingName } from '../../../shared/schema-names.ts';
import type { PlanBuilder } from '../plan-builder.ts';

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** The table `name` (compared exactly, as the schema model does), or undefined after DF101. */
export function table(b: PlanBuilder, name: string, field = 'table'): Table | undefined {
  const t = tableNamed(b.schema, name);
  if (!t) b.error('DF101', field, tableMissing(b.schema, name));
  return t;
}

/** DF101's message: a view of that name, or a table whose name differs only in case, is named. */
function tableMissing(schema: Schema, name: string): string {
  if (schema.views.some((v) => v.name === name)) return `table "${name}" does not exist ("${name}" is a view)`;
  const other = schema.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  return other
    ? `table "${name}" does not exist; did you mean "${other.name}"?`
    : `table "${name}" does not exist; check the name or create it in an earlier node`;
}

/** Column `name` of `t`, or undefined after DF102. */
export function column(b: PlanBuilder, t: Table, name: string, field = 'column_name'): Column | undefined {
  const c = t.columns.find((x) => x.name === name);
  if (!c) b.error('DF102', field, columnsMissing(t, [name]));
  return c;
}

/** True when every one of `names` is a column of `t`; otherwise one DF102 naming the missing ones. */
export function columns(b: PlanBuilder, t: Table, names: readonly string[], field: string): boolean {
  const missing = names.filter((n) => !t.columns.some((x) => x.name === n));
  if (missing.length > 0) b.error('DF102', field, columnsMissing(t, missing));
  return missing.length === 0;
}

function columnsMissing(t: Table, missing: readonly string[]): string {
  const which =
    missing.length > 1 ? `columns ${quoted(missing)} do not exist` : `column "${missing[0]}" does not exist`;
  return `${which} in table "${t.name}"; its columns are: ${t.columns.map((x) => x.name).join(', ')}`;
}

/** True when `t` has no column that `name` would collide with (DF103 otherwise). */
export function columnFree(b: PlanBuilder, t: Table, name: string, field: string): boolean {
  const c = t.columns.find((x) => b.feed.sameName(x.name, name));
  if (c)
    b.error(
      'DF103',
      field,
      `column "${name}" already exists in table "${t.name}"${c.name === name ? '' : ` (as "${c.name}")`}; choose another ${field}`,
    );
  return !c;
}

/**
 * True when `name`, a column a change adds or renames to, is not one of the dialect's system
 * column names (DF118 otherwise: PostgreSQL would refuse it mid-run, after earlier nodes
 * committed; SQLite would let it hide the rowid).
 */
export function notSystemColumn(b: PlanBuilder, name: string, field: string): boolean {
  const { names, why } = b.feed.systemColumns;
  const hit = names.find((n) => b.feed.sameName(n, name));
  if (hit !== undefined)
    b.error(
      'DF118',
      field,
      `column name "${name}" is a system column name (${names.join(', ')}): ${why}; choose another name`,
    );
  return hit === undefined;
}

/**
 * True when `name` is free for a new table, view or index in the dialect's namespace (DF104) and
 * not reserved by the database (DF105). `except` is the table being renamed: a new case of its own
 * name is no collision.
 */
export function nameFree(b: PlanBuilder, name: string, field: string, except?: string): boolean {
  if (b.feed.reserved?.test(name)) {
    b.error('DF105', field, `the name "${name}" is reserved by the database; choose another ${field}`);
    return false;
  }
  const user = nameUser(b, name, except);
  if (user) b.error('DF104', field, `the name "${name}" is already used by ${user}; choose another ${field}`);
  return !user;
}

/** What in the dialect's namespace already has `name`, as the message names it, or null. */
function nameUser(b: PlanBuilder, name: string, except?: string): string | null {
  const same = (n: string) => b.feed.sameName(n, name);
  const kinds = b.feed.namespace;
  const [tables, indexes, constraints] = [
    kinds.includes('table'),
    kinds.includes('index'),
    kinds.includes('constraint'),
  ];
  // The tables holding the name in any case (an index kept per schema), not every table.
  for (const t of tablesHoldingName(b.schema, name)) {
    if (tables && same(t.name) && !(t.name === except && name !== except)) return `table "${t.name}"`;
    if (indexes) for (const i of t.indexes) if (same(i.name)) return `index "${i.name}" of table "${t.name}"`;
    if (constraints)
      for (const k of t.constraints) if (same(k.name)) return `constraint "${k.name}" of table "${t.name}"`;
  }
  const v = kinds.includes('view') ? b.schema.views.find((x) => same(x.name)) : undefined;
  return v ? `view "${v.name}"` : null;
}

/** DF501: what a drop with if_exists found absent. */
export function nothingToDrop(b: PlanBuilder, what: string, field: string): void {
  b.warn('DF501', field, `${what} does not exist; nothing to drop`);
}

/** The key constraint (PRIMARY KEY or UNIQUE) whose index `i` is. */
function keyOf(t: Table, i: Index): Constraint | undefined {
  return (
    t.constraints.find((k) => k.name === i.name) ??
    t.constraints.find(
      (k) => (k.kind === 'primary_key' || k.kind === 'unique') && k.columns.join('\0') === i.columns.join('\0'),
    )
  );
}

/** DF109: `name` is the index a key constraint keeps; it goes with the constraint. */
function keyIndex(b: PlanBuilder, t: Table, i: Index, field: string): void {
  const k = keyOf(t, i);
  b.error(
    'DF109',
    field,
    `index "${i.name}" is the index of ${k ? `constraint "${k.name}"` : 'a PRIMARY KEY or UNIQUE constraint'} of table "${t.name}"; drop_constraint ${k ? `"${k.name}"` : 'it'} instead`,
  );
}

/**
 * The index drop_index names on `t`, or undefined: absent (DF501 with if_exists, else DF106), on
 * another table (DF108), or the index of a key constraint (DF109).
 */
export function indexToDrop(b: PlanBuilder, t: Table, name: string, ifExists: boolean): Index | undefined {
  const field = 'index_name';
  const owner = tablesHoldingName(b.schema, name).find((x) => x.indexes.some((i) => i.name === name));
  if (!owner) {
    if (ifExists) nothingToDrop(b, `index "${name}"`, field);
    else {
      const names = t.indexes.filter((i) => !i.constraintBacked).map((i) => i.name);
      b.error(
        'DF106',
        field,
        `index "${name}" does not exist; ${names.length ? `the indexes of "${t.name}" are: ${names.join(', ')}` : `table "${t.name}" has no index that drop_index can drop`}`,
      );
    }
    return undefined;
  }
  if (owner !== t) {
    b.error(
      'DF108',
      field,
      `index "${name}" belongs to table "${owner.name}", not "${t.name}"; fix table or index_name`,
    );
    return undefined;
  }
  const i = t.indexes.find((x) => x.name === name)!;
  if (i.constraintBacked) return void keyIndex(b, t, i, field);
  return i;
}

/**
 * The constraint drop_constraint names on `t`, or undefined: the name of an index instead (DF109
 * for a key constraint's index, DF110 for a plain index), absent (DF501 with if_exists, else DF107).
 */
export function constraintToDrop(b: PlanBuilder, t: Table, name: string, ifExists: boolean): Constraint | undefined {
  const field = 'constraint_name';
  const k = t.constraints.find((x) => x.name === name);
  if (k) return k;
  const i = t.indexes.find((x) => x.name === name);
  if (i?.constraintBacked) keyIndex(b, t, i, field);
  else if (i) b.error('DF110', field, `"${name}" is an index of table "${t.name}", not a constraint; use drop_index`);
  else if (ifExists) nothingToDrop(b, `constraint "${name}" of table "${t.name}"`, field);
  else {
    const names = t.constraints.map((x) => x.name);
    b.error(
      'DF107',
      field,
      `constraint "${name}" does not exist on table "${t.name}"; ${names.length ? `its constraints are: ${names.join(', ')}` : 'it has no constraint'}`,
    );
  }
  return undefined;
}

/** True when `t` has no primary key yet (DF111 otherwise). */
export function noPrimaryKey(b: PlanBuilder, t: Table, field = 'constraint_type'): boolean {
  const pk = t.constraints.find((k) => k.kind === 'primary_key');
  if (pk)
    b.error(
      'DF111',
      field,
      `table "${t.name}" already has a primary key ("${pk.name}" on ${pk.columns.join(', ')}); drop_constraint it first`,
    );
  return !pk;
}

/** True when `cols` names at least one column (DF114) and none twice (DF112). */
export function keyColumns(b: PlanBuilder, cols: readonly string[], field: string, what: string): boolean {
  if (cols.length === 0) {
    b.error('DF114', field, `${what} names no column: give column_name or columns`);
    return false;
  }
  const twice = cols.filter((c, i) => cols.indexOf(c) !== i);
  if (twice.length > 0) b.error('DF112', field, `${what} names column "${twice[0]}" twice`);
  return twice.length === 0;
}

/**
 * create_table's columns and primary key: no column named twice (DF112), and a primary key that
 * names only its columns and agrees with the columns marked primary_key (DF113).
 */
export function newTableColumns(
  b: PlanBuilder,
  specs: readonly { name: string; primary_key?: boolean | undefined }[],
  primaryKey: readonly string[] | undefined,
): void {
  const seen: string[] = [];
  for (const c of specs) {
    const earlier = seen.find((n) => b.feed.sameName(n, c.name));
    if (earlier !== undefined)
      b.error(
        'DF112',
        'columns',
        `column "${c.name}" appears twice${earlier === c.name ? '' : ` (as "${earlier}")`}; name each column once`,
      );
    seen.push(c.name);
  }
  const flagged = specs.filter((c) => c.primary_key).map((c) => c.name);
  if (primaryKey && flagged.some((c) => !primaryKey.includes(c)))
    b.error(
      'DF113',
      'primary_key',
      `primary_key ${JSON.stringify(primaryKey)} disagrees with the columns marked primary_key (${flagged.join(', ')}); use one or the other`,
    );
  for (const c of primaryKey ?? [])
    if (!seen.includes(c)) b.error('DF113', 'primary_key', `primary_key column "${c}" is not one of the columns`);
}

/**
 * The table and column a foreign key references, or undefined: the table (DF115) or column (DF116)
 * does not exist, or the column is not a single-column primary key or UNIQUE (DF117).
 */
export function referenced(
  b: PlanBuilder,
  ref: { table: string; column: string },
): { table: Table; column: Column } | undefined {
  const field = 'references';
  const target = b.schema.tables.find((t) => t.name === ref.table);
  if (!target) return void b.error('DF115', field, `referenced table "${ref.table}" does not exist`);
  const rc = target.columns.find((c) => c.name === ref.column);
  if (!rc)
    return void b.error(
      'DF116',
      field,
      `referenced column "${ref.column}" does not exist in table "${target.name}"; its columns are: ${target.columns.map((c) => c.name).join(', ')}`,
    );
  const single = (cols: readonly string[]) => cols.length === 1 && cols[0] === rc.name;
  const keyed =
    target.constraints.some((k) => (k.kind === 'primary_key' || k.kind === 'unique') && single(k.columns)) ||
    target.indexes.some((i) => i.unique && i.where === null && single(i.columns));
  if (!keyed)
    return void b.error(
      'DF117',
      field,
      `"${target.name}"."${rc.name}" is not a primary key or UNIQUE column, so a foreign key cannot reference it; add_constraint unique on it first`,
    );
  return { table: target, column: rc };
}
