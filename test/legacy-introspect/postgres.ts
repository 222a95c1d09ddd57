/**
 * Reads the connection's current schema (`current_schema()`, usually public) from pg_catalog into
 * the neutral schema model. One catalog query for every object kind, one query for exact row
 * counts of small tables; both read only, under a lock_timeout, so introspection never writes and
 * never hangs behind another session's lock.
 */
import type { Column, Constraint, ConstraintKind, Index, Schema, Table, Trigger, View } from '../../shared/schema.ts';
import { DatabaseError, type Driver } from '../../electron/db/driver.ts';
import { canonicalDefault, canonicalType } from '../../electron/db/postgres/canonical.ts';
import { readOnly } from '../../electron/db/postgres/probe.ts';
import { literal, quoteIdent } from '../../electron/db/postgres/render.ts';

/** Tables with fewer rows than this (by reltuples, or never analysed) get an exact count(*). */
export const EXACT_COUNT_BELOW = 100_000;
/** Lock wait allowed to introspection before it gives up with a clear error. */
const LOCK_TIMEOUT_MS = 5000;

const IN_SCHEMA = `JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()`;
const attnames = (rel: string, keys: string) =>
  `ARRAY(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY AS u(num, ord) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = u.num ORDER BY u.ord)`;

const TABLES = `
SELECT c.relname AS name, c.relkind AS kind, c.reltuples::float8 AS reltuples,
  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
  COALESCE((SELECT json_agg(json_build_object(
      'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'notnull', a.attnotnull,
      'default', pg_get_expr(d.adbin, d.adrelid), 'identity', a.attidentity, 'generated', a.attgenerated,
      'collation', CASE WHEN a.attcollation <> t.typcollation THEN (SELECT quote_ident(co.collname) FROM pg_collation co WHERE co.oid = a.attcollation) END
    ) ORDER BY a.attnum)
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]') AS columns
FROM pg_class c ${IN_SCHEMA} AND c.relkind IN ('r', 'p')`;

const INDEXES = `
SELECT c.relname AS table, ic.relname AS name, i.indisunique AS unique,
  pg_get_expr(i.indpred, i.indrelid) AS where, pg_get_indexdef(i.indexrelid) AS sql,
  EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) AS backed,
  ARRAY(SELECT CASE WHEN u.num = 0 THEN pg_get_indexdef(i.indexrelid, u.ord::int, true) ELSE a.attname::text END
    FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS u(num, ord)
    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.num
    WHERE u.ord <= i.indnkeyatts ORDER BY u.ord) AS columns
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
${IN_SCHEMA} AND c.relkind IN ('r', 'p')`;

const CONSTRAINTS = `
SELECT k.conname AS name, c.relname AS table, k.contype AS type, ${attnames('k.conrelid', 'k.conkey')} AS columns,
  CASE WHEN k.contype = 'c' THEN pg_get_expr(k.conbin, k.conrelid) END AS expression,
  f.relname AS ref_table, ${attnames('k.confrelid', 'k.confkey')} AS ref_columns,
  k.confdeltype AS on_delete, k.convalidated AS validated, pg_get_constraintdef(k.oid) AS def
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_class f ON f.oid = k.confrelid
${IN_SCHEMA} AND c.relkind IN ('r', 'p') AND k.contype IN ('p', 'u', 'c', 'f', 'x')`;

const VIEWS = `
SELECT c.relname AS name, c.relkind AS kind, pg_get_viewdef(c.oid, true) AS sql,
  ARRAY(SELECT DISTINCT e FROM pg_rewrite rw
    JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
      AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> c.oid
    JOIN pg_class t ON t.oid = d.refobjid AND t.relnamespace = c.relnamespace
    LEFT JOIN pg_attribute a ON d.refobjsubid > 0 AND a.attrelid = t.oid AND a.attnum = d.refobjsubid
    CROSS JOIN LATERAL unnest(ARRAY[t.relname::text, t.relname::text || '.' || a.attname::text]) AS e
    WHERE rw.ev_class = c.oid AND e IS NOT NULL ORDER BY e) AS depends_on
FROM pg_class c ${IN_SCHEMA} AND c.relkind IN ('v', 'm')`;

