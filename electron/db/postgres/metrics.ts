/**
 * PostgreSQL metrics for MonitoringNode: relation sizes (pg_total_relation_size,
 * pg_relation_size, pg_indexes_size), exact row counts, per-index scans and sizes
 * (pg_stat_user_indexes) and query timings with `EXPLAIN (ANALYZE, FORMAT JSON)`. Timed queries
 * must have passed `checkReadOnlySelect` (EXPLAIN ANALYZE executes them); they also run inside a
 * READ ONLY transaction or savepoint, rolled back, so even a function that writes cannot. The
 * default queries of `query_performance` come from pg_stat_statements when it is installed.
 */
import type { MetricsReader } from '../dialect.ts';
import type { Database } from '../connect.ts';
import { DatabaseError } from '../driver.ts';
import { readOnly } from './probe.ts';
import { timeRuns, type TimingRuns } from '../query-timing.ts';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Locks a timed query may wait for before it fails instead of hanging behind DDL. */
const QUERY_LOCK_TIMEOUT_MS = 5000;

export const postgresMetrics: MetricsReader = {
  /** Bytes of the table with TOAST and indexes, of its heap alone and of its indexes; null when absent. */
  async tableSize(db: Database, table: string) {
    const { rows } = await db.driver.query(
      'SELECT pg_total_relation_size(r) AS total_bytes, pg_relation_size(r) AS table_bytes, pg_indexes_size(r) AS index_bytes ' +
        'FROM (SELECT to_regclass($1) AS r) s WHERE r IS NOT NULL',
      [db.dialect.quoteIdent(table)],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      totalBytes: num(row.total_bytes),
      tableBytes: num(row.table_bytes),
      indexBytes: num(row.index_bytes),
      estimated: false,
    };
  },

  async rowCount(db: Database, table: string): Promise<number> {
    const { rows } = await db.driver.query<{ n: number | string }>(
      `SELECT count(*) AS n FROM ${db.dialect.quoteIdent(table)}`,
    );
    return Number(rows[0]?.n ?? 0);
  },

  /** Each index of the table: size and scans since statistics were last reset. */
  async indexUsage(db: Database, table: string) {
    await db.driver.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await db.driver.query(
      'SELECT s.indexrelname AS name, s.idx_scan AS scans, pg_relation_size(s.indexrelid) AS size_bytes ' +
        'FROM pg_stat_user_indexes s WHERE s.relid = to_regclass($1) ORDER BY s.indexrelname',
      [db.dialect.quoteIdent(table)],
    );
    return rows.map((r) => ({ name: String(r.name), sizeBytes: num(r.size_bytes), scans: num(r.scans) }));
  },

  unavailable: {},

  /** Times `sql` as `runs` says (milliseconds each), then runs it once under EXPLAIN (ANALYZE, FORMAT JSON) for the plan. */
  async timeQuery(db: Database, sql: string, runs: TimingRuns) {
    const result = await readOnly(db.driver, QUERY_LOCK_TIMEOUT_MS, async () => {
      const timesMs = await timeRuns(() => db.driver.query(sql), runs);
      const { rows } = await db.driver.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`);
      const plan = Object.values(rows[0] ?? {})[0] ?? null;
      return { timesMs, plan: typeof plan === 'string' ? (JSON.parse(plan) as unknown) : plan };
    });
    if (!result.ok) throw new DatabaseError(result.message, result.code);
    return result.value;
  },

  /**
   * pg_stat_statements' statements of this database by total execution time. It stores statements
   * with their constants replaced by $1, $2...: those cannot run as they are and are left out, as
   * are statements on the catalogs and on the product's own tables and anything but SELECT/WITH.
   */
  async expensiveStatements(db: Database, limit: number) {
    const ext = await db.driver.query<{ schema: string }>(
      "SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'",
    );
    const schema = ext.rows[0]?.schema;
    if (schema === undefined)
      return { unavailable: 'the pg_stat_statements extension is not installed in this database' };
    const read = await readOnly(db.driver, QUERY_LOCK_TIMEOUT_MS, async () => {
      const { rows } = await db.driver.query<{ query: string }>(
        `SELECT query FROM ${db.dialect.quoteIdent(schema)}.pg_stat_statements ` +
          'WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ' +
          'ORDER BY total_exec_time DESC LIMIT 500',
      );
      return rows.map((r) => r.query.trim());
    });
    if (!read.ok) return { unavailable: `pg_stat_statements cannot be read: ${read.message}` };
    const runnable = read.value.filter(
      (q) => /^(select|with)\b/i.test(q) && !/\$\d/.test(q) && !/\b(pg_\w+|information_schema|dataflow_\w+)\b/i.test(q),
    );
    return { source: 'pg_stat_statements', statements: [...new Set(runnable)].slice(0, limit) };
  },
};
