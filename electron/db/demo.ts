/**
 * The demo database: the guide's tables as they are before its examples run, with realistic,
 * deterministic rows, on SQLite or PostgreSQL. The SQL here is the product's own (no user input):
 * identifiers go through `dialect.quoteIdent`, types through `dialect.renderType`, values are bound.
 */
import { DataflowError } from '../../shared/errors.ts';
import { parseColumnType, type ColumnType } from '../../shared/column-type.ts';
import { BACKUP_TABLE_PREFIX, INTERNAL_TABLES, findTable } from '../../shared/schema.ts';
import { seededRandom } from '../../shared/seeded-random.ts';
import type { Database } from './connect.ts';
import type { Dialect } from './dialect.ts';

export const DEMO_TABLES = ['users', 'orders', 'products', 'contacts', 'test_users'] as const;
export type DemoTable = (typeof DEMO_TABLES)[number];

/** Default number of orders; the other tables scale from it. */
export const DEFAULT_DEMO_ROWS = 100_000;

export interface DemoProgress {
  table: DemoTable;
  done: number;
  total: number;
}

export interface DemoOptions {
  /** Number of orders (users = rows/10, products = rows/100, contacts = rows/20, test_users = 100). */
  rows?: number;
  /** Drop and recreate the demo tables (and the product's tracking tables) when they exist. */
  force?: boolean;
  onProgress?: (progress: DemoProgress) => void;
}

/** The demo tables already exist and `force` was not given (code `demo_exists`, field `force`). */
export class DemoExistsError extends DataflowError {
  constructor(message: string) {
    super('demo_exists', message, { field: 'force' });
    this.name = 'DemoExistsError';
  }
}

export function demoRowCounts(rows: number = DEFAULT_DEMO_ROWS): Record<DemoTable, number> {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new RangeError(`rows must be a positive integer, got ${rows}`);
  return {
    users: Math.max(1, Math.floor(rows / 10)),
    orders: rows,
    products: Math.max(1, Math.floor(rows / 100)),
    contacts: Math.max(1, Math.floor(rows / 20)),
    test_users: 100,
  };
}

interface ColumnDef {
  name: string;
  type: string;
  notNull?: boolean;
  primaryKey?: boolean;
  defaultNow?: boolean;
  references?: DemoTable;
}

const TABLES: Record<DemoTable, ColumnDef[]> = {
  users: [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'name', type: 'varchar(100)', notNull: true },
    { name: 'email', type: 'varchar(255)', notNull: true },
    { name: 'deprecated_field', type: 'text' },
    { name: 'created_at', type: 'timestamp', notNull: true, defaultNow: true },
  ],
  orders: [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'user_id', type: 'integer', notNull: true, references: 'users' },
    { name: 'subtotal', type: 'numeric(10,2)', notNull: true },
    { name: 'tax', type: 'numeric(10,2)', notNull: true },
    { name: 'shipping', type: 'numeric(10,2)', notNull: true },
    { name: 'created_at', type: 'timestamp', notNull: true, defaultNow: true },
  ],
  products: [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'name', type: 'varchar(200)', notNull: true },
    { name: 'price', type: 'numeric(10,2)', notNull: true },
  ],
  contacts: [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'name', type: 'varchar(100)', notNull: true },
    { name: 'company', type: 'varchar(200)' },
  ],
  test_users: [
    { name: 'id', type: 'integer', primaryKey: true },
    { name: 'name', type: 'varchar(100)', notNull: true },
  ],
};

const INDEXES = [{ name: 'orders_user_id_idx', table: 'orders', column: 'user_id' }] as const;

