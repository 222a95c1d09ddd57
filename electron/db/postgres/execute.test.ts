import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/databases.ts';
import type { Step } from '../dialect.ts';
import { DatabaseError } from '../driver.ts';
import { DEFAULT_LOCK_POLICY, executeStep } from './execute.ts';
import { postgresDialect } from './index.ts';
import { introspect } from './introspect.ts';
import { RecordingDriver } from '../../../test/recording-driver.ts';

let db: TestDatabase & { cleanup(): Promise<void> };
let holder: pg.Client;

const addColumn: Step = {
  sql: 'ALTER TABLE items ADD COLUMN note text',
  comment: 'add column note',
  transactional: true,
  locking: true,
};

/** Holds ACCESS EXCLUSIVE on `items` from a second connection for `ms`; resolves once the lock is held. */
async function holdLock(ms: number): Promise<{ released: Promise<void> }> {
  await holder.query('BEGIN');
  await holder.query('LOCK TABLE items IN ACCESS EXCLUSIVE MODE');
  return {
    released: new Promise((resolve, reject) =>
      setTimeout(() => holder.query('COMMIT').then(() => resolve(), reject), ms),
    ),
  };
}

const setting = async (name: string) =>
  (await db.driver.query<{ v: string }>(`SELECT current_setting('${name}') AS v`)).rows[0]?.v;
const hasNote = async () =>
  (await introspect(db.driver)).tables.find((t) => t.name === 'items')?.columns.some((c) => c.name === 'note');

beforeAll(async () => {
  db = await createTestDatabase('postgres');
  holder = new pg.Client({ connectionString: db.conn });
  await holder.connect();
});
afterAll(async () => {
  await holder.end();
  await db.cleanup();
});
beforeEach(() =>
  db.setup(
    'DROP TABLE IF EXISTS items, log; CREATE TABLE items (id int); INSERT INTO items VALUES (1), (2); CREATE TABLE log (n int)',
  ),
);
afterEach(async () => {
  if (db.driver.inTransaction()) await db.driver.query('ROLLBACK');
});

describe('postgres executeStep: lock_timeout with retries', () => {
  it('defaults to a 2 s lock_timeout and 3 retries', () => {
    expect(DEFAULT_LOCK_POLICY).toEqual({ timeoutMs: 2000, retries: 3, backoffMs: 250 });
    expect(postgresDialect(170010).lockPolicy).toEqual(DEFAULT_LOCK_POLICY);
    expect(postgresDialect(170010, { lock: { timeoutMs: 500 } }).lockPolicy.timeoutMs).toBe(500);
  });

  it('inside a transaction: times out behind a lock held ~3 s, retries in a savepoint, then succeeds', async () => {
    const rec = new RecordingDriver(db.driver);
    await db.driver.query('BEGIN');
    await db.driver.query("SET LOCAL lock_timeout = '7s'");
    const { released } = await holdLock(3000);
    const started = Date.now();
    await executeStep(rec, addColumn);
    const elapsed = Date.now() - started;
    await released;
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(rec.sql.filter((s) => s === addColumn.sql)).toHaveLength(2);
    expect(rec.sql).toContain('ROLLBACK TO SAVEPOINT dataflow_lock_retry');
    expect(await setting('lock_timeout')).toBe('7s');
    await db.driver.query('COMMIT');
    expect(await hasNote()).toBe(true);
  });

  it('inside a transaction: gives up after the retries with a clear error, and the transaction lives on', async () => {
    await db.driver.query('BEGIN');
    await db.driver.query('INSERT INTO log VALUES (1)');
    const { released } = await holdLock(1200);
    const policy = { timeoutMs: 200, retries: 2, backoffMs: 50 };
    const started = Date.now();
    const err = await executeStep(db.driver, addColumn, policy).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1150);
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err).toMatchObject({
      code: '55P03',
      message: expect.stringMatching(
        /^add column note: could not get its table lock within 200 ms, 3 times: another session holds/,
      ),
    });
    await db.driver.query('INSERT INTO log VALUES (2)');
    await db.driver.query('COMMIT');
    const { rows } = await db.driver.query<{ n: number }>('SELECT count(*)::int AS n FROM log');
    expect(rows[0]?.n).toBe(2);
    await released;
    expect(await hasNote()).toBe(false);
  });

  it('outside a transaction: SET lock_timeout for the step, RESET afterwards', async () => {
    const rec = new RecordingDriver(db.driver);
    const { released } = await holdLock(600);
    await executeStep(rec, addColumn, { timeoutMs: 300, retries: 3, backoffMs: 100 });
    await released;
    expect(rec.sql[0]).toBe("SET lock_timeout = '300ms'");
    expect(rec.sql.at(-1)).toBe('RESET lock_timeout');
    expect(rec.sql.filter((s) => s === addColumn.sql).length).toBeGreaterThanOrEqual(2);
    expect(await setting('lock_timeout')).toBe('0');
    expect(await hasNote()).toBe(true);
  });

  it('does not retry other errors, and returns rows affected', async () => {
    const rec = new RecordingDriver(db.driver);
    await expect(executeStep(rec, { ...addColumn, sql: 'ALTER TABLE missing ADD COLUMN x int' })).rejects.toMatchObject(
      { code: '42P01' },
    );
    expect(rec.sql.filter((s) => s.startsWith('ALTER TABLE missing'))).toHaveLength(1);
    expect(
      await executeStep(db.driver, { sql: 'UPDATE items SET id = id + 1', comment: 'bump', transactional: true }),
    ).toBe(2);
  });
});
