import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findColumn, findTable } from '../../shared/schema.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import { createDemoDatabase } from '../db/demo.ts';
import { readMigration, record } from '../db/migration-records.ts';
import type { RunEvent } from '../../shared/run.ts';
import { runWorkflow } from './run.ts';

type Db = TestDatabase & { cleanup(): Promise<void> };
const open: Db[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.cleanup();
});

async function demo(dialect: (typeof DIALECTS)[number]): Promise<Db> {
  const db = await createTestDatabase(dialect);
  open.push(db);
  await createDemoDatabase(db, { rows: 200 });
  return db;
}

function example(name: string) {
  return parseWorkflow(
    readFileSync(fileURLToPath(new URL(`../../assets/examples/${name}.dataflow.json`, import.meta.url)), 'utf8'),
  ).workflow;
}

const statuses = (nodes: Record<string, { status: string }>) =>
  Object.fromEntries(Object.entries(nodes).map(([id, n]) => [id, n.status]));

async function usersHas(db: Db, column: string): Promise<boolean> {
  return findColumn(findTable(await db.dialect.introspect(db.driver), 'users')!, column) !== undefined;
}

for (const dialect of DIALECTS) {
  describe(`guide examples (${dialect})`, () => {
    it('Handle Rollbacks: the switch routes to case targets that no connection draws', async () => {
      const db = await demo(dialect);
      const wf = example('handle-rollbacks');
      const forward = await runWorkflow(wf, db, { mode: 'apply' });
      expect(forward.status, forward.error ?? '').toBe('succeeded');
      expect(forward.order).toEqual(['check_rollback', 'rollback_decision', 'rollback_migration', 'proceed_migration']);
      expect(statuses(forward.nodes)).toEqual({
        check_rollback: 'succeeded',
        rollback_decision: 'succeeded',
        rollback_migration: 'skipped',
        proceed_migration: 'succeeded',
      });
      expect(forward.nodes.rollback_decision!.outputs.result).toEqual({
        value: 'false',
        selected: 'proceed_migration',
      });
      expect(await usersHas(db, 'preferences')).toBe(true);

      await record(db, 'add_preferences', 'failed', {
        runId: 'earlier',
        workflow: 'add_preferences',
        appliedBy: 'test',
      });
      const back = await runWorkflow(wf, db, { mode: 'apply' });
      expect(back.status, back.error ?? '').toBe('succeeded');
      expect(statuses(back.nodes)).toEqual({
        check_rollback: 'succeeded',
        rollback_decision: 'succeeded',
        rollback_migration: 'succeeded',
        proceed_migration: 'skipped',
      });
      expect(await usersHas(db, 'preferences')).toBe(false);
    });

    it('Migration Workflow Pattern: applies once, then takes the skip branch', async () => {
      const db = await demo(dialect);
      const wf = example('migration-workflow-pattern');
      const plan = await runWorkflow(wf, db, { mode: 'plan' });
      expect(plan.status, plan.error ?? '').toBe('succeeded');
      expect(plan.nodes.apply_migration!.sql.length).toBeGreaterThan(0);
      expect(await usersHas(db, 'last_login')).toBe(false);

      const first = await runWorkflow(wf, db, { mode: 'apply', trustCode: true });
      expect(first.status, first.error ?? '').toBe('succeeded');
      expect(statuses(first.nodes)).toMatchObject({
        apply_migration: 'succeeded',
        update_status: 'succeeded',
        skip_migration: 'skipped',
      });
      expect(await usersHas(db, 'last_login')).toBe(true);
      expect((await readMigration(db, 'user_table_v2'))?.status).toBe('completed');

      const second = await runWorkflow(wf, db, { mode: 'apply', trustCode: true });
      expect(second.status, second.error ?? '').toBe('succeeded');
      expect(statuses(second.nodes)).toMatchObject({
        apply_migration: 'skipped',
        update_status: 'skipped',
        skip_migration: 'succeeded',
      });
      expect(second.nodes.skip_migration!.outputs.result).toEqual({ message: 'Migration already applied' });
      expect(second.diff).toEqual({ changes: [], tables: [] });
    });

    it('Zero-downtime (rehearse): progress streams from the backfill, the diff shows the change, nothing is kept', async () => {
      const db = await demo(dialect);
      const before = await db.dialect.introspect(db.driver);
      const events: RunEvent[] = [];
      const plan = await runWorkflow(example('zero-downtime'), db, { mode: 'plan' });
      expect(plan.status, plan.error ?? '').toBe('succeeded');
      expect(plan.nodes.phase3_constraint!.sql.map((s) => s.sql).join('\n')).toMatch(/NOT NULL/);
      const r = await runWorkflow(example('zero-downtime'), db, {
        mode: 'rehearse',
        preflight: true,
        onEvent: (e) => events.push(e),
      });
      expect(r.status, r.error ?? '').toBe('succeeded');
      const progress = events.filter((e) => e.type === 'progress');
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((e) => e.type === 'progress' && e.nodeId === 'phase2_backfill')).toBe(true);
      expect(r.progress.phase2_backfill).toMatchObject({ done: 200, total: 200 });
      expect(r.nodes.phase2_backfill!.rowsAffected).toBe(200);
      const totalAmount = r.diff!.changes.find((c) => c.kind === 'column_added' && c.column === 'total_amount');
      expect(totalAmount && 'after' in totalAmount && (totalAmount.after as { nullable: boolean }).nullable).toBe(
        false,
      );
      expect(await db.dialect.introspect(db.driver)).toEqual(before);
    });

    it('Zero-downtime, applied and run again: every node is done already, nothing is written', async () => {
      const db = await demo(dialect);
      const first = await runWorkflow(example('zero-downtime'), db, { mode: 'apply' });
      expect(first.status, first.error ?? '').toBe('succeeded');
      const orders = async () => findTable(await db.dialect.introspect(db.driver), 'orders');
      const applied = await orders();
      const again = await runWorkflow(example('zero-downtime'), db, { mode: 'apply' });
      expect(again.status, again.error ?? '').toBe('succeeded');
      expect(again.nodes.phase1_add!.outcome).toMatchObject({
        kind: 'already_applied',
        note: expect.stringMatching(
          /NOT NULL, as this node adds it and node "phase3_constraint" of this workflow then changes it$/,
        ),
      });
      expect(again.nodes.phase2_backfill!.rowsAffected).toBe(0);
      expect(again.nodes.phase3_constraint!.outcome?.kind).toBe('already_applied');
      expect(again.diff).toEqual({ changes: [], tables: [] });
      expect(await orders()).toEqual(applied);
    });
  });
}
