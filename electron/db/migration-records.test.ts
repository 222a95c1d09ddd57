import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { recordOptions, secondConnection, trackingTables } from '../../test/migration-tracking.ts';
import type { Database } from './connect.ts';
import { acquireMigrationLock, liveLockHolder } from './migration-lock.ts';
import { failRunMigrations, history, needsRollback, readMigration, record } from './migration-records.ts';

const fresh = freshDatabases();

async function events(db: Database, name: string): Promise<{ status: string; run_id: string; detail: string }[]> {
  const { rows } = await db.driver.query<{ status: string; run_id: string; detail: string }>(
    `SELECT status, run_id, detail FROM dataflow_migration_events WHERE name = ${db.dialect.placeholder(1)} ORDER BY id`,
    [name],
  );
  return rows;
}

for (const dialect of DIALECTS) {
  describe(`migration tracking (${dialect})`, () => {
    it('creates the tracking tables on first use and records pending -> completed with metadata and events', async () => {
      const db = await fresh(dialect);
      expect(await history(db)).toEqual([]);
      expect(await readMigration(db, 'm1')).toBeNull();
      expect(await trackingTables(db)).toEqual([]);

      await record(db, 'm1', 'pending', {
        ...recordOptions('run-1'),
        metadata: { version: '2.1.0', description: 'Add prefs', breaking_change: false, ticket: 7 },
      });
      expect(await trackingTables(db)).toEqual(['dataflow_migration_events', 'dataflow_migrations']);
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

      await record(db, 'm1', 'completed', { ...recordOptions('run-1'), checksum: 'abc' });
      const done = await readMigration(db, 'm1');
      expect(done).toMatchObject({ status: 'completed', checksum: 'abc', version: '2.1.0', breakingChange: false });
      expect(done?.completedAt).not.toBeNull();
      expect((await readMigration(db, 'm1'))?.status).toBe('completed');
      expect((await events(db, 'm1')).map((e) => e.status)).toEqual(['pending', 'completed']);
      expect((await history(db)).map((h) => [h.name, h.status, h.checksum, h.runId])).toEqual([
        ['m1', 'completed', 'abc', 'run-1'],
      ]);
    });

    it('keeps the last completion (checksum, completed_at) when a migration is restarted', async () => {
      const db = await fresh(dialect);
      await record(db, 'm', 'completed', {
        ...recordOptions('run-1'),
        checksum: 'first',
        at: '2025-01-02T03:04:05.000Z',
      });
      await record(db, 'm', 'pending', recordOptions('run-2'));
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
      expect(await trackingTables(db)).toEqual([]);
      await record(db, 'a', 'pending', recordOptions('run-1'));
      await record(db, 'b', 'completed', { ...recordOptions('run-1'), checksum: 'x' });
      await record(db, 'c', 'pending', recordOptions('run-2'));
      await failRunMigrations(db, 'run-1', 'column "x" already exists');
      expect(await readMigration(db, 'a')).toMatchObject({ status: 'failed', error: 'column "x" already exists' });
      expect((await readMigration(db, 'b'))?.status).toBe('completed');
      expect((await readMigration(db, 'c'))?.status).toBe('pending');
      expect((await events(db, 'a')).map((e) => [e.status, e.run_id])).toEqual([
        ['pending', 'run-1'],
        ['failed', 'run-1'],
      ]);
      expect(db.driver.inTransaction()).toBe(false);
    });

    it('needsRollback: failed, running without a live holder, running with its run holding the lock', async () => {
      const db = await fresh(dialect);
      expect(await needsRollback(db, 'never')).toBe(false);
      await record(db, 'f', 'failed', recordOptions('run-1'));
      expect(await needsRollback(db, 'f')).toBe(true);
      await record(db, 'ok', 'completed', recordOptions('run-1'));
      expect(await needsRollback(db, 'ok')).toBe(false);
      await record(db, 'r', 'running', recordOptions('run-live'));
      expect(await needsRollback(db, 'r')).toBe(true);

      const lock = await acquireMigrationLock(db, { runId: 'run-live', workflow: 'wf' });
      const other = await secondConnection(fresh, db);
      expect((await liveLockHolder(other))?.runId).toBe('run-live');
      expect(await needsRollback(other, 'r')).toBe(false);
      await record(db, 'r2', 'running', recordOptions('run-dead'));
      expect(await needsRollback(other, 'r2')).toBe(true);
      await lock.release();
      expect(await liveLockHolder(other)).toBeNull();
      expect(await needsRollback(other, 'r')).toBe(true);
    });
  });
}
