import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import { openDatabase, type Database } from './connect.ts';
import {
  acquireMigrationLock,
  failRunMigrations,
  history,
  LOCK_TTL_MS,
  liveLockHolder,
  MigrationLockError,
  needsRollback,
  readMigration,
  readStatus,
  record,
} from './migrations.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const opts = (runId: string) => ({ runId, workflow: 'wf', appliedBy: 'tester@host' });

type Db = TestDatabase & { cleanup(): Promise<void> };
const open: { cleanup(): Promise<void> }[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of open.splice(0).reverse()) await d.cleanup();
});

async function fresh(dialect: (typeof DIALECTS)[number]): Promise<Db> {
  const db = await createTestDatabase(dialect);
  open.push(db);
  return db;
}

async function second(db: Db): Promise<Database> {
  const other = await openDatabase(db.conn);
  open.unshift({ cleanup: () => other.driver.close() });
  return other;
}

async function tables(db: Db): Promise<string[]> {
  const sql =
    db.dialect.name === 'postgres'
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'dataflow%' ORDER BY 1"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'dataflow%' ORDER BY 1";
  return (await db.driver.query<{ name: string }>(sql)).rows.map((r) => r.name);
}

async function events(db: Database, name: string): Promise<{ status: string; run_id: string; detail: string }[]> {
  const { rows } = await db.driver.query<{ status: string; run_id: string; detail: string }>(
    `SELECT status, run_id, detail FROM dataflow_migration_events WHERE name = ${db.dialect.placeholder(1)} ORDER BY id`,
    [name],
  );
  return rows;
}

/** Starts test/lock-holder.ts; resolves once it holds the lock. */
async function holder(conn: string, runId: string, holdMs: number) {
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
}

