/**
 * SQLite table rebuild of a 1,000,000-row orders table, through the real planner and executor
 * (`runWorkflow` in apply mode: one SchemaModificationNode), against the raw copy it needs, in the
 * same run. Two changes SQLite's ALTER TABLE cannot make: add a UNIQUE constraint (on
 * `order_ref`), and separately a FOREIGN KEY (`user_id` -> `users.id`, 100,000 users).
 *
 * The run is made as the CLI makes it: `preflight: true`, so a plan pass with every plan-time
 * data check (duplicates, orphans) runs first, then the apply pass, whose planner leaves out the
 * checks the rebuild enforces itself (the UNIQUE index, PRAGMA foreign_key_check). Two times are
 * taken: the apply pass (from its `run_started` event to `run_finished`: the rebuild, with the
 * before/after introspection for the diff) and the whole call (the preflight plan too).
 *
 * The raw copy is the rebuild's own `CREATE TABLE "new_orders" (...)` and `INSERT INTO
 * "new_orders" (...) SELECT ... FROM "orders"`, taken from the plan (plan mode, untimed) and run
 * alone in one transaction: the same new table, index and rows, without the plan-time checks
 * (duplicates, orphans), the drop and rename, the foreign key check and the before/after
 * introspection the product adds. Target: the rebuild (apply pass) at most 1.3x the raw copy;
 * the whole run's ratio is printed beside it. `BENCH_REBUILD_PREFLIGHT=0` measures a run without the
 * preflight (`dataflow run --no-preflight`), whose apply pass makes the data checks itself.
 *
 * Each repetition gets a freshly populated database (WAL checkpointed before each timed side);
 * the order of the two sides alternates between repetitions. The table has no secondary index,
 * so the ratio shows the rebuild's own overhead undiluted (an index would add the same build time
 * to both sides).
 */
import type { RunEvent } from '../shared/run.ts';
import { workflowSchema, type Workflow } from '../shared/workflow.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { benchDatabases, type BenchDatabase } from './support/databases.ts';
import { describeMachine } from './support/machine.ts';
import { runIfMain } from './support/standalone.ts';
import { int, median, msList, pairedRatios, timed } from './support/stats.ts';
import { timedDatabase } from './support/timed-driver.ts';
import type { BenchResult } from './run.ts';

const ROWS = Number(process.env.BENCH_REBUILD_ROWS ?? 1_000_000);
const USERS = Math.max(1, Math.floor(ROWS / 10));
const RUNS = 3;
const TARGET = 1.3;
const NODE = 'add_constraint';
/** `BENCH_REBUILD_PREFLIGHT=0` runs as `dataflow run --no-preflight` does: the apply pass makes every data check itself. */
const PREFLIGHT = process.env.BENCH_REBUILD_PREFLIGHT !== '0';
const WHOLE = PREFLIGHT ? 'whole run with the preflight plan' : 'whole run';

const CASES = {
  unique: { constraint_type: 'unique', column_name: 'order_ref', constraint_name: 'orders_order_ref_key' },
  foreign_key: {
    constraint_type: 'foreign_key',
    column_name: 'user_id',
    references: { table: 'users', column: 'id' },
    constraint_name: 'orders_user_id_fkey',
  },
} as const;
type Case = keyof typeof CASES;

const workflow = (c: Case): Workflow =>
  workflowSchema.parse({
    format: 'dataflow-workflow',
    version: 1,
    name: `bench_rebuild_${c}`,
    nodes: [
      {
        id: NODE,
        type: 'SchemaModificationNode',
        params: { table: 'orders', operation: 'add_constraint', ...CASES[c] },
      },
    ],
  });

