import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases, type FreshDatabase } from '../../test/databases.ts';
import { ROOT } from '../../test/dataflow-cli.ts';
import { node, workflow } from '../../test/workflows.ts';
import { history, readMigration } from '../db/migration-records.ts';
import { runWorkflow } from './run.ts';

const databases = freshDatabases();
const fresh = (dialect: (typeof DIALECTS)[number]) =>
  databases(dialect, "CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users VALUES (1, 'a');");

/** The guide's Basic Migration Tracking: track (pending) -> add a column -> complete. */
const tracking = workflow(
  [
    node('track_migration', 'MigrationNode', { migration_name: 'add_user_phone_number', status: 'pending' }),
    node('apply_change', 'SchemaModificationNode', {
      table: 'users',
      operation: 'add_column',
      column_name: 'phone_number',
      column_type: 'varchar(20)',
      nullable: true,
    }),
    node('complete_migration', 'MigrationNode', { migration_name: 'add_user_phone_number', status: 'completed' }),
  ],
  ['track_migration.result->apply_change.input', 'apply_change.result->complete_migration.input'],
  'tracking',
);

/** The guide's Handle Rollbacks check, alone. */
const check = workflow([
  node('check_rollback', 'MigrationNode', {
    migration_name: 'add_user_phone_number',
    action: 'check_rollback_needed',
  }),
]);

async function needsRollback(db: FreshDatabase): Promise<unknown> {
  const r = await runWorkflow(check, db, { mode: 'apply' });
  expect(r.status, r.error ?? '').toBe('succeeded');
  return r.nodes.check_rollback!.outputs.needs_rollback;
}

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts test/tracked-run-child.ts applying `tracking`; resolves with its run id once it stopped after `nodeId`. */
async function stoppedRun(db: FreshDatabase, nodeId: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'df-killed-')), 'tracking.dataflow.json');
  writeFileSync(file, JSON.stringify(tracking));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/tracked-run-child.ts', db.conn, file, nodeId], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const runId = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('stopped ')) resolve(line.slice('stopped '.length));
    });
    child.on('exit', (code) => reject(new Error(`the run exited (${code}) before it stopped: ${stderr}`)));
  });
  return { child, runId, exited };
}

for (const dialect of DIALECTS) {
  describe(`a tracked run killed with kill -9 (${dialect})`, () => {
    it(
      'leaves its migration running, which needs a rollback once its holder is gone, not before',
      { timeout: 60_000 },
      async () => {
        const db = await fresh(dialect);
        const { child, runId, exited } = await stoppedRun(db, 'track_migration');

        // Mid-run: recorded running with the run's identity; its run still holds the lock.
        expect(await readMigration(db, 'add_user_phone_number')).toMatchObject({ status: 'running', runId });
        expect(await needsRollback(db)).toBe('false');

        child.kill('SIGKILL');
        await exited;
        expect(child.signalCode).toBe('SIGKILL');
        // PostgreSQL ends the killed client's session (and its advisory lock) once it sees the
        // socket closed; give it a moment.
        const deadline = Date.now() + 10_000;
        let answer = await needsRollback(db);
        while (answer !== 'true' && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          answer = await needsRollback(db);
        }
        expect(answer).toBe('true');
        expect((await history(db)).map((h) => [h.name, h.status, h.runId])).toEqual([
          ['add_user_phone_number', 'running', runId],
        ]);
      },
    );

    it('a run that ends leaves no migration running: pending when it succeeded, failed when it failed', async () => {
      const db = await fresh(dialect);
      const trackOnly = workflow([tracking.nodes[0]!], [], 'tracking');
      const ok = await runWorkflow(trackOnly, db, { mode: 'apply', runId: 'run-ok' });
      expect(ok.status, ok.error ?? '').toBe('succeeded');
      expect(ok.nodes.track_migration!.outputs.migration_status).toBe('running');
      expect(await readMigration(db, 'add_user_phone_number')).toMatchObject({ status: 'pending', runId: 'run-ok' });
      const events = await db.driver.query<{ status: string }>(
        `SELECT status FROM dataflow_migration_events WHERE run_id = ${db.dialect.placeholder(1)} ORDER BY id`,
        ['run-ok'],
      );
      expect(events.rows.map((e) => e.status)).toEqual(['running', 'pending']);
      expect(await needsRollback(db)).toBe('false');

      const broken = workflow(
        tracking.nodes.map((n) =>
          n.id === 'apply_change' ? { ...n, params: { ...n.params, table: 'missing_table' } } : n,
        ),
        ['track_migration.result->apply_change.input', 'apply_change.result->complete_migration.input'],
        'tracking',
      );
      const failed = await runWorkflow(broken, db, { mode: 'apply', runId: 'run-failed' });
      expect(failed.status).toBe('failed');
      expect(await readMigration(db, 'add_user_phone_number')).toMatchObject({ status: 'failed', runId: 'run-failed' });
      expect(await needsRollback(db)).toBe('true');
    });
  });
}
