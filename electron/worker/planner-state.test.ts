import { describe, expect, it } from 'vitest';
import { DEFAULT_LINT_CONFIG } from '../../shared/lint/config.ts';
import { outlineAt, withLiveTables } from '../../shared/planned-schema.ts';
import { serializeWorkflow, type Workflow } from '../../shared/workflow.ts';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { node, workflow } from '../../test/workflows.ts';
import { runWorkflow } from '../engine/run.ts';
import { WarmPlanner } from './planner-state.ts';
import type { DbTarget } from './targets.ts';

const databases = freshDatabases();

/** Adds users.tier, text NULL. */
const addTier = node('add_tier', 'SchemaModificationNode', {
  table: 'users',
  operation: 'add_column',
  column_name: 'tier',
  column_type: 'text',
});

const chain = (column: string): Workflow =>
  workflow(
    [
      addTier,
      node('index_tier', 'SchemaModificationNode', {
        table: 'users',
        operation: 'create_index',
        index_name: 'users_tier',
        columns: ['tier'],
      }),
      node('add_note', 'SchemaModificationNode', {
        table: 'users',
        operation: 'add_column',
        column_name: column,
        column_type: 'text',
      }),
    ],
    ['add_tier.result->index_tier.input', 'index_tier.result->add_note.input'],
  );

const plan = (planner: WarmPlanner, wf: Workflow, haveLive?: string) =>
  planner.serve({ id: 1, kind: 'plan', text: serializeWorkflow(wf), trustCode: false, plannedSchemas: true, haveLive });

/** A warm planner of the test database `conn`, forgotten after the test. */
function warmPlanner(conn: string): WarmPlanner {
  const target: DbTarget = conn.startsWith('sqlite:')
    ? { kind: 'sqlite', path: conn.slice('sqlite:'.length), label: conn }
    : { kind: 'postgres', urls: [conn], label: 'test', password: null };
  const planner = new WarmPlanner(target);
  databases.defer(() => planner.forget());
  return planner;
}

const sqlOf = (r: Awaited<ReturnType<typeof runWorkflow>>) => r.order.map((id) => r.nodes[id]!.sql.map((s) => s.sql));

for (const dialect of DIALECTS) {
  describe(`the warm planner (${dialect})`, () => {
    it('replans only the edited node and those after it, and plans what a cold plan plans', async () => {
      const db = await databases(dialect, 'CREATE TABLE users (id integer PRIMARY KEY, name text);');
      const planner = warmPlanner(db.conn);
      await plan(planner, chain('note'));
      expect(planner.memo.counts).toEqual({ planned: 3, reused: 0 });
      planner.memo.counts.planned = planner.memo.counts.reused = 0;
      const edited = await plan(planner, chain('notes'));
      expect(planner.memo.counts).toEqual({ planned: 1, reused: 2 });
      expect(edited.nodes.add_note!.sql.map((s) => s.sql).join()).toMatch(/"notes"/);
      const cold = await runWorkflow(chain('notes'), db, { mode: 'plan', plannedSchemas: true, draft: true });
      expect(sqlOf(edited)).toEqual(sqlOf(cold));
      expect(edited.plannedSchemas!.outlines).toHaveLength(4);
      // The inspector's schemas too: each node's before and after, as the cold plan has them.
      for (const id of cold.order)
        for (const at of ['before', 'after'] as const)
          expect(outlineAt(edited.plannedSchemas, id, at)).toEqual(outlineAt(cold.plannedSchemas, id, at));

      // The review starts from the kept plans too.
      const review = await planner.serve({
        id: 2,
        kind: 'lint',
        text: serializeWorkflow(chain('notes')),
        config: DEFAULT_LINT_CONFIG,
      });
      expect(review.findings.every((f) => ['add_tier', 'index_tier', 'add_note'].includes(f.node ?? ''))).toBe(true);
      expect(planner.memo.counts.reused).toBe(5);

      // The live schema's outline comes once per read: a requester that holds it gets the plan without it.
      const live = edited.plannedSchemas!.live!;
      expect(live).toMatchObject({ tables: 1, omitted: false });
      const lean = await plan(planner, chain('note'), live.read);
      expect(lean.plannedSchemas!.live).toEqual({ ...live, omitted: true });
      expect(lean.plannedSchemas!.tables).toHaveLength(edited.plannedSchemas!.tables.length - 1);
      const whole = withLiveTables(lean.plannedSchemas!, edited.plannedSchemas);
      expect(whole).toEqual((await plan(planner, chain('note'))).plannedSchemas);
      expect(
        withLiveTables(lean.plannedSchemas!, { ...cold.plannedSchemas!, live: { ...live, read: 'another' } }),
      ).toBeNull();

      // The schema is kept until forgotten: a table made outside is seen after `forget` (or a refresh).
      await db.setup('CREATE TABLE made_outside (id integer);');
      const names = async (refresh: boolean) =>
        (await planner.serve({ id: 3, kind: 'schema', refresh })).tables.map((t) => t.name);
      expect(await names(false)).not.toContain('made_outside');
      expect(await names(true)).toContain('made_outside');
      expect(planner.memo.counts).toEqual({ planned: 0, reused: 0 });
      // A new read: a requester holding the old one's outline gets the whole plan.
      const reread = (await plan(planner, chain('note'), live.read)).plannedSchemas!;
      expect(reread.live).toMatchObject({ tables: 2, omitted: false });
      expect(reread.live!.read).not.toBe(live.read);
    });

    it('keeps no add_column plan past an edit of the later nodes its already-applied check read', async () => {
      const db = await databases(dialect, 'CREATE TABLE users (id integer PRIMARY KEY, name text);');
      const addThenRequire = (require: boolean) =>
        workflow(
          [
            addTier,
            node('require_tier', 'SchemaModificationNode', {
              table: 'users',
              operation: require ? 'add_constraint' : 'drop_default',
              ...(require ? { constraint_type: 'not_null' } : {}),
              column_name: 'tier',
            }),
          ],
          ['add_tier.result->require_tier.input'],
        );
      expect((await runWorkflow(addThenRequire(true), db, { mode: 'apply' })).status).toBe('succeeded');
      const planner = warmPlanner(db.conn);
      const applied = await plan(planner, addThenRequire(true));
      expect(applied.nodes.add_tier!.outcome?.kind).toBe('already_applied');
      // The later node no longer makes the column NOT NULL: the add_column is planned again, and conflicts.
      const edited = await plan(planner, addThenRequire(false));
      expect(edited.nodes.add_tier!.error?.message).toMatch(
        /^\[DF120\] column "tier" of "users" exists already as text NOT NULL/,
      );
    });
  });
}
