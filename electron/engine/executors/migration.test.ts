import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { DIALECTS, freshDatabases, type FreshDatabase } from '../../../test/databases.ts';
import { ranSql, runExecutor, testContext } from '../../../test/executor-context.ts';
import type { MigrationParams } from '../../../shared/nodes/migration.ts';
import type { NodeResult, RunMode } from '../../../shared/run.ts';
import type { Workflow } from '../../../shared/workflow.ts';
import { openDatabase } from '../../db/connect.ts';
import { acquireMigrationLock, liveLockHolder } from '../../db/migration-lock.ts';
import { history, readMigration, record } from '../../db/migration-records.ts';
import { runWorkflow } from '../run.ts';
import { coveredNodes, migrationChecksum, migrationExecutor, normaliseSql } from './migration.ts';

const fresh = freshDatabases();
type Db = FreshDatabase;

const ADD = 'ALTER TABLE "users" ADD COLUMN "phone_number" varchar(20)';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The guide's basic tracking: track_migration -> apply_change -> complete_migration, plus an unrelated node. */
function guideWorkflow(name = 'add_user_phone_number'): Workflow {
  return {
    format: 'dataflow-workflow',
    version: 1,
    name: 'phone',
    description: '',
    nodes: [
      {
        id: 'track_migration',
        type: 'MigrationNode',
        params: { migration_name: name, status: 'pending' },
        position: { x: 0, y: 0 },
      },
      { id: 'unrelated', type: 'SchemaModificationNode', params: {}, position: { x: 0, y: 0 } },
      { id: 'apply_change', type: 'SchemaModificationNode', params: {}, position: { x: 0, y: 0 } },
      {
        id: 'complete_migration',
        type: 'MigrationNode',
        params: { migration_name: name, status: 'completed' },
        position: { x: 0, y: 0 },
      },
    ],
    connections: [
      { source: 'track_migration', sourceOutput: 'result', target: 'apply_change', targetInput: 'input' },
      { source: 'apply_change', sourceOutput: 'result', target: 'complete_migration', targetInput: 'input' },
    ],
  };
}

async function run(
  db: Db,
  mode: RunMode,
  nodeId: string,
  params: MigrationParams,
  extra: { workflow?: Workflow; results?: Map<string, NodeResult>; runId?: string } = {},
) {
  const ctx = testContext({
    db,
    mode,
    workflow: extra.workflow ?? guideWorkflow(),
    nodeId,
    params,
    results: extra.results,
    runId: extra.runId,
  });
  const { outputs, failure } = await runExecutor(migrationExecutor, ctx);
  if (failure) throw failure;
  return { outputs: outputs!, ctx };
}

/** How many of the two tracking tables exist (the lock table is the lock's own). */
async function trackingTables(db: Db): Promise<number> {
  const sql =
    db.dialect.name === 'postgres'
      ? "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name IN ('dataflow_migrations', 'dataflow_migration_events')"
      : "SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('dataflow_migrations', 'dataflow_migration_events')";
  return Number((await db.driver.query<{ n: number }>(sql)).rows[0]!.n);
}

const applied = () =>
  new Map<string, NodeResult>([
    ['track_migration', ranSql([])],
    ['unrelated', ranSql(['DROP TABLE "x"'])],
    ['apply_change', ranSql([ADD])],
  ]);

describe('migration checksum', () => {
  it('covers the ancestors that ran SQL, not other MigrationNodes or unrelated nodes', () => {
    const wf = guideWorkflow();
    const node = wf.nodes[3]!;
    const results = applied();
    expect(coveredNodes({ workflow: wf, node, results })).toEqual(['apply_change']);
    expect(migrationChecksum({ workflow: wf, node, results })).toBe(sha(ADD));
    const spaced = new Map(results).set(
      'apply_change',
      ranSql([`  ALTER TABLE "users"\n\tADD COLUMN   "phone_number" varchar(20) `]),
    );
    expect(migrationChecksum({ workflow: wf, node, results: spaced })).toBe(sha(ADD));
  });

  it('without ancestors covers every node that ran before it', () => {
    const wf = { ...guideWorkflow(), connections: [] };
    const node = wf.nodes[3]!;
    expect(coveredNodes({ workflow: wf, node, results: applied() })).toEqual(['unrelated', 'apply_change']);
    expect(migrationChecksum({ workflow: wf, node, results: applied() })).toBe(sha(`DROP TABLE "x"\n${ADD}`));
  });
});

