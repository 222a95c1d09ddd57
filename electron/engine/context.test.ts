import { describe, expect, it } from 'vitest';
import type { NodeResult, RunMode } from '../../shared/run.ts';
import { findTable } from '../../shared/schema.ts';
import type { Step } from '../db/dialect.ts';
import { DatabaseError } from '../db/driver.ts';
import { DIALECTS, freshDatabases, type FreshDatabase } from '../../test/databases.ts';
import type { Database } from '../db/connect.ts';
import { RecordingDriver } from '../../test/recording-driver.ts';
import { NodeRunContext, RunSession, type ScopeGuard } from './context.ts';
import { js, workflow } from '../../test/workflows.ts';
import { NodeFailure, RunCancelled } from './types.ts';

const fresh = freshDatabases();
type Db = FreshDatabase;

function makeContext(db: Database, mode: RunMode, signal = new AbortController().signal, scopes: ScopeGuard[] = []) {
  const session = new RunSession(db, mode, 'run-1', workflow([js('n', 'result = 1')]), false, new Map());
  const result: NodeResult = {
    status: 'succeeded',
    startedAt: null,
    durationMs: null,
    outputs: {},
    sql: [],
    rowsAffected: 0,
    error: null,
    warnings: [],
  };
  const ctx = new NodeRunContext(session, session.workflow.nodes[0]!, {}, {}, scopes, signal, signal, result, {
    laterChanges: () => [],
    warn: (m) => result.warnings.push(m),
    progress: () => {},
    markOutputsUnknown: () => {},
  });
  return { session, ctx, result };
}

const step = (sql: string, transactional = true): Step => ({ sql, comment: 'test step', transactional });

async function tables(db: Db): Promise<string[]> {
  return (await db.dialect.introspect(db.driver)).tables.map((t) => t.name).sort();
}

