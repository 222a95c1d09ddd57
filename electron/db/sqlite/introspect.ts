/**
 * Reads a SQLite database into the neutral schema model: sqlite_master for the tables, views and
 * triggers, and each table's details (table-details.ts). Read only. With `deferDetails`, a table's
 * details are read on first use (shared/deferred-tables.ts): a plan that changes a few tables of
 * thousands reads those few (issue 16).
 */
import { type DeferredDetails, deferDetails, detailsRead } from '../../../shared/deferred-tables.ts';
import { constraintNamePrefix } from '../../../shared/schema-apply.ts';
import type { Schema, Table, Trigger, View } from '../../../shared/schema.ts';
import type { SchemaReadOptions, SchemaRefresh } from '../dialect.ts';
import type { Driver } from '../driver.ts';
import { DetailsContext, readTables, type MasterRow, type Rows } from './table-details.ts';
import { isWord, referencedNamesIn, spanText, sqlTokens } from './tokens.ts';

/**
 * The database's schema as the neutral model. Internal sqlite_* tables are left out. With
 * `refresh` or `options`, see Dialect.introspect. The driver must answer synchronously
 * (Driver.querySync), as every SQLite driver of the product does.
 */
export async function introspect(
  driver: Driver,
  refresh?: SchemaRefresh,
  options?: SchemaReadOptions,
): Promise<Schema> {
  if (!driver.querySync)
    throw new Error(`${driver.label}: a SQLite schema read needs a driver that answers synchronously`);
  const sync = driver as Required<Driver>;
  const rows: Rows = <R>(sql: string, params?: readonly unknown[]) => sync.querySync<R>(sql, params).rows;
  const version = rows<{ v: string }>('SELECT sqlite_version() AS v')[0]?.v ?? '';
  const master = (JSON.parse(rows<{ rows: string }>(MASTER)[0]?.rows ?? '[]') as MasterTuple[]).map(
    ([type, name, tbl_name, sql]): MasterRow => ({ type, name, tbl_name, sql }),
  );
  const tableRows = master.filter(
    (r) => r.type === 'table' && r.sql !== null && !/^\s*CREATE\s+VIRTUAL/i.test(r.sql) && !/^sqlite_/i.test(r.name),
  );
  const ctx = new DetailsContext(rows, master);
  let tables: Table[];
  if (options?.deferDetails && !refresh) {
    const deferred = new DeferredTables(ctx, driver.label, master);
    tables = tableRows.map((r) => deferred.table(r));
  } else {
    const kept = new Map(refresh?.schema.tables.map((t) => [t.name, t]));
    const changed = new Set(refresh?.tables);
    const toRead = refresh ? tableRows.filter((r) => changed.has(r.name) || !kept.has(r.name)) : tableRows;
    const fresh = new Map(readTables(ctx, toRead).map((t) => [t.name, t]));
    tables = tableRows.flatMap((r) => fresh.get(r.name) ?? kept.get(r.name) ?? []);
  }
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const relations = new Map(
    [...tableRows, ...master.filter((r) => r.type === 'view')].map((r) => [r.name.toLowerCase(), r.name]),
  );
  const views = master
    .filter((r) => r.type === 'view')
    .map((r): View => ({
      name: r.name,
      sql: r.sql ?? '',
      dependsOn: viewDependencies(r.sql ?? '', r.name, relations),
    }));
  const triggers = master
    .filter((r) => r.type === 'trigger')
    .map((r): Trigger => ({ name: r.name, table: r.tbl_name, sql: r.sql ?? '' }));
  return { dialect: 'sqlite', version, tables, views, triggers };
}

/**
 * sqlite_master without SQLite's own tables, but with every index, the automatic ones too (a
 * deferred table's outline names them all): a row per entry as a JSON array, the whole as one
 * JSON text (JSON.parse makes thousands of rows faster than better-sqlite3 makes row objects).
 */
const MASTER = `SELECT json_group_array(json_array(type, name, tbl_name, sql)) AS rows FROM (
  SELECT type, name, tbl_name, sql FROM sqlite_master
  WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' OR type = 'index' ORDER BY rowid)`;
type MasterTuple = [type: string, name: string, tbl_name: string, sql: string | null];

/** Tables read one at a time before the rest of the schema read is read at once. */
const SINGLE_READS = 32;

/** The details a deferred table reads on first use. */
const DETAILS = ['columns', 'indexes', 'constraints', 'rowEstimate'] as const;