for (const dialect of DIALECTS) {
  describe(`MigrationNode (${dialect})`, () => {
    it('check_status is pending before anything was recorded, in plan and apply, and creates no tables', async () => {
      const db = await fresh(dialect);
      for (const mode of ['plan', 'apply'] as const) {
        const { outputs, ctx } = await run(db, mode, 'track_migration', {
          migration_name: 'never',
          action: 'check_status',
        });
        expect(outputs.migration_status).toBe('pending');
        expect(outputs.result).toEqual({ migration_name: 'never', status: 'pending', migration_status: 'pending' });
        expect(ctx.executed).toEqual([]);
      }
      expect(await trackingTables(db)).toBe(0);
    });

    it('plan mode reports the record steps (with table creation on first use) and writes nothing', async () => {
      const db = await fresh(dialect);
      const { ctx, outputs } = await run(db, 'plan', 'track_migration', {
        migration_name: "o'brien",
        status: 'pending',
      });
      const sql = ctx.executed.map((s) => s.sql);
      expect(sql[0]).toMatch(/^CREATE TABLE IF NOT EXISTS "dataflow_migrations"/);
      expect(sql.some((s) => s.startsWith('CREATE TABLE IF NOT EXISTS "dataflow_migration_events"'))).toBe(true);
      expect(sql.some((s) => s.startsWith('INSERT INTO "dataflow_migrations"') && s.includes("'o''brien'"))).toBe(true);
      // `pending` is recorded `running` while the run lasts (its end sets it back to pending).
      expect(sql.some((s) => s.startsWith('INSERT INTO "dataflow_migrations"') && s.includes("'running'"))).toBe(true);
      expect(outputs.result).toMatchObject({ migration_name: "o'brien", status: 'running' });
      expect(await trackingTables(db)).toBe(0);
    });

    it('records pending then completed with the checksum and metadata; check_status follows', async () => {
      const db = await fresh(dialect);
      const metadata = { version: '2.1.0', description: 'Add user preferences table', breaking_change: false };
      await run(
        db,
        'apply',
        'track_migration',
        { migration_name: 'add_user_phone_number', status: 'pending', metadata },
        { runId: 'run-1' },
      );
      expect(
        (await run(db, 'apply', 'track_migration', { migration_name: 'add_user_phone_number', action: 'check_status' }))
          .outputs.migration_status,
      ).toBe('running');
      const { outputs, ctx } = await run(
        db,
        'apply',
        'complete_migration',
        { migration_name: 'add_user_phone_number', status: 'completed' },
        { results: applied(), runId: 'run-1' },
      );
      expect(ctx.warnings).toEqual([]);
      expect(outputs.result).toEqual({
        migration_name: 'add_user_phone_number',
        status: 'completed',
        migration_status: 'completed',
        checksum: sha(ADD),
      });
      expect(ctx.executed.some((s) => s.sql.startsWith('CREATE'))).toBe(false);
      expect(await readMigration(db, 'add_user_phone_number')).toMatchObject({
        status: 'completed',
        checksum: sha(ADD),
        version: '2.1.0',
        description: 'Add user preferences table',
        breakingChange: false,
        runId: 'run-1',
        workflow: 'phone',
      });
      expect(
        (await run(db, 'apply', 'track_migration', { migration_name: 'add_user_phone_number', action: 'check_status' }))
          .outputs.migration_status,
      ).toBe('completed');
    });

    it("rehearse: the record is rolled back with the run's transaction", async () => {
      const db = await fresh(dialect);
      await db.driver.query(db.dialect.beginSql());
      await run(db, 'rehearse', 'track_migration', { migration_name: 'm', status: 'pending' });
      expect(
        (await run(db, 'rehearse', 'track_migration', { migration_name: 'm', action: 'check_status' })).outputs
          .migration_status,
      ).toBe('running');
      expect(await readMigration(db, 'm')).not.toBeNull();
      await db.driver.query('ROLLBACK');
      expect(await readMigration(db, 'm')).toBeNull();
      expect(await trackingTables(db)).toBe(0);
    });

    it('warns about drift when a completed migration is completed again with other SQL, naming both checksums', async () => {
      const db = await fresh(dialect);
      await run(
        db,
        'apply',
        'complete_migration',
        { migration_name: 'add_user_phone_number', status: 'completed' },
        { results: applied() },
      );
      const same = await run(
        db,
        'apply',
        'complete_migration',
        { migration_name: 'add_user_phone_number', status: 'completed' },
        { results: applied() },
      );
      expect(same.ctx.warnings).toEqual([]);
      const changed = new Map(applied()).set(
        'apply_change',
        ranSql(['ALTER TABLE "users" ADD COLUMN "phone_number" varchar(32)']),
      );
      const other = sha('ALTER TABLE "users" ADD COLUMN "phone_number" varchar(32)');
      const drift = await run(
        db,
        'apply',
        'complete_migration',
        { migration_name: 'add_user_phone_number', status: 'completed' },
        { results: changed },
      );
      expect(drift.ctx.warnings).toHaveLength(1);
      expect(drift.ctx.warnings[0]).toContain(sha(ADD));
      expect(drift.ctx.warnings[0]).toContain(other);
      expect(drift.ctx.warnings[0]).toMatch(/drift/);
      expect((await readMigration(db, 'add_user_phone_number'))?.checksum).toBe(other);
    });

    it('recording a completed migration pending again is already completed, naming when and by which run, and keeps the record', async () => {
      const db = await fresh(dialect);
      await run(
        db,
        'apply',
        'complete_migration',
        { migration_name: 'm2', status: 'completed' },
        { results: applied() },
      );
      const completed = await readMigration(db, 'm2');
      for (const mode of ['apply', 'plan'] as const) {
        const again = await run(db, mode, 'track_migration', { migration_name: 'm2', status: 'pending' });
        expect(again.ctx.outcome).toEqual({
          kind: 'already_completed',
          note: `migration "m2" was completed at ${completed!.completedAt} by run test-run; its record stays completed`,
        });
        expect(again.outputs.migration_status).toBe('completed');
        expect(again.ctx.executed).toEqual([]);
      }
      const done = await run(db, 'apply', 'complete_migration', { migration_name: 'm2', status: 'completed' });
      expect(done.ctx.outcome?.kind).toBe('already_completed');
      expect(done.ctx.outcome?.note).toMatch(/and this run changed nothing it covers$/);
      expect(await readMigration(db, 'm2')).toEqual(completed);
    });

    it('check_rollback_needed: failed and running-without-holder are "true", completed and unknown "false"', async () => {
      const db = await fresh(dialect);
      const base = { runId: 'r', workflow: 'wf', appliedBy: 't@h' };
      await record(db, 'failed_one', 'failed', base);
      await record(db, 'running_one', 'running', base);
      await record(db, 'done_one', 'completed', base);
      const needs = async (name: string, mode: RunMode = 'apply') =>
        (await run(db, mode, 'track_migration', { migration_name: name, action: 'check_rollback_needed' })).outputs;
      expect(await needs('failed_one')).toEqual({
        needs_rollback: 'true',
        result: { migration_name: 'failed_one', status: 'failed', needs_rollback: 'true' },
      });
      expect((await needs('running_one', 'plan')).needs_rollback).toBe('true');
      expect((await needs('done_one')).needs_rollback).toBe('false');
      expect((await needs('unknown')).needs_rollback).toBe('false');
    });
  });
}

