/**
 * Reads the connection's current schema (`current_schema()`, usually public) from pg_catalog into
 * the neutral schema model: one flat, set-based query per object kind (columns, indexes,
 * constraints of every table at once, grouped by table in one pass), read in one REPEATABLE READ
 * snapshot, then exact row counts of the small tables in batches that each release their locks.
 * Read only, under a lock_timeout, so introspection never writes, never hangs behind another
 * session's lock, and never holds a lock per table of the schema (a database of thousands of
 * tables stays within the server's default max_locks_per_transaction).
 */
import { groupBy } from '../../../shared/group-by.ts';
import type {
  Column,
  Constraint,
  ConstraintKind,
  Index,
  Schema,
  Table,
  Trigger,
  View,
} from '../../../shared/schema.ts';
import type { SchemaRefresh } from '../dialect.ts';
import { DatabaseError, type Driver } from '../driver.ts';
import { canonicalDefault, canonicalType } from './canonical.ts';
import { readOnly } from './probe.ts';
import { literal, quoteIdent } from './render.ts';

/** Tables with fewer rows than this (by reltuples, or never analysed) get an exact count(*). */
export const EXACT_COUNT_BELOW = 100_000;
/**
 * Tables whose size one statement reads (one lock each), and tables one count(*) statement counts
 * (a lock for the table and each of its indexes, taken by the planner). Each batch runs in a
 * savepoint rolled back after it, which releases its locks: a run holds at most one batch's.
 */
export const SIZE_BATCH = 250;
export const COUNT_BATCH = 40;
/** Lock wait allowed to introspection before it gives up with a clear error. */
const LOCK_TIMEOUT_MS = 5000;

const IN_SCHEMA = `JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()`;
/** Limits a table query to the tables named by its parameter $1 (a refresh), or to every table. */
const ONLY = `AND ($1::text[] IS NULL OR c.relname = ANY($1::text[]))`;
const attnames = (rel: string, keys: string) =>
  `ARRAY(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY AS u(num, ord) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = u.num ORDER BY u.ord)`;

const HEADER = `SELECT current_schema() AS schema, split_part(current_setting('server_version'), ' ', 1) AS version`;

const TABLES = `
SELECT c.oid AS oid, c.relname AS name, c.relkind AS kind, c.reltuples::float8 AS reltuples,
  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by
FROM pg_class c ${IN_SCHEMA} AND c.relkind IN ('r', 'p') ${ONLY} ORDER BY c.relname`;

const TABLE_NAMES = `SELECT c.relname AS name FROM pg_class c ${IN_SCHEMA} AND c.relkind IN ('r', 'p') ORDER BY c.relname`;

const COLUMNS = `
SELECT c.relname AS table, a.attnum AS num, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
  pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity AS identity, a.attgenerated AS generated,
  CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(co.collname) END AS collation
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
${IN_SCHEMA} AND c.relkind IN ('r', 'p') ${ONLY} ORDER BY c.relname, a.attnum`;

/** Index keys: column numbers (0 for an expression, whose text is in `exprs`), the first `nkeys` of them keys. */
const INDEXES = `
SELECT c.relname AS table, ic.relname AS name, i.indexrelid::int8::text AS oid, i.indisunique AS unique,
  pg_get_expr(i.indpred, i.indrelid) AS where, pg_get_indexdef(i.indexrelid) AS sql,
  i.indkey::int2[] AS keys, i.indnkeyatts AS nkeys,
  CASE WHEN 0 = ANY (i.indkey::int2[]) THEN ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k) END AS exprs
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
${IN_SCHEMA} AND c.relkind IN ('r', 'p') ${ONLY} ORDER BY c.relname, ic.relname`;

const CONSTRAINTS = `
SELECT k.conname AS name, c.relname AS table, k.contype AS type, ${attnames('k.conrelid', 'k.conkey')} AS columns,
  CASE WHEN k.contype = 'c' THEN pg_get_expr(k.conbin, k.conrelid) END AS expression,
  CASE WHEN k.contype IN ('p', 'u', 'x') THEN k.conindid::int8::text END AS index_oid,
  f.relname AS ref_table, ${attnames('k.confrelid', 'k.confkey')} AS ref_columns,
  k.confdeltype AS on_delete, k.convalidated AS validated, pg_get_constraintdef(k.oid) AS def
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_class f ON f.oid = k.confrelid
${IN_SCHEMA} AND c.relkind IN ('r', 'p') AND k.contype IN ('p', 'u', 'c', 'f', 'x') ${ONLY} ORDER BY c.relname, k.conname`;

