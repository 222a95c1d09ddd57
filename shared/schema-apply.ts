/**
 * The schema as it will be after one SchemaModificationNode operation, computed on the neutral
 * model without a database. Dialect planners use it for `Plan.after` (and SQLite for the table
 * definition of a rebuild); plan mode carries it from node to node.
 *
 * Conventions of the model this produces (introspection should report the same):
 * - `Column.type` is the canonical text of the type grammar (`formatColumnType`).
 * - `Column.default` is SQL text: a literal default is rendered by `render.literal`, an
 *   `{sql: ...}` default is its trimmed text, a `null` default means no default.
 * - An identity column (`identity`, or a serial column_type) is `identity: true`, NOT NULL,
 *   without a default (the planners refuse a default on it).
 * - UNIQUE and PRIMARY KEY constraints it adds carry a backing index of the same name with
 *   `constraintBacked: true` (as PostgreSQL names them); dropping such a constraint also drops a
 *   constraint-backed unique index on its columns (SQLite's `sqlite_autoindex_*`).
 * - Synthesized names come from `chooseConstraintName`, so planners and the model agree.
 * - `Table.ddl` of a changed table and `Index.sql` of a created index are descriptive DDL of the
 *   model (identifiers double-quoted); the database's own text replaces them at introspection.
 */
import { formatColumnType, isIdentity, parseColumnType } from './column-type.ts';
import type { SchemaModificationParams } from './nodes/schema-modification.ts';
import type { Column, ConstraintKind, Index, Schema, Table } from './schema.ts';
import { madeFrom, tableNamed, tablesHoldingName, tablesReferencing } from './schema-names.ts';
import { tokenize } from './sql-expression.ts';

/** How literal defaults are rendered as SQL text (the dialect's `literal`). */
export interface LiteralRenderer {
  literal(value: string | number | bigint | boolean): string;
}

export type NameKind = ConstraintKind | 'not_null' | 'index';

const MAX_IDENT = 63;