/** The guide's "Basic Migration Tracking": track_migration -> apply_change -> complete_migration. */
function trackApplyComplete(): Workflow {
  return {
    format: 'dataflow-workflow',
    version: 1,
    name: 'add_user_phone_number',
    description: '',
    nodes: [
      {
        id: 'track_migration',
        type: 'MigrationNode',
        params: { migration_name: 'add_user_phone_number', status: 'pending' },
        position: { x: 0, y: 0 },
      },
      {
        id: 'apply_change',
        type: 'SchemaModificationNode',
        params: {
          table: 'users',
          operation: 'add_column',
          column_name: 'phone_number',
          column_type: 'varchar(20)',
          nullable: true,
        },
        position: { x: 0, y: 0 },
      },
      {
        id: 'complete_migration',
        type: 'MigrationNode',
        params: { migration_name: 'add_user_phone_number', status: 'completed' },
        position: { x: 0, y: 0 },
      },
    ],
    connections: [
      { source: 'track_migration', sourceOutput: 'result', target: 'apply_change', targetInput: 'input' },
      { source: 'apply_change', sourceOutput: 'result', target: 'complete_migration', targetInput: 'input' },
    ],
  };
}

for (const dialect of DIALECTS) {
  describe(`track -> apply -> complete through runWorkflow (${dialect})`, () => {
    it('plan and rehearse leave nothing; apply records completed with the checksum; a re-run succeeds, already completed and already applied, keeping the record; a failing run after rolled_back marks it failed; a held lock fails the run naming the holder', async () => {
      const db = await fresh(dialect);
      await db.setup(
        "CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users VALUES (1, 'a'), (2, 'b');",
      );
      const wf = trackApplyComplete();

      const planned = await runWorkflow(wf, db, { mode: 'plan' });
      expect(planned.status, planned.error ?? '').toBe('succeeded');
      const creates = (id: string) =>
        planned.nodes[id]!.sql.filter((s) => s.sql.startsWith('CREATE TABLE IF NOT EXISTS')).length;
      expect([creates('track_migration'), creates('complete_migration')]).toEqual([2, 0]);
      expect(planned.nodes.complete_migration!.sql.every((s) => s.notRun)).toBe(true);
      expect(await trackingTables(db)).toBe(0);

      const rehearsed = await runWorkflow(wf, db, { mode: 'rehearse' });
      expect(rehearsed.status, rehearsed.error ?? '').toBe('succeeded');
      expect(await readMigration(db, 'add_user_phone_number')).toBeNull();
      expect(await trackingTables(db)).toBe(0);

      const applied = await runWorkflow(wf, db, { mode: 'apply', runId: 'run-apply' });
      expect(applied.status, applied.error ?? '').toBe('succeeded');
      const sql = applied.nodes.apply_change!.sql.map((s) => normaliseSql(s.sql));
      expect(sql.some((s) => s.includes('phone_number'))).toBe(true);
      expect(applied.nodes.complete_migration!.outputs.result).toMatchObject({
        migration_name: 'add_user_phone_number',
        status: 'completed',
        checksum: sha(sql.join('\n')),
      });
      expect(planned.nodes.complete_migration!.outputs.result).toMatchObject({ checksum: sha(sql.join('\n')) });
      expect(await readMigration(db, 'add_user_phone_number')).toMatchObject({
        status: 'completed',
        runId: 'run-apply',
        workflow: 'add_user_phone_number',
        checksum: sha(sql.join('\n')),
      });
      expect((await history(db)).map((h) => h.name)).toEqual(['add_user_phone_number']);
      expect(await liveLockHolder(db)).toBeNull();

      const again = await runWorkflow(wf, db, { mode: 'apply', runId: 'run-again' });
      expect(again.status, again.error ?? '').toBe('succeeded');
      expect(again.nodes.track_migration!.outcome).toMatchObject({
        kind: 'already_completed',
        note: expect.stringMatching(/was completed at .* by run run-apply; its record stays completed/),
      });
      expect(again.nodes.apply_change!.outcome).toEqual({
        kind: 'already_applied',
        note: 'column "phone_number" of "users" exists already as varchar(20) NULL',
      });
      expect(again.nodes.complete_migration!.outcome?.kind).toBe('already_completed');
      expect(again.diff?.changes).toEqual([]);
      expect(await readMigration(db, 'add_user_phone_number')).toMatchObject({
        status: 'completed',
        runId: 'run-apply',
      });
      const check: Workflow = {
        ...wf,
        nodes: [
          {
            id: 'check_rollback',
            type: 'MigrationNode',
            params: { migration_name: 'add_user_phone_number', action: 'check_rollback_needed' },
            position: { x: 0, y: 0 },
          },
        ],
        connections: [],
      };
      expect((await runWorkflow(check, db, { mode: 'plan' })).nodes.check_rollback!.outputs.needs_rollback).toBe(
        'false',
      );
      await db.setup('ALTER TABLE users DROP COLUMN phone_number');
      await runWorkflow(
        {
          ...wf,
          nodes: [
            {
              id: 'undo',
              type: 'MigrationNode',
              params: { migration_name: 'add_user_phone_number', status: 'rolled_back' },
              position: { x: 0, y: 0 },
            },
          ],
          connections: [],
        },
        db,
        { mode: 'apply' },
      );
      const retried = await runWorkflow(
        {
          ...wf,
          nodes: wf.nodes.map((n) =>
            n.id === 'apply_change' ? { ...n, params: { ...n.params, table: 'missing_table' } } : n,
          ),
        },
        db,
        { mode: 'apply', runId: 'run-retry' },
      );
      expect(retried.status).toBe('failed');
      const failed = await readMigration(db, 'add_user_phone_number');
      expect(failed).toMatchObject({ status: 'failed', runId: 'run-retry' });
      expect(failed!.error).toBeTruthy();
      expect((await runWorkflow(check, db, { mode: 'plan' })).nodes.check_rollback!.outputs.needs_rollback).toBe(
        'true',
      );

      const other = await openDatabase(db.conn);
      const held = await acquireMigrationLock(other, { runId: 'run-other', workflow: 'elsewhere' });
      try {
        const blocked = await runWorkflow(wf, db, { mode: 'apply', lockWaitMs: 200 });
        expect(blocked.status).toBe('failed');
        expect(blocked.errorCode).toBe('migration_lock_held');
        expect(blocked.error).toMatch(/held by run run-other, workflow "elsewhere", pid \d+/);
        expect((await readMigration(db, 'add_user_phone_number'))?.status).toBe('failed');
      } finally {
        await held.release();
        await other.driver.close();
      }
    });
  });
}