for (const dialect of DIALECTS) {
  describe(`migration tracking (${dialect})`, () => {
    it('creates the tracking tables on first use and records pending -> completed with metadata and events', async () => {
      const db = await fresh(dialect);
      expect(await history(db)).toEqual([]);
      expect(await readStatus(db, 'm1')).toBe('pending');
      expect(await tables(db)).toEqual([]);

      await record(db, 'm1', 'pending', {
        ...opts('run-1'),
        metadata: { version: '2.1.0', description: 'Add prefs', breaking_change: false, ticket: 7 },
      });
      expect(await tables(db)).toEqual(['dataflow_migration_events', 'dataflow_migrations']);
      const pending = await readMigration(db, 'm1');
      expect(pending).toMatchObject({
        status: 'pending',
        version: '2.1.0',
        description: 'Add prefs',
        breakingChange: false,
        runId: 'run-1',
        workflow: 'wf',
        appliedBy: 'tester@host',
        completedAt: null,
        checksum: null,
      });
      expect(pending?.metadata).toEqual({
        version: '2.1.0',
        description: 'Add prefs',
        breaking_change: false,
        ticket: 7,
      });
      expect(Date.parse(pending!.startedAt!)).toBeGreaterThan(Date.now() - 60_000);

      await record(db, 'm1', 'completed', { ...opts('run-1'), checksum: 'abc' });
      const done = await readMigration(db, 'm1');
      expect(done).toMatchObject({ status: 'completed', checksum: 'abc', version: '2.1.0', breakingChange: false });
      expect(done?.completedAt).not.toBeNull();
      expect(await readStatus(db, 'm1')).toBe('completed');
      expect((await events(db, 'm1')).map((e) => e.status)).toEqual(['pending', 'completed']);
      expect((await history(db)).map((h) => [h.name, h.status, h.checksum, h.runId])).toEqual([
        ['m1', 'completed', 'abc', 'run-1'],
      ]);
    });

    it('keeps the last completion (checksum, completed_at) when a migration is restarted', async () => {
      const db = await fresh(dialect);
      await record(db, 'm', 'completed', { ...opts('run-1'), checksum: 'first', at: '2025-01-02T03:04:05.000Z' });
      await record(db, 'm', 'pending', opts('run-2'));
      expect(await readMigration(db, 'm')).toMatchObject({
        status: 'pending',
        checksum: 'first',
        completedAt: '2025-01-02T03:04:05.000Z',
        runId: 'run-2',
      });
    });

    it("failRunMigrations marks only that run's open migrations failed, with the error and an event", async () => {
      const db = await fresh(dialect);
      await failRunMigrations(db, 'run-1', 'nothing recorded yet');
      expect(await tables(db)).toEqual([]);
      await record(db, 'a', 'pending', opts('run-1'));
      await record(db, 'b', 'completed', { ...opts('run-1'), checksum: 'x' });
      await record(db, 'c', 'pending', opts('run-2'));
      await failRunMigrations(db, 'run-1', 'column "x" already exists');
      expect(await readMigration(db, 'a')).toMatchObject({ status: 'failed', error: 'column "x" already exists' });
      expect(await readStatus(db, 'b')).toBe('completed');
      expect(await readStatus(db, 'c')).toBe('pending');
      expect((await events(db, 'a')).map((e) => [e.status, e.run_id])).toEqual([
        ['pending', 'run-1'],
        ['failed', 'run-1'],
      ]);
      expect(db.driver.inTransaction()).toBe(false);
    });

    it('needsRollback: failed, running without a live holder, running with its run holding the lock', async () => {
      const db = await fresh(dialect);
      expect(await needsRollback(db, 'never')).toBe(false);
      await record(db, 'f', 'failed', opts('run-1'));
      expect(await needsRollback(db, 'f')).toBe(true);
      await record(db, 'ok', 'completed', opts('run-1'));
      expect(await needsRollback(db, 'ok')).toBe(false);
      await record(db, 'r', 'running', opts('run-live'));
      expect(await needsRollback(db, 'r')).toBe(true);

      const lock = await acquireMigrationLock(db, { runId: 'run-live', workflow: 'wf' });
      const other = await second(db);
      expect((await liveLockHolder(other))?.runId).toBe('run-live');
      expect(await needsRollback(other, 'r')).toBe(false);
      await record(db, 'r2', 'running', opts('run-dead'));
      expect(await needsRollback(other, 'r2')).toBe(true);
      await lock.release();
      expect(await liveLockHolder(other)).toBeNull();
      expect(await needsRollback(other, 'r')).toBe(true);
    });

    it("the lock row commits on its own and release works after the caller's transaction ended", async () => {
      const db = await fresh(dialect);
      await db.setup('CREATE TABLE t (id integer)');
      const lock = await acquireMigrationLock(db, { runId: 'run-tx', workflow: 'wf' });
      await db.driver.query(db.dialect.beginSql());
      await db.driver.query('INSERT INTO t VALUES (1)');
      await expect(lock.release()).rejects.toThrow(/after the run's transaction ended/);
      await expect(acquireMigrationLock(db, { runId: 'other', workflow: 'wf' })).rejects.toThrow(
        /before the run opens a transaction/,
      );
      await db.driver.query('ROLLBACK');
      const other = await second(db);
      expect((await liveLockHolder(other))?.runId).toBe('run-tx');
      await lock.release();
      await lock.release();
      expect(await liveLockHolder(other)).toBeNull();
      const again = await acquireMigrationLock(other, { runId: 'run-2', workflow: 'wf' }, { waitMs: 0 });
      await again.release();
    });

    it('a second connection waits a bounded time and names the holder; never both hold it', async () => {
      const db = await fresh(dialect);
      const other = await second(db);
      const lock = await acquireMigrationLock(db, { runId: 'run-A', workflow: 'first wf' });
      const started = Date.now();
      const err = await acquireMigrationLock(other, { runId: 'run-B', workflow: 'wf' }, { waitMs: 300 }).catch(
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(err).toBeInstanceOf(MigrationLockError);
      expect((err as Error).message).toMatch(/run run-A, workflow "first wf", pid \d+, host \S+, since \d{4}-/);
      const waiting = acquireMigrationLock(other, { runId: 'run-B', workflow: 'wf' }, { waitMs: 5000 });
      await new Promise((r) => setTimeout(r, 300));
      expect((await liveLockHolder(db))?.runId).toBe('run-A');
      await lock.release();
      const b = await waiting;
      expect((await liveLockHolder(db))?.runId).toBe('run-B');
      await b.release();
    });

    it('two processes: a short wait fails naming the child, a long wait gets the lock after the child released it', async () => {
      const db = await fresh(dialect);
      const child = await holder(db.conn, 'run-child', 2500);
      const err = await acquireMigrationLock(db, { runId: 'run-parent', workflow: 'wf' }, { waitMs: 200 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MigrationLockError);
      expect((err as Error).message).toContain('run run-child');
      expect((err as Error).message).toContain(`pid ${child.pid}`);
      expect((err as MigrationLockError).holder).toMatchObject({
        runId: 'run-child',
        workflow: 'lock-holder',
        pid: child.pid,
      });

      const lock = await acquireMigrationLock(db, { runId: 'run-parent', workflow: 'wf' }, { waitMs: 20_000 });
      const gotAt = Date.now();
      expect(await child.exited).toBe(0);
      const releasing = Number(child.lines.find((l) => l.startsWith('releasing'))?.split(' ')[1]);
      expect(gotAt).toBeGreaterThanOrEqual(releasing);
      expect(child.lines).toContain('released');
      expect((await liveLockHolder(db))?.runId).toBe('run-parent');
      await lock.release();
    });

    it('dropCreatedTable: release drops the lock table it created, keeps one that existed, and a waiting run keeps its own', async () => {
      const db = await fresh(dialect);
      await (
        await acquireMigrationLock(db, { runId: 'rehearse-1', workflow: 'wf' }, { dropCreatedTable: true })
      ).release();
      expect(await tables(db)).toEqual([]);

      await (await acquireMigrationLock(db, { runId: 'apply', workflow: 'wf' })).release();
      await (
        await acquireMigrationLock(db, { runId: 'rehearse-2', workflow: 'wf' }, { dropCreatedTable: true })
      ).release();
      expect(await tables(db)).toEqual(['dataflow_migration_lock']);

      await db.driver.query('DROP TABLE dataflow_migration_lock');
      const first = await acquireMigrationLock(db, { runId: 'rehearse-3', workflow: 'wf' }, { dropCreatedTable: true });
      const other = await second(db);
      const waiting = acquireMigrationLock(other, { runId: 'waiter', workflow: 'wf' }, { waitMs: 10_000 });
      await new Promise((r) => setTimeout(r, 200));
      await first.release();
      const next = await waiting;
      expect((await liveLockHolder(db))?.runId).toBe('waiter');
      await next.release();
      expect(await tables(db)).toEqual(['dataflow_migration_lock']);
    });

    it('the lock of a SIGKILLed run is taken over', async () => {
      const db = await fresh(dialect);
      const child = await holder(db.conn, 'run-killed', 60_000);
      child.child.kill('SIGKILL');
      await child.exited;
      const lock = await acquireMigrationLock(db, { runId: 'run-next', workflow: 'wf' }, { waitMs: 5000 });
      expect((await liveLockHolder(db))?.runId).toBe('run-next');
      await lock.release();
    });
  });
}

describe('SQLite lock row expiry', () => {
  async function foreignRow(db: Db, expiresAt: string) {
    const lock = await acquireMigrationLock(db, { runId: 'seed', workflow: 'wf' });
    await lock.release();
    const now = new Date().toISOString();
    await db.driver.query(
      'INSERT INTO dataflow_migration_lock (id, run_id, workflow, pid, host, acquired_at, heartbeat_at, expires_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)',
      ['run-remote', 'remote wf', 4242, 'other-host.example', now, now, expiresAt],
    );
  }

  it('a live lock from another host is respected until it expires, then taken over', async () => {
    const db = await fresh('sqlite');
    await foreignRow(db, new Date(Date.now() + LOCK_TTL_MS).toISOString());
    const err = await acquireMigrationLock(db, { runId: 'local', workflow: 'wf' }, { waitMs: 150 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MigrationLockError);
    expect((err as Error).message).toMatch(
      /run run-remote, workflow "remote wf", pid 4242, host other-host\.example, .*expires at/,
    );

    await db.driver.query('DELETE FROM dataflow_migration_lock');
    await foreignRow(db, new Date(Date.now() - 1000).toISOString());
    const lock = await acquireMigrationLock(db, { runId: 'local', workflow: 'wf' }, { waitMs: 150 });
    expect(await liveLockHolder(db)).toMatchObject({ runId: 'local', pid: process.pid });
    await lock.release();
  });

  it('the heartbeat refreshes the row while held; a holder whose row was taken over does not delete the new one', async () => {
    const db = await fresh('sqlite');
    const lock = await acquireMigrationLock(db, { runId: 'beating', workflow: 'wf' });
    const first = (await liveLockHolder(db))!;
    await new Promise((r) => setTimeout(r, 5400));
    const later = (await liveLockHolder(db))!;
    expect(later.since).toBe(first.since);
    expect(Date.parse(later.heartbeatAt!)).toBeGreaterThan(Date.parse(first.heartbeatAt!) + 4000);
    expect(Date.parse(later.expiresAt!)).toBeGreaterThan(Date.parse(first.expiresAt!) + 4000);
    await db.driver.query("UPDATE dataflow_migration_lock SET run_id = 'usurper'");
    await lock.release();
    expect((await liveLockHolder(db))?.runId).toBe('usurper');
  });

  it('the held lock row carries owner, pid, host, heartbeat and an expiry in the future', async () => {
    const db = await fresh('sqlite');
    const lock = await acquireMigrationLock(db, { runId: 'mine', workflow: 'wf' });
    const h = await liveLockHolder(db);
    expect(h).toMatchObject({ runId: 'mine', workflow: 'wf', pid: process.pid });
    expect(Date.parse(h!.expiresAt!)).toBeGreaterThan(Date.now() + LOCK_TTL_MS / 2);
    expect(h!.heartbeatAt).toBe(h!.since);
    await lock.release();
  });
});
