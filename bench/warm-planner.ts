/**
 * The warm planner (issue 16, target 3): the SQL preview's plan after an edit of a 100-node
 * workflow on a PostgreSQL database of 5,000 tables (bench/support/wide-schema.ts), through the
 * host's real path (electron/main/planners.ts: the connection's long-lived planning worker, the
 * answer posted back to the host thread), with the simulated schemas the inspector reads, asked
 * as the editor asks (the live schema's outline once per read: PlannedSchemas.live).
 *
 * Measured: the preview plan after an edit of node 90 (10 nodes planned again), of node 50 (50)
 * and of node 0 (every node planned again, from the kept schema), and the kept schema's read.
 * Baseline, in the same run and interleaved: a cold plan of the same workflow in this process (the
 * schema read from the database, then 100 nodes planned), which is what every preview did before,
 * less the worker start that came with it. Target: the edit of node 90 answered within 150 ms.
 * Also: the longest stall of the host thread's event loop while the worker reads the schema.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { withLiveTables, type PlannedSchemas } from '../shared/planned-schema.ts';
import { serializeWorkflow } from '../shared/workflow.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { Planners } from '../electron/main/planners.ts';
import { benchDatabases } from './support/databases.ts';
import { median, msList, timed } from './support/stats.ts';
import { fillWidePostgres, wideChainWorkflow } from './support/wide-schema.ts';
import type { BenchResult } from './run.ts';

const TABLES = Number(process.env.BENCH_WARM_TABLES ?? 5000);
const NODES = 100;
const ROUNDS = Number(process.env.BENCH_WARM_ROUNDS ?? 5);

/** The 100-node chain; `edit` renames what node `edited` adds. */
const workflow = (edited: number, edit: string) =>
  wideChainWorkflow('warm planner bench', NODES, TABLES, 10, (i) => (i === edited ? edit : ''));

export async function run(): Promise<BenchResult[]> {
  const dbs = benchDatabases();
  const planners = new Planners();
  try {
    const db = await dbs.create('postgres');
    await fillWidePostgres(db, TABLES);
    const target = { kind: 'postgres' as const, urls: [db.conn], label: 'bench', password: null };
    // As the editor asks: naming the read whose live outline it holds, and putting it back in.
    let held: PlannedSchemas | undefined;
    const plan = async (edited: number, edit: string) => {
      const text = serializeWorkflow(workflow(edited, edit));
      const haveLive = held?.live?.read;
      const r = await planners.plan('bench', target, {
        kind: 'plan',
        text,
        trustCode: false,
        plannedSchemas: true,
        haveLive,
      });
      if (r.status !== 'succeeded') throw new Error(`the bench workflow does not plan: ${r.error}`);
      held = withLiveTables(r.plannedSchemas!, held) ?? undefined;
      if (!held) throw new Error('the plan left out the live outline of a read the bench does not hold');
    };

    // The first read and plan: the worker starts, reads the schema, plans every node.
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    stalls.enable();
    const first = await timed(() => planners.schema('bench', target, false));
    stalls.disable();
    const firstPlan = await timed(() => plan(-1, ''));
    console.log(
      `worker start + schema read: ${first.ms.toFixed(0)} ms (${first.value.tables.length} tables); host event loop's longest stall meanwhile ${(stalls.max / 1e6).toFixed(1)} ms; first plan ${firstPlan.ms.toFixed(0)} ms`,
    );

    const cases = { 'edit node 90': 90, 'edit node 50': 50, 'edit node 0': 0 } as const;
    const ms: Record<string, number[]> = { 'kept schema read': [], cold: [] };
    for (const name of Object.keys(cases)) ms[name] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, node] of Object.entries(cases)) {
        // The edit, then back: two previews, each after an edit of that node.
        ms[name]!.push((await timed(() => plan(node, `_r${r}`))).ms);
        await plan(-1, '');
      }
      ms['kept schema read']!.push((await timed(() => planners.schema('bench', target, false))).ms);
      ms.cold!.push(
        (
          await timed(() =>
            runWorkflow(workflow(90, `_c${r}`), db, { mode: 'plan', plannedSchemas: true, draft: true }),
          )
        ).ms,
      );
    }
    for (const [name, xs] of Object.entries(ms)) console.log(`  ${name.padEnd(18)} ms: ${msList(xs)}`);
    const cold = median(ms.cold!);
    return Object.keys(cases).map((name) => ({
      name: `warm planner: preview after an ${name} (${NODES} nodes, ${TABLES} tables)`,
      figures: { 'warm median ms': median(ms[name]!), 'cold plan median ms': cold },
      ratio: median(ms[name]!) / cold,
      baseline: 'a cold plan of the same workflow in process (schema read + every node)',
      ...(name === 'edit node 90' && { target: 150 / cold }),
    }));
  } finally {
    await planners.stopAll();
    await dbs.close();
  }
}
