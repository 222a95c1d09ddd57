/**
 * The orders table the data-node benchmarks fill (bench/backfill.ts, bench/prior-backup.ts), and
 * their paired loop: each repetition gets two fresh identical databases, one per side, and the
 * order of the sides alternates between repetitions so both see the same load.
 */
import type { DialectName } from '../../shared/schema.ts';
import type { BenchDatabase, BenchDatabases } from './databases.ts';

export interface OrdersTable {
  rows: number;
  /** `total_amount` of every row at the start: `NULL` (a backfill's default where picks them all) or `0`. */
  totalAmount: 'NULL' | '0';
  /** Text columns of `width` characters added to each row (a wide table); 0: none. */
  wideColumns?: number;
  width?: number;
  /** SQLite's journal mode: `wal` (default) or `delete` (rollback journal, what `demo-db` leaves). */
  journal?: 'wal' | 'delete';
}

/**
 * A fresh database holding `orders (id bigint PRIMARY KEY, user_id, subtotal, tax, shipping,
 * created_at, total_amount[, pad_1 ... pad_n])` with ids 1..rows (one INSERT ... SELECT), made
 * ready to time (SQLite: WAL checkpointed; PostgreSQL: VACUUM ANALYZE and CHECKPOINT).
 */
export async function freshOrders(
  dbs: BenchDatabases,
  dialect: DialectName,
  table: OrdersTable,
): Promise<BenchDatabase> {
  const db = await dbs.create(dialect);
  if (dialect === 'sqlite' && table.journal === 'delete') await db.exec('PRAGMA journal_mode = DELETE');
  const money = 'numeric(10,2) NOT NULL';
  const pads = Array.from({ length: table.wideColumns ?? 0 }, (_, i) => `pad_${i + 1}`);
  const padText = `'${'x'.repeat(Math.max(0, (table.width ?? 0) - 12))}' || i`;
  await db.exec(`CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, subtotal ${money}, tax ${money}, shipping ${money},
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, total_amount numeric(10,2)${pads.map((p) => `, ${p} text`).join('')})`);
  const insert =
    `INSERT INTO orders (id, user_id, subtotal, tax, shipping, total_amount${pads.map((p) => `, ${p}`).join('')}) ` +
    `SELECT i, i % 50000 + 1, (i % 1000) * 1.25 + 0.99, (i % 7) * 0.5, 4.99, ${table.totalAmount}${pads.map(() => `, ${padText}`).join('')}`;
  if (dialect === 'postgres') {
    await db.exec(`${insert} FROM generate_series(1, ${table.rows}) AS i`);
    await db.exec('VACUUM ANALYZE orders');
    await db.exec('CHECKPOINT');
  } else {
    await db.exec(
      `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${table.rows}) ${insert} FROM s`,
    );
    if (table.journal !== 'delete') await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }
  return db;
}

/**
 * `runs` repetitions of two sides on fresh identical databases (`make`), `a` first in even
 * repetitions and `b` first in odd ones; both databases are dropped after each repetition.
 */
export async function alternating(
  runs: number,
  make: () => Promise<BenchDatabase>,
  a: (db: BenchDatabase) => Promise<void>,
  b: (db: BenchDatabase) => Promise<void>,
  after?: (i: number) => void,
): Promise<void> {
  for (let i = 0; i < runs; i++) {
    const [forA, forB] = [await make(), await make()];
    try {
      if (i % 2 === 0) {
        await a(forA);
        await b(forB);
      } else {
        await b(forB);
        await a(forA);
      }
    } finally {
      await forA.drop();
      await forB.drop();
    }
    after?.(i);
  }
}
