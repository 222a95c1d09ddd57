/**
 * A run that waits for another run's migration lock plans (its preflight) only once it holds the
 * lock, so it sees the state the other run finished with, not a half-done one: the Migration
 * Workflow Pattern started while another run is between adding its column and recording the
 * migration completed ends cleanly, taking the "already applied" route.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { openDatabase } from '../db/connect.ts';
import { acquireMigrationLock } from '../db/migration-lock.ts';
import { record } from '../db/migration-records.ts';
import { workflowSchema } from '../../shared/workflow.ts';
import { runWorkflow } from './run.ts';

const fresh = freshDatabases();
const pattern = workflowSchema.parse(
  JSON.parse(
    readFileSync(new URL('../../assets/examples/migration-workflow-pattern.dataflow.json', import.meta.url), 'utf8'),
  ),
);

for (const dialect of DIALECTS) {
  describe(`preflight after the migration lock on ${dialect}`, () => {
    it('a run waiting for the lock plans against the finished state and ends cleanly', async () => {
      const db = await fresh(dialect, 'CREATE TABLE users (id integer PRIMARY KEY, name text)');
      const other = await openDatabase(db.conn);
      fresh.defer(() => other.driver.close());
      // The other run: holds the lock, has added its column, has not recorded the migration yet.
      const lock = await acquireMigrationLock(other, { runId: 'other-run', workflow: pattern.name }, { waitMs: 0 });
      await other.driver.query('ALTER TABLE users ADD COLUMN last_login timestamp');
      const waiting = runWorkflow(pattern, db, { mode: 'apply', preflight: true, trustCode: true, lockWaitMs: 20_000 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await record(other, 'user_table_v2', 'completed', {
        runId: 'other-run',
        workflow: pattern.name,
        appliedBy: 'test',
      });
      await lock.release();

      const result = await waiting;
      expect(result.error).toBeNull();
      expect(result.status).toBe('succeeded');
      expect(result.nodes.apply_migration!.status).toBe('skipped');
      expect(result.nodes.skip_migration!.status).toBe('succeeded');
    });
  });
}