const TRIGGERS = `
SELECT tg.tgname AS name, c.relname AS table, pg_get_triggerdef(tg.oid) AS sql
FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid ${IN_SCHEMA} AND NOT tg.tgisinternal`;

const agg = (sql: string, order: string) => `(SELECT COALESCE(json_agg(x ORDER BY ${order}), '[]') FROM (${sql}) x)`;

const CATALOG = `SELECT current_schema() AS schema, split_part(current_setting('server_version'), ' ', 1) AS version,
  ${agg(TABLES, 'x.name')} AS tables,
  ${agg(INDEXES, 'x.table, x.name')} AS indexes,
  ${agg(CONSTRAINTS, 'x.table, x.name')} AS constraints,
  ${agg(VIEWS, 'x.name')} AS views,
  ${agg(TRIGGERS, 'x.table, x.name')} AS triggers`;

interface RawColumn {
  name: string;
  type: string;
  notnull: boolean;
  default: string | null;
  identity: string;
  generated: string;
  collation: string | null;
}
interface RawTable {
  name: string;
  kind: string;
  reltuples: number;
  partition_by: string | null;
  columns: RawColumn[];
}
interface RawIndex {
  table: string;
  name: string;
  unique: boolean;
  where: string | null;
  sql: string;
  backed: boolean;
  columns: string[];
}
interface RawConstraint {
  name: string;
  table: string;
  type: string;
  columns: string[];
  expression: string | null;
  ref_table: string | null;
  ref_columns: string[];
  on_delete: string;
  validated: boolean;
  def: string;
}
interface RawView {
  name: string;
  kind: string;
  sql: string;
  depends_on: string[];
}
interface Catalog {
  schema: string | null;
  version: string;
  tables: RawTable[];
  indexes: RawIndex[];
  constraints: RawConstraint[];
  views: RawView[];
  triggers: Trigger[];
}

