/** One fleet target planned and applied on real SQLite files: statuses, the run record on the target, per-target errors. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LINT_CONFIG } from '../../shared/lint/config.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { exampleText } from '../../test/examples.ts';
import { sqliteFleet } from '../../test/fleet-targets.ts';
import { node, workflow as testWorkflow } from '../../test/workflows.ts';
import { planMatrix, renderPlanMatrix } from './matrix.ts';
import { planTarget } from './plan-target.ts';
import { openable, runTarget } from './run-target.ts';
import { parseTargetsFile } from './targets.ts';

const { workflow } = parseWorkflow(exampleText('zero-downtime'));
const config = DEFAULT_LINT_CONFIG;

describe('a fleet target', () => {
  it('plans, applies, then plans as already applied; the run is recorded on the target', async () => {
    const fleet = sqliteFleet(3);
    const { targets } = parseTargetsFile(
      JSON.stringify([
        { label: 'a', connection: `sqlite:${fleet.paths[0]}` },
        { label: 'b', connection: `sqlite:${fleet.paths[1]}` },
        { label: 'gone', connection: `sqlite:${join(fleet.dir, 'missing.db')}` },
      ]),
      join(fleet.dir, 'targets.json'),
    );
    const [a, b, gone] = targets.map((t) => openable(t));
    const before = await planTarget(workflow, a!, { config });
    expect(before.status).toBe('would_apply');
    expect(before.statements.map((s) => s.node)).toContain('phase1_add');

    const applied = await runTarget(workflow, a!, {});
    expect(applied.outcome).toMatchObject({ label: 'a', status: 'succeeded', error: null });
    const records = new Database(fleet.paths[0]!, { readonly: true });
    expect(records.prepare('SELECT run_id, status FROM dataflow_runs').all()).toEqual([
      { run_id: applied.outcome.runId, status: 'succeeded' },
    ]);
    records.close();

    const plans = await Promise.all([a, b, gone].map((t) => planTarget(workflow, t!, { config })));
    expect(plans.map((p) => p.status)).toEqual(['already_applied', 'would_apply', 'would_fail']);
    expect(plans[2]!.error).toMatchObject({ kind: 'unreachable' });
    expect(plans[2]!.error!.message).toMatch(/^gone: unreachable \(no SQLite database at .*missing\.db/);
    const text = renderPlanMatrix(planMatrix(workflow.name, plans, []));
    expect(text).toMatch(/1 would apply, 1 already applied, 1 would fail/);
    expect(text).toMatch(/^gone +sqlite:.*missing\.db +would fail/m);

    const again = await runTarget(workflow, a!, {});
    expect(again.outcome).toMatchObject({ status: 'succeeded', alreadyApplied: true, runId: applied.outcome.runId });
    const missing = await runTarget(workflow, gone!, {});
    expect(missing.outcome).toMatchObject({ status: 'failed', runId: null, error: { kind: 'unreachable' } });
  });

  it('reports drift and a plan that would fail', async () => {
    const fleet = sqliteFleet(2);
    const { targets } = parseTargetsFile(
      JSON.stringify(fleet.paths.map((p, i) => ({ label: `t${i}`, connection: `sqlite:${p}` }))),
      join(fleet.dir, 'targets.json'),
    );
    const [drifted, empty] = targets.map((t) => openable(t));
    const other = testWorkflow([
      node('note', 'SchemaModificationNode', {
        table: 'orders',
        operation: 'add_column',
        column_name: 'note',
        column_type: 'text',
        nullable: true,
      }),
    ]);
    expect((await runTarget(other, drifted!, {})).outcome.status).toBe('succeeded');
    const raw = new Database(fleet.paths[0]!);
    raw.exec('CREATE TABLE extra (id INTEGER)');
    raw.close();
    const noOrders = new Database(fleet.paths[1]!);
    noOrders.exec('DROP TABLE orders');
    noOrders.close();
    const [d, f] = await Promise.all([
      planTarget(workflow, drifted!, { config }),
      planTarget(workflow, empty!, { config }),
    ]);
    expect(d.status).toBe('drift');
    expect(d.problems.join('\n')).toMatch(/extra/);
    expect(f.status).toBe('would_fail');
    expect(f.problems.join('\n')).toMatch(/node "phase1_add".*orders/);
    const refused = await runTarget(workflow, drifted!, {});
    expect(refused.outcome.error).toMatchObject({ kind: 'drift' });
    expect(refused.outcome.error!.message).toMatch(/^t0: sqlite:.* changed outside DataFlow Studio/);
  });
});
