/**
 * The guide's "Handle Rollbacks" pattern end to end (issue 12, item 7): a tracked migration
 * applied, failing, rolled back by the guide's own workflow, applied again, rolled back from its
 * run record; each time the schema ends equal to the schema before (the neutral model, the diff).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffSchemas } from '../../shared/diff.ts';
import { describeChange } from '../../shared/diff-text.ts';
import { DEFAULT_LINT_CONFIG } from '../../shared/lint/config.ts';
import type { Schema } from '../../shared/schema.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { DIALECTS, freshDatabases, userSchema } from '../../test/databases.ts';
import { example } from '../../test/dataflow-cli.ts';
import { node, workflow } from '../../test/workflows.ts';
import { readMigration } from '../db/migration-records.ts';
import { buildRollback } from './rollback.ts';
import { runWorkflow } from './run.ts';

const databases = freshDatabases();
const guide = parseWorkflow(readFileSync(example('handle-rollbacks'), 'utf8')).workflow;

/** The migration the guide's pattern checks, applied as the guide's Best Practices track it; `check` can fail it. */
const addPreferences = (check: string) =>
  workflow(
    [
      node('track', 'MigrationNode', { migration_name: 'add_preferences', status: 'pending' }),
      node('add', 'SchemaModificationNode', {
        table: 'users',
        operation: 'add_column',
        column_name: 'preferences',
        column_type: 'jsonb',
      }),
      node('verify', 'ValidationNode', { check_sql: check }),
      node('complete', 'MigrationNode', { migration_name: 'add_preferences', status: 'completed' }),
    ],
    [],
    'add preferences',
  );

const statuses = (r: Awaited<ReturnType<typeof runWorkflow>>) =>
  Object.fromEntries(Object.entries(r.nodes).map(([id, n]) => [id, n.status]));
const changes = (a: Schema, b: Schema) => diffSchemas(a, b).changes.map(describeChange);
const status = async (db: Parameters<typeof readMigration>[0]) => (await readMigration(db, 'add_preferences'))?.status;

for (const dialect of DIALECTS) {
  describe(`Handle Rollbacks end to end (${dialect})`, () => {
    it(
      'forward, failed, the guide rollback path, forward again, generated rollback: the schema ends as before each time',
      { timeout: 60_000 },
      async () => {
        const db = await databases(
          dialect,
          "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL); INSERT INTO users VALUES (1, 'ada'), (2, 'bob');",
        );
        const before = await userSchema(db);

        // Forward path, failing after the column was added: the migration is failed, the column stays.
        const failed = await runWorkflow(addPreferences('SELECT 1 FROM users WHERE preferences IS NULL'), db, {
          mode: 'apply',
        });
        expect(failed.status).toBe('failed');
        expect(await status(db)).toBe('failed');
        // jsonb on PostgreSQL; on SQLite text with a json_valid CHECK.
        const added = changes(before, await userSchema(db));
        expect(added[0]).toMatch(/^\+ column users\.preferences (jsonb|text)$/);

        // The guide's pattern: check_rollback_needed says true, the switch takes the rollback path.
        const back = await runWorkflow(guide, db, { mode: 'apply', preflight: true });
        expect(back.status, back.error ?? '').toBe('succeeded');
        expect(back.nodes.check_rollback!.outputs.needs_rollback).toBe('true');
        expect(statuses(back)).toEqual({
          check_rollback: 'succeeded',
          rollback_decision: 'succeeded',
          rollback_migration: 'succeeded',
          proceed_migration: 'skipped',
        });
        expect(changes(before, await userSchema(db))).toEqual([]);

        // Forward again, completed; then rolled back from its run record: rolled_back, schema as before.
        const applied = await runWorkflow(addPreferences('SELECT 1 WHERE 1 = 0'), db, {
          mode: 'apply',
          preflight: true,
        });
        expect(applied.status, applied.error ?? '').toBe('succeeded');
        expect(await status(db)).toBe('completed');
        const rollback = await buildRollback(db, 'add_preferences');
        expect(rollback.run.runId).toBe(applied.runId);
        expect(rollback.workflow.nodes.map((n) => `${n.id} ${String(n.params.operation ?? n.params.status)}`)).toEqual([
          'drop_column_users_preferences drop_column',
          'rolled_back_1 rolled_back',
        ]);
        const undone = await runWorkflow(rollback.workflow, db, {
          mode: 'apply',
          preflight: true,
          driftCheck: true,
          review: { config: DEFAULT_LINT_CONFIG, waivers: rollback.waivers },
        });
        expect(undone.status, undone.error ?? '').toBe('succeeded');
        expect(changes(before, await userSchema(db))).toEqual([]);
        expect(await status(db)).toBe('rolled_back');

        // Rolled back, nothing needs rolling back: the guide's pattern takes its forward path.
        const forward = await runWorkflow(guide, db, { mode: 'apply', preflight: true });
        expect(forward.nodes.check_rollback!.outputs.needs_rollback).toBe('false');
        expect(statuses(forward)).toMatchObject({ rollback_migration: 'skipped', proceed_migration: 'succeeded' });
        expect(changes(before, await userSchema(db))).toEqual(added);
      },
    );
  });
}