const VIEWS = `
SELECT c.relname AS name, c.relkind AS kind, pg_get_viewdef(c.oid, true) AS sql,
  ARRAY(SELECT DISTINCT e FROM pg_rewrite rw
    JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
      AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> c.oid
    JOIN pg_class t ON t.oid = d.refobjid AND t.relnamespace = c.relnamespace
    LEFT JOIN pg_attribute a ON d.refobjsubid > 0 AND a.attrelid = t.oid AND a.attnum = d.refobjsubid
    CROSS JOIN LATERAL unnest(ARRAY[t.relname::text, t.relname::text || '.' || a.attname::text]) AS e
    WHERE rw.ev_class = c.oid AND e IS NOT NULL ORDER BY e) AS depends_on
FROM pg_class c ${IN_SCHEMA} AND c.relkind IN ('v', 'm') ORDER BY c.relname`;

const TRIGGERS = `
SELECT tg.tgname AS name, c.relname AS table, pg_get_triggerdef(tg.oid) AS sql
FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid ${IN_SCHEMA} AND NOT tg.tgisinternal ORDER BY c.relname, tg.tgname`;

interface RawColumn {
  table: string;
  num: number;
  name: string;
  type: string;
  notnull: boolean;
  default: string | null;
  identity: string;
  generated: string;
  collation: string | null;
}
interface RawTable {
  oid: number;
  name: string;
  kind: string;
  reltuples: number;
  partition_by: string | null;
}
interface RawIndex {
  table: string;
  name: string;
  oid: string;
  unique: boolean;
  where: string | null;
  sql: string;
  keys: number[];
  nkeys: number;
  exprs: string[] | null;
}
interface RawConstraint {
  name: string;
  table: string;
  type: string;
  columns: string[];
  expression: string | null;
  /** The index of a primary key, unique or exclusion constraint. */
  index_oid: string | null;
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
/** What the catalog queries read, each list ordered by table (then name). */
interface Catalog {
  schema: string | null;
  version: string;
  /** Every table's name, in order, on a refresh (`tables` then holds only those read again). */
  names: string[] | null;
  tables: RawTable[];
  columns: RawColumn[];
  indexes: RawIndex[];
  constraints: RawConstraint[];
  views: RawView[];
  triggers: Trigger[];
}

const KINDS: Record<string, ConstraintKind> = { p: 'primary_key', u: 'unique', c: 'check', f: 'foreign_key' };
/** ON DELETE actions; NO ACTION, the default, is null (as the model has it when none was asked for). */
const ON_DELETE: Record<string, string> = { r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** The connection's current schema as the neutral model; with `refresh`, see Dialect.introspect. */
export async function introspect(driver: Driver, refresh?: SchemaRefresh): Promise<Schema> {
  const res = await readOnly(
    driver,
    LOCK_TIMEOUT_MS,
    async () => {
      const cat = await readCatalog(driver, refresh);
      return { cat, counts: await countRows(driver, cat.tables) };
    },
    { snapshot: true },
  );
  if (!res.ok) {
    const why =
      res.code === '55P03' ? `another session held a lock for more than ${LOCK_TIMEOUT_MS / 1000} s` : res.message;
    throw new DatabaseError(`cannot read the schema of ${driver.label}: ${why}`, res.code);
  }
  const { cat, counts } = res.value;
  if (cat.schema === null) {
    throw new DatabaseError(`${driver.label} has no current schema: its search_path names no existing schema`, '3F000');
  }
  const columns = groupBy(cat.columns, (r) => r.table);
  const indexes = groupBy(cat.indexes, (r) => r.table);
  const constraints = groupBy(cat.constraints, (r) => r.table);
  const read = new Map(
    cat.tables.map((t) => [
      t.name,
      buildTable(
        t,
        columns.get(t.name) ?? [],
        indexes.get(t.name) ?? [],
        constraints.get(t.name) ?? [],
        counts.get(t.name),
      ),
    ]),
  );
  const kept = new Map(refresh?.schema.tables.map((t) => [t.name, t]));
  return {
    dialect: 'postgres',
    version: cat.version,
    tables: cat.names ? cat.names.flatMap((n) => read.get(n) ?? kept.get(n) ?? []) : [...read.values()],
    views: cat.views.map((v): View => ({ name: v.name, sql: v.sql.trim(), dependsOn: v.depends_on })),
    triggers: cat.triggers.map((t): Trigger => ({ name: t.name, table: t.table, sql: t.sql })),
  };
}

/**
 * The catalog: of every table, or on a refresh of the tables it names and those it did not know
 * (`names` then lists every table, in order).
 */
async function readCatalog(driver: Driver, refresh: SchemaRefresh | undefined): Promise<Catalog> {
  const header = (await driver.query<{ schema: string | null; version: string }>(HEADER)).rows[0];
  if (!header) throw new Error('the catalog query returned no row');
  let names: string[] | null = null;
  let only: string[] | null = null;
  if (refresh) {
    names = (await driver.query<{ name: string }>(TABLE_NAMES)).rows.map((r) => r.name);
    const changed = new Set(refresh.tables);
    const known = new Set(refresh.schema.tables.map((t) => t.name));
    only = names.filter((n) => changed.has(n) || !known.has(n));
  }
  const rows = async <R>(sql: string, params?: unknown[]) => (await driver.query<R>(sql, params)).rows;
  return {
    ...header,
    names,
    tables: await rows<RawTable>(TABLES, [only]),
    columns: await rows<RawColumn>(COLUMNS, [only]),
    indexes: await rows<RawIndex>(INDEXES, [only]),
    constraints: await rows<RawConstraint>(CONSTRAINTS, [only]),
    views: await rows<RawView>(VIEWS),
    triggers: await rows<Trigger>(TRIGGERS),
  };
}

/**
 * Exact counts for small (or never analysed) tables: first their sizes, as a table without a page
 * has no row, then count(*) of the others, each step in batches (SIZE_BATCH, COUNT_BATCH) whose
 * locks a rolled-back savepoint releases. Estimates for all when a lock blocks it.
 */
async function countRows(driver: Driver, tables: RawTable[]): Promise<Map<string, number>> {
  const small = tables.filter((t) => t.kind === 'r' && t.reltuples < EXACT_COUNT_BELOW);
  const counts = new Map<string, number>();
  const filled: RawTable[] = [];
  try {
    for (let i = 0; i < small.length; i += SIZE_BATCH) {
      const batch = small.slice(i, i + SIZE_BATCH);
      const { rows } = await releasingLocks(driver, () =>
        driver.query<{ oid: number; empty: boolean | null }>(
          'SELECT c.oid, pg_relation_size(c.oid) = 0 AS empty FROM pg_class c WHERE c.oid = ANY($1::oid[])',
          [batch.map((t) => t.oid)],
        ),
      );
      const empty = new Set(rows.filter((r) => r.empty === true).map((r) => Number(r.oid)));
      for (const t of batch) {
        if (empty.has(Number(t.oid))) counts.set(t.name, 0);
        else filled.push(t);
      }
    }
    for (let i = 0; i < filled.length; i += COUNT_BATCH) {
      const sql = filled
        .slice(i, i + COUNT_BATCH)
        .map((t) => `SELECT ${literal(t.name)} AS name, count(*)::int8 AS n FROM ${quoteIdent(t.name)}`)
        .join(' UNION ALL ');
      const { rows } = await releasingLocks(driver, () => driver.query<{ name: string; n: number | string }>(sql));
      for (const r of rows) counts.set(r.name, Number(r.n));
    }
  } catch (e) {
    if (!(e instanceof DatabaseError) || e.code !== '55P03') throw e;
    return new Map();
  }
  return counts;
}

/** Runs `fn` in a savepoint that is then rolled back, which releases the locks `fn` took. */
async function releasingLocks<T>(driver: Driver, fn: () => Promise<T>): Promise<T> {
  await driver.query('SAVEPOINT dataflow_count');
  try {
    return await fn();
  } finally {
    await driver.query('ROLLBACK TO SAVEPOINT dataflow_count');
    await driver.query('RELEASE SAVEPOINT dataflow_count');
  }
}

function buildTable(
  raw: RawTable,
  rawColumns: RawColumn[],
  rawIndexes: RawIndex[],
  constraints: RawConstraint[],
  count: number | undefined,
): Table {
  const pk = new Set(constraints.find((k) => k.type === 'p')?.columns ?? []);
  const columns = rawColumns.map((c): Column => {
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
  const names = new Map(rawColumns.map((c) => [c.num, c.name]));
  const backing = new Set(constraints.map((k) => k.index_oid));
  const indexes = rawIndexes.map((i): Index => ({
    name: i.name,
    table: i.table,
    columns: i.keys.slice(0, i.nkeys).map((num, k) => (num === 0 ? i.exprs?.[k] : names.get(num)) ?? ''),
    unique: i.unique,
    where: i.where,
    constraintBacked: backing.has(i.oid),
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
    ddl: tableDdl(raw, rawColumns, constraints, indexes),
  };
}

/** CREATE TABLE reconstructed from the catalog, then the table's own (not constraint) indexes. */
function tableDdl(raw: RawTable, columns: RawColumn[], constraints: RawConstraint[], indexes: Index[]): string {
  const lines = columns.map((c) => {
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