for (const dialect of DIALECTS) {
  describe(`NodeContext.execute (${dialect})`, () => {
    it('runs the steps in one transaction and reports rows affected', async () => {
      const db = await fresh(dialect);
      const { ctx, result } = makeContext(db, 'apply');
      const rows = await ctx.execute([step('CREATE TABLE a (id integer)'), step('INSERT INTO a (id) VALUES (1), (2)')]);
      expect(rows).toBe(2);
      expect(result.rowsAffected).toBe(2);
      expect(result.sql.map((s) => s.rowsAffected)).toEqual([0, 2]);
      expect(await tables(db)).toEqual(['a']);
      expect(db.driver.inTransaction()).toBe(false);
    });

    it('a failing step leaves no partial change and carries the database code', async () => {
      const db = await fresh(dialect);
      const { ctx } = makeContext(db, 'apply');
      const err = await ctx
        .execute([step('CREATE TABLE a (id integer)'), step('INSERT INTO missing_table VALUES (1)')])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as DatabaseError).code).toBeTruthy();
      expect(await tables(db)).toEqual([]);
      expect(db.driver.inTransaction()).toBe(false);
    });

    it('is cancelled between statements and rolls back what the node did', async () => {
      const db = await fresh(dialect);
      const controller = new AbortController();
      const { ctx, result } = makeContext(db, 'apply', controller.signal);
      // The cancel arrives as the second statement finishes (not from a timer, which raced the first
      // statement on a busy machine): it is seen before the third, and both are undone.
      const recorded = result.sql;
      recorded.push = (...items) => {
        const length = Array.prototype.push.apply(recorded, items);
        if (length === 2) controller.abort();
        return length;
      };
      const err = await ctx
        .execute([
          step('CREATE TABLE a (id integer)'),
          step('CREATE TABLE c (id integer)'),
          step('CREATE TABLE b (id integer)'),
        ])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunCancelled);
      expect(result.sql).toHaveLength(2);
      expect(await tables(db)).toEqual([]);
    });

    it('runs a non-transactional step on its own, after committing the steps before it', async () => {
      const db = await fresh(dialect);
      const { ctx, result } = makeContext(db, 'apply');
      await ctx.execute([
        step('CREATE TABLE a (id integer)'),
        step('CREATE TABLE b (id integer)', false),
        step('CREATE TABLE c (id integer)'),
      ]);
      expect(result.sql.map((s) => s.sql)).toEqual([
        'CREATE TABLE a (id integer)',
        'CREATE TABLE b (id integer)',
        'CREATE TABLE c (id integer)',
      ]);
      expect(await tables(db)).toEqual(['a', 'b', 'c']);
    });

    it('inside an open transaction uses a savepoint, and reports non-transactional steps instead of running them', async () => {
      const db = await fresh(dialect);
      const { ctx, session, result } = makeContext(db, 'rehearse');
      const outer = await session.tx.open();
      await ctx.execute([step('CREATE TABLE kept (id integer)')]);
      await expect(
        ctx.execute([step('CREATE TABLE undone (id integer)'), step('SELECT * FROM missing_table')]),
      ).rejects.toBeInstanceOf(DatabaseError);
      await ctx.execute([step('CREATE TABLE skipped (id integer)', false)]);
      expect(await tables(db)).toEqual(['kept']);
      expect(result.sql.at(-1)).toMatchObject({ notRun: true, rowsAffected: null });
      expect(result.warnings[0]).toMatch(/not run in rehearse/);
      await session.tx.rollback(outer);
      expect(await tables(db)).toEqual([]);
    });

    it('commits after a commitAfter step, and undoes what had committed when a later step fails', async () => {
      const db = await fresh(dialect);
      const driver = new RecordingDriver(db.driver);
      const { ctx, result } = makeContext({ ...db, driver }, 'apply');
      const early = { ...step('CREATE TABLE a (id integer)'), commitAfter: true, reverse: 'DROP TABLE a' };
      expect(
        await ctx.execute([early, step('INSERT INTO a (id) VALUES (1)'), step('CREATE TABLE b (id integer)')]),
      ).toBe(1);
      const statements = driver.sql.filter((q) => /^(BEGIN|COMMIT|CREATE|INSERT)/.test(q)).map((q) => q.split(' ')[0]);
      expect(statements).toEqual(['BEGIN', 'CREATE', 'COMMIT', 'BEGIN', 'INSERT', 'CREATE', 'COMMIT']);
      expect(result.sql.map((x) => x.commitAfter ?? false)).toEqual([true, false, false]);
      expect(await tables(db)).toEqual(['a', 'b']);

      const err = await ctx
        .execute([
          { ...step('CREATE TABLE c (id integer)'), commitAfter: true, reverse: 'DROP TABLE c' },
          step('INSERT INTO missing_table VALUES (1)'),
        ])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseError);
      expect(await tables(db)).toEqual(['a', 'b']);
      expect(result.sql.at(-1)).toMatchObject({
        sql: 'DROP TABLE c',
        comment: 'undo after the failure: test step',
        rowsAffected: 0,
      });
      expect(db.driver.inTransaction()).toBe(false);
    });

    it('a committed step that cannot be undone fails the node naming the statement to run by hand', async () => {
      const db = await fresh(dialect);
      const { ctx } = makeContext(db, 'apply');
      const early = { ...step('CREATE TABLE a (id integer)'), commitAfter: true, reverse: 'DROP TABLE not_there' };
      const err = await ctx.execute([early, step('INSERT INTO missing_table VALUES (1)')]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NodeFailure);
      expect((err as NodeFailure).message).toMatch(
        /missing_table.*; "CREATE TABLE a \(id integer\)" had committed and could not be undone \(.*not_there.*\): run "DROP TABLE not_there" by hand$/,
      );
      expect((err as NodeFailure).databaseCode).toBeTruthy();
      expect(await tables(db)).toEqual(['a']);
    });

    it('in rehearse and inside a transaction scope the steps share one transaction; a scope says the lock is held', async () => {
      const db = await fresh(dialect);
      const early = { ...step('CREATE TABLE a (id integer)'), commitAfter: true, reverse: 'DROP TABLE a' };
      const rehearse = makeContext(db, 'rehearse');
      const outer = await rehearse.session.tx.open();
      await expect(rehearse.ctx.execute([early, step('INSERT INTO missing_table VALUES (1)')])).rejects.toBeInstanceOf(
        DatabaseError,
      );
      expect(rehearse.result.sql.map((x) => x.sql)).toEqual([
        'CREATE TABLE a (id integer)',
        'INSERT INTO missing_table VALUES (1)',
      ]);
      expect(rehearse.result.sql[0]!.commitAfter).toBeUndefined();
      expect(rehearse.result.warnings).toEqual([]);
      await rehearse.session.tx.rollback(outer);

      const scoped = makeContext(db, 'apply', undefined, [
        { id: 'all_or_nothing', startedAt: performance.now(), timeoutMs: null },
      ]);
      const frame = await scoped.session.tx.open();
      await scoped.ctx.execute([early, step('INSERT INTO a (id) VALUES (1)')]);
      expect(scoped.result.warnings).toEqual([
        'inside transaction scope "all_or_nothing" the transaction cannot commit after "CREATE TABLE a (id integer)", so the lock it takes is held until the scope ends; move the node out of the scope to release it at once',
      ]);
      await scoped.session.tx.rollback(frame);
      expect(await tables(db)).toEqual([]);
    });

    it('atomic commits its execute calls together, or undoes them together when it throws', async () => {
      const db = await fresh(dialect);
      const { ctx, result } = makeContext(db, 'apply');
      await ctx.execute([step('CREATE TABLE a (id integer)')]);
      const rows = await ctx.atomic(async () => {
        const n = await ctx.execute([step('INSERT INTO a (id) VALUES (1), (2)')]);
        await ctx.execute([step(`INSERT INTO a (id) VALUES (${n * 10})`)]);
        return n;
      });
      expect(rows).toBe(2);
      const ids = async () =>
        (await db.driver.query<{ id: number }>('SELECT id FROM a ORDER BY id')).rows.map((r) => Number(r.id));
      expect(await ids()).toEqual([1, 2, 20]);
      const err = await ctx
        .atomic(async () => {
          await ctx.execute([step('INSERT INTO a (id) VALUES (3)')]);
          throw new Error('changed my mind');
        })
        .catch((e: unknown) => e);
      expect((err as Error).message).toBe('changed my mind');
      await expect(ctx.atomic(() => ctx.execute([step('CREATE TABLE b (id integer)', false)]))).rejects.toThrow(
        /cannot be part of an atomic unit/,
      );
      expect(await ids()).toEqual([1, 2, 20]);
      expect(await tables(db)).toEqual(['a']);
      expect(db.driver.inTransaction()).toBe(false);
      // Every statement that ran is recorded, the undone INSERT too.
      expect(result.sql.map((s) => s.sql.split(' ')[0])).toEqual(['CREATE', 'INSERT', 'INSERT', 'INSERT']);
    });

    it('atomic inside an open transaction is a savepoint: undone alone, the transaction goes on', async () => {
      const db = await fresh(dialect);
      const { ctx, session } = makeContext(db, 'rehearse');
      const outer = await session.tx.open();
      await ctx.execute([step('CREATE TABLE kept (id integer)')]);
      await expect(
        ctx.atomic(() => ctx.execute([step('CREATE TABLE undone (id integer)'), step('SELECT * FROM missing_table')])),
      ).rejects.toBeInstanceOf(DatabaseError);
      await ctx.atomic(() => ctx.execute([step('CREATE TABLE also_kept (id integer)')]));
      expect(await tables(db)).toEqual(['also_kept', 'kept']);
      await session.tx.rollback(outer);
      expect(await tables(db)).toEqual([]);
    });

    it('plan mode records the steps without running them; the live schema is re-read after writes', async () => {
      const db = await fresh(dialect);
      const plan = makeContext(db, 'plan');
      expect(await plan.ctx.execute([step('CREATE TABLE a (id integer)')])).toBe(0);
      expect(plan.result.sql).toEqual([
        {
          sql: 'CREATE TABLE a (id integer)',
          comment: 'test step',
          transactional: true,
          rowsAffected: null,
          notRun: true,
        },
      ]);
      expect(await tables(db)).toEqual([]);

      const live = makeContext(db, 'apply');
      expect(findTable(await live.ctx.schema(), 'a')).toBeUndefined();
      await live.ctx.execute([step('CREATE TABLE a (id integer)')]);
      expect(findTable(await live.ctx.schema(), 'a')).toBeDefined();
    });
  });
}