const FIRST = [
  'Amelia',
  'Oliver',
  'Isla',
  'Noah',
  'Ava',
  'Liam',
  'Mia',
  'Lucas',
  'Sofia',
  'Mateo',
  'Emma',
  'Hugo',
  'Chloe',
  'Arjun',
  'Yuki',
  'Leila',
  'Omar',
  'Nina',
  'Kofi',
  'Elena',
  'Ravi',
  'Grace',
  'Felix',
  'Hana',
  'Diego',
  'Zara',
  'Tomas',
  'Ines',
  'Samuel',
  'Aisha',
  'Jonas',
  'Maya',
];
const LAST = [
  'Smith',
  'Garcia',
  'Chen',
  'Okafor',
  'Müller',
  'Rossi',
  'Kowalski',
  'Nguyen',
  'Silva',
  'Jensen',
  'Patel',
  "O'Brien",
  'Novak',
  'Haddad',
  'Tanaka',
  'Dubois',
  'Larsen',
  'Kim',
  'Mensah',
  'Fischer',
  'Moreau',
  'Ivanova',
  'Costa',
  'Reyes',
  'Walsh',
  'Berg',
  'Sato',
  'Ortiz',
];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const COMPANY_A = [
  'Northwind',
  'Blue Harbor',
  'Redwood',
  'Silverline',
  'Granite',
  'Bright Path',
  'Oakridge',
  'Summit',
  'Ironbridge',
  'Lakeside',
  'Copperfield',
  'Evergreen',
];
const COMPANY_B = [
  'Logistics',
  'Analytics',
  'Foods',
  'Software',
  'Consulting',
  'Health',
  'Energy',
  'Design',
  'Robotics',
  'Media',
];
const COMPANY_C = ['Ltd', 'Inc.', 'GmbH', 'LLC', 'Group', 'Co.'];
const PRODUCT_A = ['Compact', 'Deluxe', 'Eco', 'Classic', 'Smart', 'Portable', 'Pro', 'Mini', 'Heavy-Duty', 'Wireless'];
const PRODUCT_B = [
  'Desk Lamp',
  'Kettle',
  'Backpack',
  'Headphones',
  'Notebook',
  'Water Bottle',
  'Chair',
  'Keyboard',
  'Blender',
  'Umbrella',
  'Monitor Stand',
  'Coffee Grinder',
];
const LEGACY = ['legacy-import', 'v1-signup', 'crm-sync', 'beta-tester'];

const START = Date.UTC(2023, 0, 1);
const END = Date.UTC(2025, 11, 31);

function timestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

type Row = (string | number | null)[];

