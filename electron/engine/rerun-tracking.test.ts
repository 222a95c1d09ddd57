/**
 * Re-running the guide's Basic Migration Tracking (assets/examples/migration-tracking.dataflow.json) on a demo
 * database where it completed: plan, rehearse and apply end `succeeded`, the MigrationNodes
 * `already completed`, the schema change `already applied`, nothing runs and the record keeps the
 * run that applied it. Both databases, with the preflight plan the CLI and the editor run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_DIR } from '../../scripts/extract-guide-examples.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { DIALECTS, freshDatabases, userSchema } from '../../test/databases.ts';
import { createDemoDatabase } from '../db/demo.ts';
import { readMigration } from '../db/migration-records.ts';
import { runWorkflow } from './run.ts';

const databases = freshDatabases();
const tracking = parseWorkflow(readFileSync(join(EXAMPLES_DIR, 'migration-tracking.dataflow.json'), 'utf8')).workflow;

for (const dialect of DIALECTS) {
  describe(`re-running Basic Migration Tracking after it completed (${dialect})`, () => {
    it('plan, rehearse and apply succeed: the tracking nodes already completed, the column already applied', async () => {
      const db = await databases(dialect);
      await createDemoDatabase(db, { rows: 50 });
      const first = await runWorkflow(tracking, db, { mode: 'apply', preflight: true, runId: 'run-first' });
      expect(first.status, first.error ?? '').toBe('succeeded');
      expect(Object.values(first.nodes).map((n) => n.outcome)).toEqual([undefined, undefined, undefined]);
      const record = await readMigration(db, 'add_user_phone_number');
      expect(record).toMatchObject({ status: 'completed', runId: 'run-first' });
      const schema = await userSchema(db);

      for (const mode of ['plan', 'rehearse', 'apply'] as const) {
        const again = await runWorkflow(tracking, db, { mode, preflight: mode !== 'plan' });
        expect(again.status, `${mode}: ${again.error ?? ''}`).toBe('succeeded');
        expect(
          Object.fromEntries(Object.entries(again.nodes).map(([id, n]) => [id, [n.status, n.outcome?.kind]])),
          mode,
        ).toEqual({
          track_migration: ['succeeded', 'already_completed'],
          apply_change: ['succeeded', 'already_applied'],
          complete_migration: ['succeeded', 'already_completed'],
        });
        expect(again.nodes.track_migration!.outcome!.note).toBe(
          `migration "add_user_phone_number" was completed at ${record!.completedAt} by run run-first; its record stays completed`,
        );
        expect(again.nodes.apply_change!.outcome!.note).toBe(
          'column "phone_number" of "users" exists already as varchar(20) NULL',
        );
        expect(Object.values(again.nodes).flatMap((n) => n.sql)).toEqual([]);
        expect(again.warnings).toEqual([]);
        if (mode !== 'plan') expect(again.diff?.changes).toEqual([]);
      }
      expect(await readMigration(db, 'add_user_phone_number')).toEqual(record);
      expect(await userSchema(db)).toEqual(schema);
    });
  });
}