/** Quote characters: a name holding one is written escaped in a CREATE TABLE text. */
const QUOTES = /["'`\]]/;

/**
 * What a deferred table may hold without reading it: the names of its indexes (sqlite_master
 * lists each, the automatic ones too), names of undeclared constraints (which start with the
 * table's name: SyntheticNames), names its CREATE TABLE text declares (`CONSTRAINT name`: the
 * only way SQLite declares one), and the tables its text names after REFERENCES.
 */
class Outline implements DeferredDetails {
  private facts: OutlineFacts | null = null;

  constructor(
    private readonly row: MasterRow,
    private readonly tables: DeferredTables,
  ) {}

  mayHoldName(key: string): boolean {
    const f = this.outline();
    return (
      f.indexes?.has(key) === true ||
      key.startsWith(f.synthetic) ||
      key.startsWith(f.autoindex) ||
      (f.declaring !== null && (f.declaring.includes(key) || QUOTES.test(key)))
    );
  }

  mayReference(table: string): boolean {
    const text = this.outline().referencing;
    return text !== null && (text.includes(table.toLowerCase()) || QUOTES.test(table));
  }

  readAll(): void {
    this.tables.readAll();
  }

  private outline(): OutlineFacts {
    if (!this.facts) {
      const { name, sql } = this.row;
      const ddl = sql ?? '';
      const lower = /constraint|references/i.test(ddl) ? ddl.toLowerCase() : '';
      this.facts = {
        indexes: this.tables.indexesOf(name),
        // In lower case only as long as the name is ASCII (else any name may be one).
        synthetic: /[^\p{ASCII}]/u.test(name) ? '' : constraintNamePrefix(name).toLowerCase(),
        autoindex: `sqlite_autoindex_${name.toLowerCase()}_`,
        declaring: lower.includes('constraint') ? lower : null,
        referencing: lower.includes('references') ? lower : null,
      };
    }
    return this.facts;
  }
}

/** What an Outline asks, worked out on its first question. */
interface OutlineFacts {
  /** Its indexes' names in lower case. */
  indexes: ReadonlySet<string> | undefined;
  /** What every name SyntheticNames gives its constraints starts with. */
  synthetic: string;
  /** What the names of its automatic indexes start with. */
  autoindex: string;
  /** Its CREATE TABLE text in lower case when the text holds CONSTRAINT, else null. */
  declaring: string | null;
  /** Its CREATE TABLE text in lower case when the text holds REFERENCES, else null. */
  referencing: string | null;
}

/**
 * The deferred tables of one schema read: each reads its details on first use, the first
 * SINGLE_READS alone, then all that are left at once (a pass over every table costs one read).
 * A read checks that the connection's schema is still the one read (PRAGMA schema_version).
 */
class DeferredTables {
  private readonly unread = new Map<Table, MasterRow>();
  private indexNames: Map<string, Set<string>> | null = null;
  private readonly schemaVersion: number;
  private reads = 0;

  constructor(
    private readonly ctx: DetailsContext,
    private readonly label: string,
    private readonly master: readonly MasterRow[],
  ) {
    this.schemaVersion = this.version();
  }

  /** The names of table `table`'s indexes in lower case, as sqlite_master lists them. */
  indexesOf(table: string): ReadonlySet<string> | undefined {
    if (!this.indexNames) {
      this.indexNames = new Map();
      for (const m of this.master) {
        if (m.type !== 'index') continue;
        const names = this.indexNames.get(m.tbl_name) ?? new Set();
        names.add(m.name.toLowerCase());
        this.indexNames.set(m.tbl_name, names);
      }
    }
    return this.indexNames.get(table);
  }

  /** The table of sqlite_master row `row`, its details read on first use. */
  table(row: MasterRow): Table {
    const read = (t: Table) => this.readFor(t);
    // Own getters in the model's order of keys (a copy or JSON of the table reads them); a read
    // replaces them with the details.
    const table: Table = {
      name: row.name,
      get columns() {
        return read(table).columns;
      },
      get indexes() {
        return read(table).indexes;
      },
      get constraints() {
        return read(table).constraints;
      },
      get rowEstimate() {
        return read(table).rowEstimate;
      },
      ddl: row.sql ?? '',
    };
    this.unread.set(table, row);
    deferDetails(table, new Outline(row, this));
    return table;
  }

  /** Reads every table still unread. */
  readAll(): void {
    if (this.unread.size > 0) this.read([...this.unread.keys()]);
  }

  /** Reads `table` (and, after SINGLE_READS reads, every table left) and gives it back, read. */
  private readFor(table: Table): Table {
    this.read(++this.reads > SINGLE_READS ? [...this.unread.keys()] : [table], table);
    return table;
  }

  /** Reads `tables`, for a use of `asked` (the table an error names). */
  private read(tables: Table[], asked = tables[0]!): void {
    const name = asked.name;
    let version: number;
    try {
      version = this.version();
    } catch (e) {
      throw new Error(
        `table "${name}" of ${this.label} was to be read on first use, but the connection cannot read it any more (${(e as Error).message})`,
      );
    }
    if (version !== this.schemaVersion)
      throw new Error(
        `the schema of ${this.label} changed while it was being read (table "${name}" was not read yet): plan again`,
      );
    const read = readTables(
      this.ctx,
      tables.map((t) => this.unread.get(t)!),
    );
    tables.forEach((t, i) => {
      const details = read[i]!;
      for (const key of DETAILS)
        Object.defineProperty(t, key, { value: details[key], writable: true, enumerable: true, configurable: true });
      this.unread.delete(t);
      detailsRead(t);
    });
  }

  private version(): number {
    return Number(this.ctx.rows<{ schema_version: number }>('PRAGMA schema_version')[0]?.schema_version);
  }
}

/** Tables and views a view's SQL names (best effort, from its tokens); `relations` by lower-case name. */
function viewDependencies(sql: string, self: string, relations: ReadonlyMap<string, string>): string[] {
  const toks = sqlTokens(sql);
  const as = toks.findIndex((t) => isWord(t, 'AS'));
  return referencedNamesIn(spanText(sql, toks, as + 1, toks.length), relations).filter((n) => n !== self);
}