function hash8(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * The default name of a constraint or index, PostgreSQL style: `users_pkey`,
 * `users_email_key` (unique), `orders_total_amount_check`, `orders_user_id_fkey`,
 * `orders_total_amount_not_null` (the temporary CHECK of a safe SET NOT NULL),
 * `idx_users_email` (index). Names longer than 63 characters are cut and given a hash suffix.
 */
export function defaultConstraintName(table: string, kind: NameKind, columns: readonly string[]): string {
  const cols = columns.join('_');
  const name =
    kind === 'primary_key'
      ? `${table}_pkey`
      : kind === 'index'
        ? `idx_${table}${cols ? `_${cols}` : ''}`
        : `${table}${cols ? `_${cols}` : ''}_${{ unique: 'key', check: 'check', foreign_key: 'fkey', not_null: 'not_null' }[kind]}`;
  return name.length <= MAX_IDENT ? name : `${name.slice(0, MAX_IDENT - 9)}_${hash8(name)}`;
}

/** What every name defaultConstraintName gives a constraint (not an index) of `table` starts with. */
export function constraintNamePrefix(table: string): string {
  return table.slice(0, MAX_IDENT - 9);
}

/**
 * A schema being made by applySchemaChange: the schema it is made from, the tables of that one it
 * replaced by copies, and the tables it holds anew (the copies, a new table). Name checks on it
 * look the shared tables up in the base's index (shared/schema-names.ts) and read its own tables.
 */
interface Draft {
  base: Schema;
  replaced: Set<Table>;
  own: Table[];
}

const drafts = new WeakMap<Schema, Draft>();

/** Whether table `t` is named `name` or has an index or a constraint of that name. */
function holdsName(t: Table, name: string): boolean {
  return t.name === name || t.indexes.some((i) => i.name === name) || t.constraints.some((k) => k.name === name);
}

/**
 * The tables of `schema` that may hold `name` (tablesHoldingName: a name, index or constraint name
 * in any letter case); of a draft, those of its base it kept and its own.
 */
function holdersOf(schema: Schema, name: string): Table[] {
  const draft = drafts.get(schema);
  if (!draft) return tablesHoldingName(schema, name);
  return [
    ...tablesHoldingName(draft.base, name).filter((t) => !draft.replaced.has(t)),
    ...draft.own.filter((t) => schema.tables.includes(t)),
  ];
}

/**
 * The tables of draft `s` whose foreign keys may reference the operation's table: its own tables,
 * as applySchemaChange copied every table that references it.
 */
function ownTables(s: Schema): Table[] {
  return drafts.get(s)!.own.filter((t) => s.tables.includes(t));
}

/** Whether a relation, index or constraint of `schema` is named `name`. */
function nameTaken(schema: Schema, name: string): boolean {
  return holdersOf(schema, name).some((t) => holdsName(t, name)) || schema.views.some((v) => v.name === name);
}

/**
 * `defaultConstraintName`, or with a numeric suffix (`..._check1`, `..._check2`) when that name is
 * already used in the schema. Planners call this with the schema they plan against.
 */
export function chooseConstraintName(
  schema: Schema,
  table: string,
  kind: NameKind,
  columns: readonly string[],
): string {
  const base = defaultConstraintName(table, kind, columns);
  if (!nameTaken(schema, base)) return base;
  for (let n = 1; ; n++) {
    const suffix = String(n);
    const name =
      base.length + suffix.length <= MAX_IDENT ? base + suffix : base.slice(0, MAX_IDENT - suffix.length) + suffix;
    if (!nameTaken(schema, name)) return name;
  }
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qList = (cols: readonly string[]) => cols.map(q).join(', ');

/** Descriptive CREATE TABLE text of a model table. */
function describeTable(t: Omit<Table, 'ddl'>): string {
  const lines = t.columns.map(
    (c) =>
      `  ${q(c.name)} ${c.type}${c.nullable ? '' : ' NOT NULL'}${c.default === null ? '' : ` DEFAULT ${c.default}`}`,
  );
  for (const k of t.constraints) {
    const body =
      k.kind === 'primary_key'
        ? `PRIMARY KEY (${qList(k.columns)})`
        : k.kind === 'unique'
          ? `UNIQUE (${qList(k.columns)})`
          : k.kind === 'check'
            ? `CHECK (${k.expression ?? ''})`
            : `FOREIGN KEY (${qList(k.columns)}) REFERENCES ${q(k.references?.table ?? '')} (${qList(k.references?.columns ?? [])})${k.references?.onDelete ? ` ON DELETE ${k.references.onDelete.toUpperCase()}` : ''}`;
    lines.push(`  CONSTRAINT ${q(k.name)} ${body}${k.validated ? '' : ' NOT VALID'}`);
  }
  return `CREATE TABLE ${q(t.name)} (\n${lines.join(',\n')}\n)`;
}

function describeIndex(i: Omit<Index, 'sql'>): string {
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)} ON ${q(i.table)} (${qList(i.columns)})${i.where ? ` WHERE ${i.where}` : ''}`;
}

function fallbackRenderer(schema: Schema): LiteralRenderer {
  return {
    literal: (v) =>
      typeof v === 'string'
        ? `'${v.replace(/'/g, "''")}'`
        : typeof v === 'number' || typeof v === 'bigint'
          ? String(v)
          : schema.dialect === 'postgres'
            ? String(v)
            : v
              ? 'TRUE'
              : 'FALSE',
  };
}

/** Rewrites identifier references `from` -> `to` in SQL text, leaving strings and other tokens alone. */
function renameIdentifier(sql: string, from: string, to: string): string {
  let out = '';
  let last = 0;
  for (const t of tokenize(sql)) {
    const hit = (t.kind === 'word' && t.value === from.toLowerCase()) || (t.kind === 'quoted' && t.value === from);
    if (!hit) continue;
    out += sql.slice(last, t.start) + (/^[a-z_][a-z0-9_]*$/.test(to) ? to : q(to));
    last = t.end;
  }
  return out + sql.slice(last);
}

function mentions(sql: string | null, name: string): boolean {
  if (!sql) return false;
  return tokenize(sql).some(
    (t) => (t.kind === 'word' && t.value === name.toLowerCase()) || (t.kind === 'quoted' && t.value === name),
  );
}

type ChangeFn = (s: Schema) => void;

/**
 * Applies one operation to a copy of `schema` and returns the copy; `schema` is never changed.
 * `render.literal` renders literal defaults in the dialect (defaults to standard SQL literals).
 * Throws an Error naming what is missing or in the way (absent table, column, index or
 * constraint; a name already used; a foreign key that blocks a drop), except that a missing
 * object of a drop with `if_exists` leaves the schema unchanged.
 */
