/**
 * PostgreSQL `ADD COLUMN processing_status varchar(50) NOT NULL DEFAULT 'pending'` (the guide's
 * advanced example), planned by the PostgreSQL dialect and run through the engine, on the demo
 * orders table with 1,000,000 rows vs 10 rows. Since PostgreSQL 11 a constant default is stored in
 * the catalog, so the big table must take no longer than the small one (ratio ~1) and must not be
 * rewritten.
 */
import type { Workflow } from '../shared/workflow.ts';
import { openDatabase, type Database } from '../electron/db/connect.ts';
import { createDemoDatabase } from '../electron/db/demo.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { startPostgres } from '../test/pg-server.ts';
import type { BenchResult } from './run.ts';

const RUNS = 5;
const BIG = 1_000_000;
const SMALL = 10;

const workflow = (name: string, params: Record<string, unknown>): Workflow => ({
  format: 'dataflow-workflow',
  version: 1,
  name,
  description: '',
  nodes: [
    { id: 'change', type: 'SchemaModificationNode', params: { table: 'orders', ...params }, position: { x: 0, y: 0 } },
  ],
  connections: [],
});

const ADD = workflow('add_status', {
  operation: 'add_column',
  column_name: 'processing_status',
  column_type: 'varchar(50)',
  nullable: false,
  default_value: 'pending',
});
const DROP = workflow('drop_status', { operation: 'drop_column', column_name: 'processing_status' });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function apply(db: Database, wf: Workflow): Promise<{ nodeMs: number; runMs: number; sql: string[] }> {
  const t0 = performance.now();
  const result = await runWorkflow(wf, db, { mode: 'apply' });
  const runMs = performance.now() - t0;
  const node = result.nodes.change;
  if (result.status !== 'succeeded' || !node)
    throw new Error(`${wf.name} failed: ${node?.error?.message ?? result.error}`);
  return { nodeMs: node.durationMs ?? runMs, runMs, sql: node.sql.map((s) => s.sql) };
}

async function filenode(db: Database): Promise<unknown> {
  return Object.values((await db.driver.query('SELECT pg_relation_filenode($1) AS f', ['orders'])).rows[0] ?? {})[0];
}

export async function run(): Promise<BenchResult> {
  const server = await startPostgres();
  const dbs: Database[] = [];
  try {
    const open = async (rows: number) => {
      const db = await openDatabase(await server.createDatabase());
      dbs.push(db);
      const t0 = performance.now();
      await createDemoDatabase(db, { rows });
      console.log(`demo database with ${rows} orders created in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return db;
    };
    const big = await open(BIG);
    const small = await open(SMALL);
    const times = { big: [] as number[], small: [] as number[], bigRun: [] as number[], smallRun: [] as number[] };
    const nodeBefore = await filenode(big);
    let sql: string[] = [];
    // One warm-up pair, then RUNS measured pairs, interleaved so that drift hits both sides alike.
    for (let i = -1; i < RUNS; i++) {
      for (const [key, db] of [
        ['small', small],
        ['big', big],
      ] as const) {
        const r = await apply(db, ADD);
        sql = r.sql;
        if (i >= 0) {
          times[key].push(r.nodeMs);
          times[key === 'big' ? 'bigRun' : 'smallRun'].push(r.runMs);
        }
        if (i < RUNS - 1) await apply(db, DROP);
      }
    }
    const rewritten = (await filenode(big)) !== nodeBefore;
    const filled = Number(
      Object.values(
        (await big.driver.query("SELECT count(*) FROM orders WHERE processing_status = 'pending'")).rows[0] ?? {},
      )[0],
    );
    if (filled !== BIG) throw new Error(`expected ${BIG} rows with the default, found ${filled}`);
    const bigMs = median(times.big);
    const smallMs = median(times.small);
    console.log(`SQL: ${sql.join('; ')}`);
    console.log(
      `node duration, ms: ${BIG} rows ${times.big.map((t) => t.toFixed(1)).join(' ')} | ${SMALL} rows ${times.small.map((t) => t.toFixed(1)).join(' ')}`,
    );
    console.log(
      `median: ${BIG} rows ${bigMs.toFixed(1)} ms, ${SMALL} rows ${smallMs.toFixed(1)} ms, ratio ${(bigMs / smallMs).toFixed(2)}; whole run ${median(times.bigRun).toFixed(1)} vs ${median(times.smallRun).toFixed(1)} ms; table rewritten: ${rewritten ? 'YES' : 'no'}`,
    );
    return {
      name: 'pg-add-column',
      figures: {
        '1M rows median ms': bigMs,
        '10 rows median ms': smallMs,
        '1M rows whole run median ms': median(times.bigRun),
        '10 rows whole run median ms': median(times.smallRun),
        'table rewrites': rewritten ? 1 : 0,
      },
      ratio: rewritten ? Infinity : bigMs / smallMs,
      baseline: `the same ADD COLUMN on a ${SMALL}-row table`,
      target: 2,
    };
  } finally {
    for (const db of dbs) await db.driver.close();
    await server.stop();
  }
}
