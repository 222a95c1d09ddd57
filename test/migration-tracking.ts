/**
 * Helpers of the migration tracking and lock tests (electron/db/migration-records.test.ts,
 * migration-lock.test.ts, sqlite/migration-lock.test.ts): the product's tables present, a second
 * connection to the same database, and a lock held by another process (test/lock-holder.ts).
 */
import { afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../electron/db/connect.ts';
import type { FreshDatabase, freshDatabases } from './databases.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The record options the tests write with. */
export const recordOptions = (runId: string) => ({ runId, workflow: 'wf', appliedBy: 'tester@host' });

/** Names of the product's `dataflow*` tables in the database, sorted. */
export async function trackingTables(db: FreshDatabase): Promise<string[]> {
  const sql =
    db.dialect.name === 'postgres'
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'dataflow%' ORDER BY 1"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'dataflow%' ORDER BY 1";
  return (await db.driver.query<{ name: string }>(sql)).rows.map((r) => r.name);
}

/** A second connection to `db`'s database, closed before the databases after each test. */
export async function secondConnection(fresh: ReturnType<typeof freshDatabases>, db: FreshDatabase): Promise<Database> {
  const other = await openDatabase(db.conn);
  fresh.defer(() => other.driver.close());
  return other;
}

/**
 * For a test file: `const holder = lockHolders();` then `await holder(conn, runId, holdMs)` starts
 * test/lock-holder.ts and resolves once it holds the lock; children still running are killed
 * after each test.
 */
export function lockHolders() {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  return async (conn: string, runId: string, holdMs: number) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/lock-holder.ts', conn, runId, String(holdMs)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: string[] = [];
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const acquired = new Promise<{ pid: number; at: number }>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(line);
        const [word, pid, at] = line.split(' ');
        if (word === 'acquired') resolve({ pid: Number(pid), at: Number(at) });
      });
      child.on('exit', (code) => reject(new Error(`lock holder exited (${code}) before acquiring: ${stderr}`)));
    });
    return { child, lines, exited, ...(await acquired) };
  };
}
