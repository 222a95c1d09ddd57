import { describe, expect, it } from 'vitest';
import { freshDatabases, type FreshDatabase } from '../../../test/databases.ts';
import { acquireMigrationLock, liveLockHolder, MigrationLockError } from '../migration-lock.ts';
import { LOCK_TTL_MS } from './migration-lock.ts';

const fresh = freshDatabases();

describe('SQLite lock row expiry', () => {
  async function foreignRow(db: FreshDatabase, expiresAt: string) {
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
