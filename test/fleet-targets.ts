/**
 * SQLite fleet targets for the fleet tests and benchmark: one database with an `orders` table
 * (the columns the zero-downtime example reads) written once and copied `n` times, and the
 * targets file that lists them.
 */
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const ORDERS_SQL = `
  CREATE TABLE orders (id INTEGER PRIMARY KEY, subtotal NUMERIC(10,2) NOT NULL,
    tax NUMERIC(10,2) NOT NULL, shipping NUMERIC(10,2) NOT NULL);
  INSERT INTO orders (subtotal, tax, shipping) VALUES (10, 1, 2), (20, 2, 0), (5.5, 0.5, 1);`;

export interface SqliteFleet {
  dir: string;
  /** The targets file listing every database, `t001`... in order. */
  file: string;
  paths: string[];
}

/**
 * `n` SQLite databases with the orders table (its three rows doubled `doublings` times), and their
 * targets file; in memory-backed /dev/shm where there is one (`inMemory`), so that a hundred
 * targets' commits do not wait on the disk of a busy machine.
 */
export function sqliteFleet(n: number, options: { doublings?: number; inMemory?: boolean } = {}): SqliteFleet {
  const base = options.inMemory && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'dataflow-fleet-'));
  const template = join(dir, 'template.db');
  const db = new Database(template);
  db.exec(ORDERS_SQL);
  for (let i = 0; i < (options.doublings ?? 0); i++)
    db.exec('INSERT INTO orders (subtotal, tax, shipping) SELECT subtotal, tax, shipping FROM orders');
  db.close();
  const paths = Array.from({ length: n }, (_, i) => join(dir, `t${String(i + 1).padStart(3, '0')}.db`));
  for (const p of paths) copyFileSync(template, p);
  const file = join(dir, 'targets.json');
  const entries = paths.map((p, i) => `  {"label": "t${String(i + 1).padStart(3, '0')}", "connection": "sqlite:${p}"}`);
  writeFileSync(file, `[\n${entries.join(',\n')}\n]\n`);
  return { dir, file, paths };
}