async function freshDatabase(dbs: ReturnType<typeof benchDatabases>): Promise<BenchDatabase> {
  const db = await dbs.create('sqlite');
  const money = 'NUMERIC(10,2) NOT NULL';
  await db.exec(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, order_ref TEXT NOT NULL, subtotal ${money}, tax ${money},
      shipping ${money}, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
    BEGIN;
    WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${USERS}) INSERT INTO users (id, name) SELECT i, 'user ' || i FROM s;
    WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${ROWS})
      INSERT INTO orders (id, user_id, order_ref, subtotal, tax, shipping)
      SELECT i, i % ${USERS} + 1, printf('ORD-%08d', i), (i % 1000) * 1.25 + 0.99, (i % 7) * 0.5, 4.99 FROM s;
    COMMIT;
    PRAGMA wal_checkpoint(TRUNCATE);`);
  return db;
}

interface RawCopy {
  create: string;
  insert: string;
  table: string;
}

/** The rebuild's CREATE TABLE and INSERT ... SELECT, from the plan. */
async function rawCopySteps(db: BenchDatabase, c: Case): Promise<RawCopy> {
  const plan = await runWorkflow(workflow(c), db, { mode: 'plan' });
  const steps = plan.nodes[NODE]?.sql ?? [];
  const create = steps.find((s) => /^CREATE TABLE/i.test(s.sql))?.sql;
  const insert = steps.find((s) => /^INSERT INTO/i.test(s.sql))?.sql;
  const table = create && /^CREATE TABLE\s+("[^"]+"|\S+)/i.exec(create)?.[1];
  if (plan.status !== 'succeeded' || !create || !insert || !table)
    throw new Error(`the ${c} plan has no table rebuild: ${plan.error ?? steps.map((s) => s.sql).join('; ')}`);
  return { create, insert, table };
}

async function rawCopy(db: BenchDatabase, { create, insert, table }: RawCopy): Promise<number> {
  await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const { value: rows, ms } = await timed(async () => {
    await db.driver.query('BEGIN IMMEDIATE');
    await db.driver.query(create);
    const { rowCount } = await db.driver.query(insert);
    await db.driver.query('COMMIT');
    return rowCount;
  });
  if (rows !== ROWS) throw new Error(`the raw copy copied ${rows} rows, not ${ROWS}`);
  await db.exec(`DROP TABLE ${table}; PRAGMA wal_checkpoint(TRUNCATE);`);
  return ms;
}

async function rebuild(
  base: BenchDatabase,
  c: Case,
): Promise<{ ms: number; applyMs: number; nodeMs: number; breakdown: string }> {
  await base.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const { db, driver } = timedDatabase(base);
  let applyStart = 0;
  let applyEnd = 0;
  const onEvent = (e: RunEvent) => {
    if (e.type === 'run_started') applyStart = performance.now();
    if (e.type === 'run_finished') applyEnd = performance.now();
  };
  const { value: result, ms } = await timed(() =>
    runWorkflow(workflow(c), db, { mode: 'apply', preflight: PREFLIGHT, onEvent }),
  );
  const node = result.nodes[NODE];
  if (result.status !== 'succeeded' || !node) throw new Error(`the ${c} rebuild failed: ${result.error}`);
  const added = result.diff?.changes.some((ch) => ch.kind === 'constraint_added' || ch.kind === 'index_added');
  const { rows } = await base.driver.query<{ n: number }>('SELECT count(*) AS n FROM orders');
  if (!added || Number(rows[0]?.n) !== ROWS)
    throw new Error(`the ${c} rebuild left ${String(rows[0]?.n)} rows, constraint added: ${String(added)}`);
  const breakdown = Object.entries(driver.statements)
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([kind, t]) => `${kind} ${t.count}x ${Math.round(t.ms)} ms`)
    .join(', ');
  return { ms, applyMs: applyEnd - applyStart, nodeMs: node.durationMs ?? ms, breakdown };
}

export async function run(): Promise<BenchResult> {
  console.log(
    `sqlite-rebuild: ${int(ROWS)} orders, ${int(USERS)} users, ${RUNS} runs each, preflight ${PREFLIGHT ? 'on' : 'off'}; ${describeMachine()}`,
  );
  const dbs = benchDatabases();
  const times: Record<Case, { whole: number[]; rebuild: number[]; node: number[]; raw: number[] }> = {
    unique: { whole: [], rebuild: [], node: [], raw: [] },
    foreign_key: { whole: [], rebuild: [], node: [], raw: [] },
  };
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const c of Object.keys(CASES) as Case[]) {
        const db = await freshDatabase(dbs);
        const copy = await rawCopySteps(db, c);
        const t = times[c];
        let breakdown = '';
        const doRebuild = async () => {
          const r = await rebuild(db, c);
          t.whole.push(r.ms);
          t.rebuild.push(r.applyMs);
          t.node.push(r.nodeMs);
          breakdown = r.breakdown;
        };
        const doRaw = async () => void t.raw.push(await rawCopy(db, copy));
        if (i % 2 === 0) {
          await doRaw();
          await doRebuild();
        } else {
          await doRebuild();
          await doRaw();
        }
        await db.drop();
        console.log(
          `  run ${i + 1} ${c}: rebuild (apply pass) ${(t.rebuild.at(-1)! / 1000).toFixed(2)} s (node ${(t.node.at(-1)! / 1000).toFixed(2)} s), ` +
            `${WHOLE} ${(t.whole.at(-1)! / 1000).toFixed(2)} s, raw copy ${(t.raw.at(-1)! / 1000).toFixed(2)} s\n` +
            `    statements of the whole run: ${breakdown}`,
        );
      }
    }
  } finally {
    await dbs.close();
  }
  const figures: Record<string, number> = {};
  let worst = 0;
  for (const c of Object.keys(CASES) as Case[]) {
    const t = times[c];
    const ratio = median(t.rebuild) / median(t.raw);
    const wholeRatio = median(t.whole) / median(t.raw);
    worst = Math.max(worst, ratio);
    console.log(
      `${c}: rebuild (apply pass) ${median(t.rebuild).toFixed(0)} ms median (runs ${msList(t.rebuild)}; node alone ${median(t.node).toFixed(0)} ms), ` +
        `raw copy ${median(t.raw).toFixed(0)} ms (runs ${msList(t.raw)}); ratio ${ratio.toFixed(2)} (target <= ${TARGET}) ${ratio <= TARGET ? 'ok' : 'MISSED'}; ` +
        `per-run ratios ${pairedRatios(t.rebuild, t.raw)
          .map((r) => r.toFixed(2))
          .join(' / ')}\n` +
        `${c}: ${WHOLE} ${median(t.whole).toFixed(0)} ms median (runs ${msList(t.whole)}); ratio ${wholeRatio.toFixed(2)}; ` +
        `per-run ratios ${pairedRatios(t.whole, t.raw)
          .map((r) => r.toFixed(2))
          .join(' / ')}`,
    );
    figures[`${c} rebuild ms`] = median(t.rebuild);
    figures[`${c} whole run ms`] = median(t.whole);
    figures[`${c} raw copy ms`] = median(t.raw);
    figures[`${c} ratio`] = ratio;
    figures[`${c} whole run ratio`] = wholeRatio;
  }
  return {
    name: 'sqlite-rebuild',
    figures,
    ratio: worst,
    baseline:
      'the raw CREATE TABLE + INSERT ... SELECT copy of the same rebuild, against the apply pass after the preflight plan (worse of unique and foreign key)',
    target: TARGET,
  };
}

await runIfMain(import.meta.url, run);
