/**
 * SQLite metrics for MonitoringNode. Sizes come from the `dbstat` virtual table where the build
 * has it (bytes of every b-tree page of the table and of each index); without it, the table's
 * share of the file (page_count * page_size) by row count is reported, marked `estimated`.
 * SQLite keeps no index scan counters: `scans` is null. Query plans are EXPLAIN QUERY PLAN rows.
 */
import type { MetricsReader } from '../dialect.ts';
import type { Database } from '../connect.ts';
import type { Driver } from '../driver.ts';
import { timeRuns, type TimingRuns } from '../query-timing.ts';

const dbstatAvailable = new WeakMap<Driver, boolean>();

async function hasDbstat(driver: Driver): Promise<boolean> {
  let known = dbstatAvailable.get(driver);
  if (known === undefined) {
    known = await driver.query('SELECT * FROM dbstat LIMIT 1').then(
      () => true,
      () => false,
    );
    dbstatAvailable.set(driver, known);
  }
  return known;
}

async function btreeBytes(driver: Driver, name: string): Promise<number> {
  const { rows } = await driver.query<{ bytes: number | null }>(
    'SELECT sum(pgsize) AS bytes FROM dbstat WHERE name = ? AND aggregate = 1',
    [name],
  );
  return Number(rows[0]?.bytes ?? 0);
}

async function indexNames(driver: Driver, table: string): Promise<string[]> {
  const { rows } = await driver.query<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name",
    [table],
  );
  return rows.map((r) => r.name);
}

async function tableExists(driver: Driver, table: string): Promise<boolean> {
  const { rows } = await driver.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
  return rows.length > 0;
}

async function rowCount(db: Database, table: string): Promise<number> {
  const { rows } = await db.driver.query<{ n: number }>(`SELECT count(*) AS n FROM ${db.dialect.quoteIdent(table)}`);
  return Number(rows[0]?.n ?? 0);
}

/** The table's share of the file by rows, when dbstat is missing. */
async function estimatedBytes(db: Database, table: string): Promise<number> {
  const { rows: file } = await db.driver.query<{ bytes: number }>(
    'SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()',
  );
  const { rows: tables } = await db.driver.query<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
  );
  let all = 0;
  for (const t of tables) all += await rowCount(db, t.name);
  const mine = await rowCount(db, table);
  return all === 0 ? 0 : Math.round((Number(file[0]?.bytes ?? 0) * mine) / all);
}

export const sqliteMetrics: MetricsReader = {
  /** Bytes of the table and its indexes (dbstat), or its estimated share of the file; null when absent. */
  async tableSize(db: Database, table: string) {
    if (!(await tableExists(db.driver, table))) return null;
    if (!(await hasDbstat(db.driver))) {
      return { totalBytes: await estimatedBytes(db, table), tableBytes: null, indexBytes: null, estimated: true };
    }
    const tableBytes = await btreeBytes(db.driver, table);
    let indexBytes = 0;
    for (const index of await indexNames(db.driver, table)) indexBytes += await btreeBytes(db.driver, index);
    return { totalBytes: tableBytes + indexBytes, tableBytes, indexBytes, estimated: false };
  },

  rowCount,

  /** Each index of the table (automatic ones included) with its size where dbstat exists; scans are not tracked. */
  async indexUsage(db: Database, table: string) {
    const sized = await hasDbstat(db.driver);
    const out: { name: string; sizeBytes: number | null; scans: number | null }[] = [];
    for (const name of await indexNames(db.driver, table))
      out.push({ name, sizeBytes: sized ? await btreeBytes(db.driver, name) : null, scans: null });
    return out;
  },

  unavailable: {
    scans: 'SQLite keeps no index scan counters',
    sizes: 'this SQLite build has no dbstat table: only the total is known, estimated from the file size',
  },

  /** Times `sql` as `runs` says (milliseconds each); the plan is EXPLAIN QUERY PLAN's rows. */
  async timeQuery(db: Database, sql: string, runs: TimingRuns) {
    const timesMs = await timeRuns(() => db.driver.query(sql), runs);
    const { rows } = await db.driver.query<{ id: number; parent: number; detail: string }>(`EXPLAIN QUERY PLAN ${sql}`);
    return { timesMs, plan: rows.map((r) => ({ id: r.id, parent: r.parent, detail: r.detail })) };
  },

  async expensiveStatements() {
    return { unavailable: 'SQLite keeps no statistics of the statements it ran' };
  },
};
