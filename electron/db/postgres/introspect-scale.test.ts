/**
 * Introspection of a schema with many tables holds few locks at a time: the exact row counts are
 * taken in batches that release their locks, so a database of thousands of tables stays within
 * the server's default max_locks_per_transaction (64 per connection). The 5,000-table database
 * of the issue is in `npm run bench -- introspection`; here 600 tables, whose naive count (one
 * statement over every table: a lock for each table and each index, 1,800 here) is far above a
 * connection's share of the lock table.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import type { Driver } from '../driver.ts';
import { introspect } from './introspect.ts';

const TABLES = 600;
let db: TestDatabase & { cleanup(): Promise<void> };

beforeAll(async () => {
  db = await createTestDatabase('postgres');
  // Created server-side in one statement: 600 tables of a primary key and an index, every 10th with rows.
  await db.setup(`DO $$ BEGIN FOR i IN 1..${TABLES} LOOP
    EXECUTE format('CREATE TABLE %I (id int PRIMARY KEY, v text)', 'w' || i);
    EXECUTE format('CREATE INDEX %I ON %I (v)', 'w' || i || '_v', 'w' || i);
    IF i % 10 = 0 THEN EXECUTE format('INSERT INTO %I SELECT generate_series(1, %s), %L', 'w' || i, i, 'x'); END IF;
  END LOOP; END $$`);
});
afterAll(() => db.cleanup());

/** The driver, counting after each statement the locks its session holds. */
function lockCounting(driver: Driver): { driver: Driver; peak(): number } {
  let peak = 0;
  const counted: Driver = {
    dialect: driver.dialect,
    label: driver.label,
    inTransaction: () => driver.inTransaction(),
    close: () => driver.close(),
    async query(sql, params) {
      const res = await driver.query(sql, params);
      if (driver.inTransaction()) {
        const { rows } = await driver.query<{ n: string }>(
          'SELECT count(*) AS n FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = $1',
          ['relation'],
        );
        peak = Math.max(peak, Number(rows[0]?.n));
      }
      return res as never;
    },
  };
  return { driver: counted, peak: () => peak };
}

for (const inTransaction of [false, true]) {
  test(`${TABLES} tables are read holding at most one batch's locks${inTransaction ? ', inside a transaction' : ''}`, async () => {
    const { driver, peak } = lockCounting(db.driver);
    if (inTransaction) await db.driver.query('BEGIN');
    try {
      const schema = await introspect(driver);
      expect(schema.tables).toHaveLength(TABLES);
      const rows = new Map(schema.tables.map((t) => [t.name, t.rowEstimate]));
      expect(rows.get('w10')).toBe(10);
      expect(rows.get('w600')).toBe(600);
      expect(rows.get('w11')).toBe(0);
      expect([...rows.values()].reduce((a, b) => a + b, 0)).toBe((60 * 61 * 10) / 2);
    } finally {
      if (inTransaction) await db.driver.query('ROLLBACK');
    }
    expect(peak()).toBeGreaterThan(0);
    expect(peak()).toBeLessThan(300);
  });
}
