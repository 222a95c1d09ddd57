// scratch, not committed
import { serializeWorkflow } from '../shared/workflow.ts';
import { withLiveTables } from '../shared/planned-schema.ts';
import { Planners } from '../electron/main/planners.ts';
import { WarmPlanner } from '../electron/worker/planner-state.ts';
import { benchDatabases } from './support/databases.ts';
import { median, msList, timed } from './support/stats.ts';
import { fillWidePostgres, wideChainWorkflow } from './support/wide-schema.ts';

const TABLES = Number(process.env.T ?? 5000);
const workflow = (edited: number, edit: string) =>
  wideChainWorkflow('warm planner bench', 100, TABLES, 10, (i) => (i === edited ? edit : ''));
const dbs = benchDatabases();
const planners = new Planners();
const db = await dbs.create('postgres');
await fillWidePostgres(db, TABLES);
const target = { kind: 'postgres' as const, urls: [db.conn], label: 'bench', password: null };
const inproc = new WarmPlanner(target);
let id = 1;
const planIn = (e: number, s: string) => inproc.serve({ id: id++, kind: 'plan', text: serializeWorkflow(workflow(e, s)), trustCode: false, plannedSchemas: true });
let held: any;
const planW = async (e: number, s: string) => { const r = await planners.plan('bench', target, { kind: 'plan', text: serializeWorkflow(workflow(e, s)), trustCode: false, plannedSchemas: true, haveLive: held?.live?.read }); const w = withLiveTables(r.plannedSchemas!, held); if (!w) throw new Error('lost'); held = w; return r; };
await planIn(-1, ''); await planW(-1, '');
if (process.env.PROF) { for (let r = 0; r < 8; r++) { await planIn(0, `_p${r}`); } for (let r = 0; r < 8; r++) { await planIn(90, `_q${r}`); } }
else for (const node of [90, 50, 0]) {
  const a: number[] = [], b: number[] = [], c: number[] = [], d: number[] = [];
  for (let r = 0; r < 5; r++) {
    a.push((await timed(() => planIn(node, `_r${r}`))).ms); await planIn(-1, '');
    const w = await timed(() => planW(node, `_r${r}`)); b.push(w.ms); await planW(-1, '');
    c.push((await timed(async () => JSON.stringify(w.value))).ms);
    d.push(JSON.stringify(w.value).length / 1e6);
  }
  console.log(`node ${node}: in-process ${msList(a)} (med ${median(a).toFixed(0)}); worker ${msList(b)} (med ${median(b).toFixed(0)}); JSON.stringify ${msList(c)}; MB ${d[0]}`);
}
await planners.stopAll(); await inproc.forget(); await dbs.close();