export function applySchemaChange(schema: Schema, params: SchemaModificationParams, render?: LiteralRenderer): Schema {
  // An operation changes its own table and, through foreign keys, the tables that reference it
  // (a rename also views and triggers): only those are copied, the rest is shared with `schema`.
  const copies = new Map<Table, Table>();
  const copied = new Set(tablesReferencing(schema, params.table));
  const own = tableNamed(schema, params.table);
  if (own) copied.add(own);
  const tables = schema.tables.slice();
  for (const t of copied) {
    const copy = structuredClone(t);
    copies.set(copy, t);
    tables[tables.indexOf(t)] = copy;
  }
  // Only a rename changes views and triggers in place: the other operations share them.
  const renames = params.operation === 'rename_table';
  const next: Schema = {
    ...schema,
    tables,
    views: renames ? structuredClone(schema.views) : schema.views,
    triggers: renames ? structuredClone(schema.triggers) : schema.triggers,
  };
  const draft: Draft = { base: schema, replaced: copied, own: [...copies.keys()] };
  drafts.set(next, draft);
  try {
    change(params, render ?? fallbackRenderer(schema))(next);
  } finally {
    drafts.delete(next);
  }
  // Its change, noted for the name index and the inspector's outlines (each list in its schema's order).
  const inOrder = (list: Table[], of: Schema) => {
    const at = new Map(list.map((t) => [t, of.tables.indexOf(t)]));
    return list.sort((x, y) => at.get(x)! - at.get(y)!);
  };
  madeFrom(next, schema, {
    gone: inOrder([...copied], schema),
    added: inOrder(
      draft.own.filter((t) => next.tables.includes(t)),
      next,
    ),
  });
  const shape = (t: Table) => JSON.stringify([t.name, t.columns, t.constraints]);
  const before = new Set([...copies.values()].map(shape));
  // Only the copies and a new table can differ from `schema`'s tables.
  for (const t of draft.own) if (!before.has(shape(t))) t.ddl = describeTable(t);
  return next;
}

