import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { lockHolders, secondConnection, trackingTables } from '../../test/migration-tracking.ts';
import { acquireMigrationLock, liveLockHolder, MigrationLockError } from './migration-lock.ts';

const fresh = freshDatabases();
const holder = lockHolders();

for (const dialect of DIALECTS) {
  describe(`migration lock (${dialect})`, () => {
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
      const other = await secondConnection(fresh, db);
      expect((await liveLockHolder(other))?.runId).toBe('run-tx');
      await lock.release();
      await lock.release();
      expect(await liveLockHolder(other)).toBeNull();
      const again = await acquireMigrationLock(other, { runId: 'run-2', workflow: 'wf' }, { waitMs: 0 });
      await again.release();
    });

    it('a second connection waits a bounded time and names the holder; never both hold it', async () => {
      const db = await fresh(dialect);
      const other = await secondConnection(fresh, db);
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
      expect(await trackingTables(db)).toEqual([]);

      await (await acquireMigrationLock(db, { runId: 'apply', workflow: 'wf' })).release();
      await (
        await acquireMigrationLock(db, { runId: 'rehearse-2', workflow: 'wf' }, { dropCreatedTable: true })
      ).release();
      expect(await trackingTables(db)).toEqual(['dataflow_migration_lock']);

      await db.driver.query('DROP TABLE dataflow_migration_lock');
      const first = await acquireMigrationLock(db, { runId: 'rehearse-3', workflow: 'wf' }, { dropCreatedTable: true });
      const other = await secondConnection(fresh, db);
      const waiting = acquireMigrationLock(other, { runId: 'waiter', workflow: 'wf' }, { waitMs: 10_000 });
      await new Promise((r) => setTimeout(r, 200));
      await first.release();
      const next = await waiting;
      expect((await liveLockHolder(db))?.runId).toBe('waiter');
      await next.release();
      expect(await trackingTables(db)).toEqual(['dataflow_migration_lock']);
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