const KINDS: Record<string, ConstraintKind> = { p: 'primary_key', u: 'unique', c: 'check', f: 'foreign_key' };
/** ON DELETE actions; NO ACTION, the default, is null (as the model has it when none was asked for). */
const ON_DELETE: Record<string, string> = { r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** The connection's current schema as the neutral model. */
export async function introspect(driver: Driver): Promise<Schema> {
  const res = await readOnly(driver, LOCK_TIMEOUT_MS, async () => {
    const cat = (await driver.query<Catalog>(CATALOG)).rows[0];
    if (!cat) throw new Error('the catalog query returned no row');
    return { cat, counts: await countRows(driver, cat.tables) };
  });
  if (!res.ok) {
    const why =
      res.code === '55P03' ? `another session held a lock for more than ${LOCK_TIMEOUT_MS / 1000} s` : res.message;
    throw new DatabaseError(`cannot read the schema of ${driver.label}: ${why}`, res.code);
  }
  const { cat, counts } = res.value;
  if (cat.schema === null) {
    throw new DatabaseError(`${driver.label} has no current schema: its search_path names no existing schema`, '3F000');
  }
  return {
    dialect: 'postgres',
    version: cat.version,
    tables: cat.tables.map((t) => buildTable(t, cat, counts.get(t.name))),
    views: cat.views.map((v): View => ({ name: v.name, sql: v.sql.trim(), dependsOn: v.depends_on })),
    triggers: cat.triggers.map((t): Trigger => ({ name: t.name, table: t.table, sql: t.sql })),
  };
}

/** Exact counts for small (or never analysed) tables in one statement; estimates if a lock blocks it. */
async function countRows(driver: Driver, tables: RawTable[]): Promise<Map<string, number>> {
  const small = tables.filter((t) => t.kind === 'r' && t.reltuples < EXACT_COUNT_BELOW);
  if (small.length === 0) return new Map();
  const sql = small
    .map((t) => `SELECT ${literal(t.name)} AS name, count(*)::int8 AS n FROM ${quoteIdent(t.name)}`)
    .join(' UNION ALL ');
  await driver.query('SAVEPOINT dataflow_count');
  try {
    const { rows } = await driver.query<{ name: string; n: number | string }>(sql);
    await driver.query('RELEASE SAVEPOINT dataflow_count');
    return new Map(rows.map((r) => [r.name, Number(r.n)]));
  } catch (e) {
    if (!(e instanceof DatabaseError) || e.code !== '55P03') throw e;
    await driver.query('ROLLBACK TO SAVEPOINT dataflow_count');
    return new Map();
  }
}

function buildTable(raw: RawTable, cat: Catalog, count: number | undefined): Table {
  const constraints = cat.constraints.filter((k) => k.table === raw.name);
  const pk = new Set(constraints.find((k) => k.type === 'p')?.columns ?? []);
  const columns = raw.columns.map((c): Column => {
    const type = canonicalType(c.type);
    return {
      name: c.name,
      type,
      nullable: !c.notnull,
      default: c.generated ? null : canonicalDefault(c.default, type),
      primaryKey: pk.has(c.name),
      ...(c.identity === 'a' || c.identity === 'd' ? { identity: true as const } : {}),
    };
  });
  const indexes = cat.indexes
    .filter((i) => i.table === raw.name)
    .map((i): Index => ({
      name: i.name,
      table: i.table,
      columns: i.columns,
      unique: i.unique,
      where: i.where,
      constraintBacked: i.backed,
      sql: i.sql,
    }));
  return {
    name: raw.name,
    columns,
    indexes,
    constraints: constraints.flatMap((k): Constraint[] => {
      const kind = KINDS[k.type];
      if (!kind) return [];
      return [
        {
          name: k.name,
          table: k.table,
          kind,
          columns: k.columns,
          expression: k.expression,
          references:
            kind === 'foreign_key'
              ? { table: k.ref_table ?? '', columns: k.ref_columns, onDelete: ON_DELETE[k.on_delete] ?? null }
              : null,
          validated: k.validated,
        },
      ];
    }),
    rowEstimate: count ?? Math.max(0, Math.round(raw.reltuples)),
    ddl: tableDdl(raw, constraints, indexes),
  };
}

/** CREATE TABLE reconstructed from the catalog, then the table's own (not constraint) indexes. */
function tableDdl(raw: RawTable, constraints: RawConstraint[], indexes: Index[]): string {
  const lines = raw.columns.map((c) => {
    let s = `  ${quoteIdent(c.name)} ${c.type}`;
    if (c.collation) s += ` COLLATE ${c.collation}`;
    if (c.generated === 's' && c.default) s += ` GENERATED ALWAYS AS (${c.default}) STORED`;
    else if (c.default) s += ` DEFAULT ${c.default}`;
    if (c.identity === 'a') s += ' GENERATED ALWAYS AS IDENTITY';
    if (c.identity === 'd') s += ' GENERATED BY DEFAULT AS IDENTITY';
    return c.notnull ? `${s} NOT NULL` : s;
  });
  const order = ['p', 'u', 'x', 'c', 'f'];
  const sorted = [...constraints].sort(
    (a, b) => order.indexOf(a.type) - order.indexOf(b.type) || a.name.localeCompare(b.name),
  );
  for (const k of sorted) lines.push(`  CONSTRAINT ${quoteIdent(k.name)} ${k.def}`);
  const partition = raw.partition_by ? ` PARTITION BY ${raw.partition_by}` : '';
  const own = indexes.filter((i) => !i.constraintBacked && i.sql).map((i) => `${i.sql};`);
  return [`CREATE TABLE ${quoteIdent(raw.name)} (\n${lines.join(',\n')}\n)${partition};`, ...own].join('\n');
}