/** Rows of every table, generated lazily in id order. */
function generators(counts: Record<DemoTable, number>): Record<DemoTable, () => Iterable<Row>> {
  const userCreated: number[] = [];
  return {
    *users() {
      const r = seededRandom(1);
      for (let id = 1; id <= counts.users; id++) {
        const first = pick(r, FIRST);
        const last = pick(r, LAST);
        const created = START + Math.floor(r() * (END - START) * 0.8);
        userCreated.push(created);
        const local = `${first}.${last}`
          .normalize('NFD')
          .toLowerCase()
          .replace(/[^a-z.]/g, '');
        yield [
          id,
          `${first} ${last}`,
          `${local}.${id}@${pick(r, DOMAINS)}`,
          r() < 0.15 ? pick(r, LEGACY) : null,
          timestamp(created),
        ];
      }
    },
    *orders() {
      const r = seededRandom(2);
      for (let id = 1; id <= counts.orders; id++) {
        const user = 1 + Math.floor(r() * counts.users);
        const from = userCreated[user - 1] ?? START;
        const subtotal = 500 + (Math.floor(-Math.log(1 - r()) * 6000) % 200_000);
        const tax = Math.round(subtotal * pick(r, [0, 0.05, 0.08, 0.2]));
        const shipping = pick(r, [0, 0, 499, 999, 1499]);
        yield [id, user, subtotal / 100, tax / 100, shipping / 100, timestamp(from + Math.floor(r() * (END - from)))];
      }
    },
    *products() {
      const r = seededRandom(3);
      for (let id = 1; id <= counts.products; id++) {
        yield [id, `${pick(r, PRODUCT_A)} ${pick(r, PRODUCT_B)} ${id}`, (199 + Math.floor(r() * 99_800)) / 100];
      }
    },
    *contacts() {
      const r = seededRandom(4);
      for (let id = 1; id <= counts.contacts; id++) {
        const company = r() < 0.1 ? null : `${pick(r, COMPANY_A)} ${pick(r, COMPANY_B)} ${pick(r, COMPANY_C)}`;
        yield [id, `${pick(r, FIRST)} ${pick(r, LAST)}`, company];
      }
    },
    *test_users() {
      for (let id = 1; id <= counts.test_users; id++) yield [id, `Test User ${id}`];
    },
  };
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

function columnType(text: string): ColumnType {
  const parsed = parseColumnType(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.type;
}

/**
 * Where the dialect can add a foreign key in place, it is added after the rows are loaded (one
 * validating join instead of a check per row); otherwise it is declared inline.
 */
function createTableSql(d: Dialect, table: DemoTable): string {
  const cols = TABLES[table].map((c) => {
    let sql = `${d.quoteIdent(c.name)} ${d.renderType(columnType(c.type))}`;
    if (c.primaryKey) sql += ' PRIMARY KEY';
    else if (c.notNull) sql += ' NOT NULL';
    if (c.defaultNow) sql += ' DEFAULT CURRENT_TIMESTAMP';
    if (c.references && !d.capabilities.canAlterInPlace)
      sql += ` REFERENCES ${d.quoteIdent(c.references)} (${d.quoteIdent('id')})`;
    return sql;
  });
  return `CREATE TABLE ${d.quoteIdent(table)} (${cols.join(', ')})`;
}

/**
 * One batch insert. Where the dialect has arrays, one array parameter per column, unnested on the
 * server (few large statements); otherwise a multi-row VALUES list with one parameter per value.
 */
function insertSql(d: Dialect, table: DemoTable, rowCount: number): string {
  const cols = TABLES[table];
  const into = `INSERT INTO ${d.quoteIdent(table)} (${cols.map((c) => d.quoteIdent(c.name)).join(', ')})`;
  if (d.capabilities.supportsArrays) {
    const arrays = cols.map(
      (c, i) => `CAST(${d.placeholder(i + 1)} AS ${d.renderType({ ...columnType(c.type), arrayDims: 1 })})`,
    );
    return `${into} SELECT * FROM unnest(${arrays.join(', ')})`;
  }
  let p = 0;
  const tuples = Array.from({ length: rowCount }, () => `(${cols.map(() => d.placeholder(++p)).join(', ')})`);
  return `${into} VALUES ${tuples.join(', ')}`;
}

function batchParams(d: Dialect, table: DemoTable, rows: Row[]): unknown[] {
  if (d.capabilities.supportsArrays) return TABLES[table].map((_, i) => rows.map((r) => r[i]));
  return rows.flat();
}

function batchRows(d: Dialect): number {
  return d.capabilities.supportsArrays ? 10_000 : 1000;
}

/**
 * Creates the demo tables and fills them, in one transaction (a failure leaves nothing behind).
 * Refuses a database that already has any demo table unless `force`; with `force` drops the demo
 * tables and the product's own tracking tables first, so every example starts from scratch.
 * Returns the row count of each table.
 */
export async function createDemoDatabase(db: Database, options: DemoOptions = {}): Promise<Record<DemoTable, number>> {
  const { driver, dialect: d } = db;
  const counts = demoRowCounts(options.rows);
  const schema = await d.introspect(driver);
  const existing = DEMO_TABLES.filter((t) => findTable(schema, t));
  if (existing.length > 0 && !options.force)
    throw new DemoExistsError(
      `the database already has the demo table(s) ${existing.join(', ')}; pass --force to drop and recreate them`,
    );

  await driver.query(d.beginSql());
  try {
    if (options.force) {
      // The prior backups' tables (dataflow_backup_<id>) go with the registry that lists them.
      const backups = schema.tables.map((t) => t.name).filter((t) => t.startsWith(BACKUP_TABLE_PREFIX));
      for (const t of [
        'orders',
        ...DEMO_TABLES.filter((t) => t !== 'orders'),
        ...backups,
        ...[...INTERNAL_TABLES].reverse(),
      ]) {
        if (findTable(schema, t)) await driver.query(`DROP TABLE ${d.quoteIdent(t)}`);
      }
    }
    for (const t of DEMO_TABLES) await driver.query(createTableSql(d, t));
    const gen = generators(counts);
    const size = batchRows(d);
    for (const t of DEMO_TABLES) {
      const full = insertSql(d, t, size);
      let batch: Row[] = [];
      let done = 0;
      const flush = async () => {
        await driver.query(batch.length === size ? full : insertSql(d, t, batch.length), batchParams(d, t, batch));
        done += batch.length;
        batch = [];
        options.onProgress?.({ table: t, done, total: counts[t] });
      };
      for (const row of gen[t]()) {
        batch.push(row);
        if (batch.length === size) await flush();
      }
      if (batch.length > 0) await flush();
    }
    for (const t of DEMO_TABLES) {
      for (const c of TABLES[t]) {
        if (!c.references || !d.capabilities.canAlterInPlace) continue;
        const name = d.quoteIdent(`${t}_${c.name}_fkey`);
        await driver.query(
          `ALTER TABLE ${d.quoteIdent(t)} ADD CONSTRAINT ${name} FOREIGN KEY (${d.quoteIdent(c.name)}) REFERENCES ${d.quoteIdent(c.references)} (${d.quoteIdent('id')})`,
        );
      }
    }
    for (const ix of INDEXES)
      await driver.query(
        `CREATE INDEX ${d.quoteIdent(ix.name)} ON ${d.quoteIdent(ix.table)} (${d.quoteIdent(ix.column)})`,
      );
    for (const t of DEMO_TABLES) await driver.query(`ANALYZE ${d.quoteIdent(t)}`);
    await driver.query('COMMIT');
  } catch (e) {
    if (driver.inTransaction()) await driver.query('ROLLBACK');
    throw e;
  }
  return counts;
}