function change(p: SchemaModificationParams, r: LiteralRenderer): ChangeFn {
  const tableName = p.table;
  const fail = (msg: string): never => {
    throw new Error(`${p.operation} on "${tableName}": ${msg}`);
  };
  // The operation's own table is one of the draft's own tables (a copy), or absent.
  const table = (s: Schema): Table => {
    const t = drafts.get(s)?.own.find((x) => x.name === tableName && s.tables.includes(x));
    if (!t) return fail(`table "${tableName}" does not exist`);
    return t;
  };
  const column = (t: Table, name: string): Column => {
    const c = t.columns.find((x) => x.name === name);
    if (!c) return fail(`column "${name}" does not exist in table "${t.name}"`);
    return c;
  };
  const type = (text: string): string => {
    const parsed = parseColumnType(text);
    if (!parsed.ok) return fail(parsed.error);
    return formatColumnType(parsed.type);
  };
  const defaultSql = (v: SchemaModificationParams['default_value']): string | null => {
    if (v === undefined || v === null) return null;
    if (typeof v === 'object') return v.sql.trim();
    return r.literal(v);
  };
  const freeName = (s: Schema, name: string) => {
    if (nameTaken(s, name)) fail(`the name "${name}" is already used by a table, index or constraint`);
  };
  const addKeyConstraint = (s: Schema, t: Table, kind: 'unique' | 'primary_key', cols: string[], name: string) => {
    freeName(s, name);
    for (const c of cols) column(t, c);
    if (kind === 'primary_key') {
      const pk = t.constraints.find((k) => k.kind === 'primary_key');
      if (pk) fail(`table "${t.name}" already has a primary key ("${pk.name}")`);
      for (const c of t.columns) if (cols.includes(c.name)) Object.assign(c, { primaryKey: true, nullable: false });
    }
    t.constraints.push({
      name,
      table: t.name,
      kind,
      columns: cols,
      expression: null,
      references: null,
      validated: true,
    });
    t.indexes.push({
      name,
      table: t.name,
      columns: cols,
      unique: true,
      where: null,
      constraintBacked: true,
      sql: null,
    });
  };
  const ifExists = (what: string): void => {
    if (!p.if_exists) fail(`${what} does not exist; set if_exists to skip this operation when it is absent`);
  };

  switch (p.operation) {
    case 'add_column':
      return (s) => {
        const t = table(s);
        const name = p.column_name;
        if (t.columns.some((c) => c.name === name)) fail(`column "${name}" already exists in table "${t.name}"`);
        const numbered = isIdentity(p.identity, p.column_type);
        t.columns.push({
          name,
          type: type(p.column_type),
          nullable: !numbered && (p.nullable ?? true),
          default: numbered ? null : defaultSql(p.default_value),
          primaryKey: false,
          ...(numbered ? { identity: true as const } : {}),
        });
        if (p.unique) addKeyConstraint(s, t, 'unique', [name], chooseConstraintName(s, t.name, 'unique', [name]));
      };
    case 'drop_column':
      return (s) => {
        const t = table(s);
        const name = p.column_name;
        if (!t.columns.some((c) => c.name === name)) return ifExists(`column "${name}" of table "${t.name}"`);
        for (const o of ownTables(s)) {
          for (const k of o.constraints) {
            const own = o.name === t.name && k.columns.includes(name);
            if (!own && k.references?.table === t.name && k.references.columns.includes(name)) {
              fail(
                `column "${name}" is referenced by foreign key "${k.name}" of table "${o.name}"; drop that constraint first`,
              );
            }
          }
        }
        const involved = (cols: string[], sql: string | null) => cols.includes(name) || mentions(sql, name);
        t.columns = t.columns.filter((c) => c.name !== name);
        const droppedConstraints = new Set(
          t.constraints.filter((k) => involved(k.columns, k.expression)).map((k) => k.name),
        );
        t.constraints = t.constraints.filter((k) => !droppedConstraints.has(k.name));
        t.indexes = t.indexes.filter(
          (i) => !involved(i.columns, i.where) && !(i.constraintBacked && droppedConstraints.has(i.name)),
        );
        if (droppedConstraints.size > 0 && !t.constraints.some((k) => k.kind === 'primary_key')) {
          for (const c of t.columns) c.primaryKey = false;
        }
      };
    case 'rename_column':
      return (s) => {
        const t = table(s);
        const c = column(t, p.column_name);
        const to = p.new_name;
        if (t.columns.some((x) => x.name === to)) fail(`column "${to}" already exists in table "${t.name}"`);
        const from = c.name;
        const ren = (cols: string[]) => cols.map((x) => (x === from ? to : x));
        c.name = to;
        for (const i of t.indexes) {
          i.columns = ren(i.columns);
          if (i.where) i.where = renameIdentifier(i.where, from, to);
          if (i.sql) i.sql = describeIndex(i);
        }
        for (const k of t.constraints) {
          k.columns = ren(k.columns);
          if (k.expression) k.expression = renameIdentifier(k.expression, from, to);
        }
        for (const o of ownTables(s)) {
          for (const k of o.constraints) {
            if (k.references?.table === t.name) k.references.columns = ren(k.references.columns);
          }
        }
      };
    case 'alter_column_type':
      return (s) => {
        const c = column(table(s), p.column_name);
        c.type = type(p.column_type);
      };
    case 'set_default':
      return (s) => {
        const c = column(table(s), p.column_name);
        c.default = defaultSql(p.default_value);
      };
    case 'drop_default':
      return (s) => {
        column(table(s), p.column_name).default = null;
      };
    case 'add_constraint':
      return (s) => {
        const t = table(s);
        const kind = p.constraint_type;
        if (kind === 'not_null') {
          column(t, p.column_name).nullable = false;
          return;
        }
        const cols = p.columns ?? (p.column_name ? [p.column_name] : []);
        const name = p.constraint_name ?? chooseConstraintName(s, t.name, kind, cols);
        if (kind === 'unique' || kind === 'primary_key') {
          if (cols.length === 0) fail(`column_name or columns is required for constraint_type ${kind}`);
          return addKeyConstraint(s, t, kind, cols, name);
        }
        freeName(s, name);
        for (const c of cols) column(t, c);
        if (kind === 'check') {
          const expression = p.expression.trim();
          t.constraints.push({
            name,
            table: t.name,
            kind,
            columns: cols,
            expression,
            references: null,
            validated: true,
          });
          return;
        }
        const ref = p.references;
        const target = s.tables.find((x) => x.name === ref.table);
        if (!target) fail(`referenced table "${ref.table}" does not exist`);
        else column(target, ref.column);
        if (cols.length !== 1) fail('a foreign key takes one column (column_name)');
        t.constraints.push({
          name,
          table: t.name,
          kind,
          columns: cols,
          expression: null,
          references: { table: ref.table, columns: [ref.column], onDelete: ref.on_delete ?? null },
          validated: true,
        });
      };
    case 'drop_constraint':
      return (s) => {
        const t = table(s);
        const name = p.constraint_name;
        const k = t.constraints.find((x) => x.name === name);
        if (k) {
          t.constraints = t.constraints.filter((x) => x !== k);
          const keyed = k.kind === 'unique' || k.kind === 'primary_key';
          const backs = (i: Index) =>
            i.name === name || (keyed && i.unique && JSON.stringify(i.columns) === JSON.stringify(k.columns));
          t.indexes = t.indexes.filter((i) => !(i.constraintBacked && backs(i)));
          if (k.kind === 'primary_key') for (const c of t.columns) c.primaryKey = false;
          return;
        }
        const backing = t.indexes.find((i) => i.name === name && i.unique);
        if (backing) {
          t.indexes = t.indexes.filter((i) => i !== backing);
          return;
        }
        ifExists(`constraint "${name}" of table "${t.name}"`);
      };
    case 'create_index':
      return (s) => {
        const t = table(s);
        const cols = p.columns;
        for (const c of cols) column(t, c);
        const name = p.index_name ?? chooseConstraintName(s, t.name, 'index', cols);
        freeName(s, name);
        const idx: Omit<Index, 'sql'> = {
          name,
          table: t.name,
          columns: cols,
          unique: p.unique ?? false,
          where: p.where?.trim() ?? null,
          constraintBacked: false,
        };
        t.indexes.push({ ...idx, sql: describeIndex(idx) });
      };
    case 'drop_index':
      return (s) => {
        const name = p.index_name;
        const owner = holdersOf(s, name).find((t) => t.indexes.some((i) => i.name === name));
        if (!owner) {
          table(s);
          return ifExists(`index "${name}"`);
        }
        if (owner.name !== tableName) fail(`index "${name}" belongs to table "${owner.name}", not "${tableName}"`);
        const t = table(s);
        const idx = t.indexes.find((i) => i.name === name)!;
        if (idx.constraintBacked) fail(`index "${name}" belongs to constraint "${name}"; use drop_constraint`);
        t.indexes = t.indexes.filter((i) => i !== idx);
      };
    case 'create_table':
      return (s) => {
        if (s.tables.some((t) => t.name === tableName) || s.views.some((v) => v.name === tableName)) {
          fail(`a table or view named "${tableName}" already exists`);
        }
        const specs = p.columns;
        const seen = new Set<string>();
        for (const c of specs) {
          if (seen.has(c.name)) fail(`column "${c.name}" appears twice`);
          seen.add(c.name);
        }
        const flagged = specs.filter((c) => c.primary_key).map((c) => c.name);
        const given = p.primary_key;
        if (given && flagged.some((c) => !given.includes(c))) {
          fail(
            `primary_key ${JSON.stringify(given)} disagrees with the columns marked primary_key ${JSON.stringify(flagged)}`,
          );
        }
        const pk = given ?? flagged;
        for (const c of pk) if (!seen.has(c)) fail(`primary_key column "${c}" is not one of the columns`);
        const t: Table = {
          name: tableName,
          columns: specs.map((c) => {
            const numbered = isIdentity(c.identity, c.type);
            return {
              name: c.name,
              type: type(c.type),
              nullable: c.nullable && !pk.includes(c.name) && !numbered,
              default: numbered ? null : defaultSql(c.default_value),
              primaryKey: pk.includes(c.name),
              ...(numbered ? { identity: true as const } : {}),
            };
          }),
          indexes: [],
          constraints: [],
          rowEstimate: 0,
          ddl: '',
        };
        s.tables.push(t);
        drafts.get(s)?.own.push(t);
        if (pk.length > 0)
          addKeyConstraint(s, t, 'primary_key', pk, chooseConstraintName(s, t.name, 'primary_key', pk));
        for (const c of specs) {
          if (c.unique && !(pk.length === 1 && pk[0] === c.name)) {
            addKeyConstraint(s, t, 'unique', [c.name], chooseConstraintName(s, t.name, 'unique', [c.name]));
          }
        }
      };
    case 'drop_table':
      return (s) => {
        if (!s.tables.some((t) => t.name === tableName)) return ifExists(`table "${tableName}"`);
        for (const o of ownTables(s)) {
          for (const k of o.constraints) {
            if (o.name !== tableName && k.references?.table === tableName) {
              fail(
                `table "${tableName}" is referenced by foreign key "${k.name}" of table "${o.name}"; drop that constraint first`,
              );
            }
          }
        }
        s.tables = s.tables.filter((t) => t.name !== tableName);
        s.triggers = s.triggers.filter((t) => t.table !== tableName);
      };
    case 'rename_table':
      return (s) => {
        const t = table(s);
        const to = p.new_name;
        if (s.tables.some((x) => x.name === to) || s.views.some((v) => v.name === to))
          fail(`a table or view named "${to}" already exists`);
        t.name = to;
        for (const i of t.indexes) {
          i.table = to;
          if (i.sql) i.sql = describeIndex(i);
        }
        for (const k of t.constraints) k.table = to;
        for (const o of ownTables(s)) {
          for (const k of o.constraints) {
            if (k.references?.table === tableName) k.references.table = to;
          }
        }
        for (const tr of s.triggers) if (tr.table === tableName) tr.table = to;
        for (const v of s.views) {
          v.dependsOn = v.dependsOn.map((d) =>
            d === tableName ? to : d.startsWith(`${tableName}.`) ? to + d.slice(tableName.length) : d,
          );
        }
      };
  }
}
