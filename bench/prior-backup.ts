/**
 * What the prior backup costs a backfill (docs/recovery.md, "Prior backups"): the real
 * DataBackfillNode on an orders table of 200,000 rows (BENCH_BACKUP_ROWS), batch_size 10,000,
 * overwriting every row's total_amount (`where: true`), with its prior backup (each batch first
 * copies the key and old value of its rows into the backup table, in the batch's transaction)
 * against the same node with `backup_max_rows: 0`, on fresh identical tables, in the same run, on
 * SQLite and PostgreSQL; the order alternates between repetitions. Reported: the whole run's time
 * each way, the ratio, and the added time per batch. Target: the backup at most doubles the run (ratio
 * <= 2): a batch writes each of its rows once more, into a narrow table with a unique key.
 */
import type { DialectName } from '../shared/schema.ts';
import { workflowSchema, type Workflow } from '../shared/workflow.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { listBackups, backupSize } from '../electron/db/backups.ts';
import { benchDatabases, type BenchDatabase } from './support/databases.ts';
import { alternating, freshOrders } from './support/orders.ts';
import { describeMachine } from './support/machine.ts';
import { runIfMain } from './support/standalone.ts';
import { int, median, timed } from './support/stats.ts';
import type { BenchResult } from './run.ts';

const ROWS = Number(process.env.BENCH_BACKUP_ROWS ?? 200_000);
const BATCH = 10_000;
const RUNS = 3;
const TARGET = 2;

const workflow = (backup: boolean): Workflow =>
  workflowSchema.parse({
    format: 'dataflow-workflow',
    version: 1,
    name: `bench_prior_backup_${backup ? 'on' : 'off'}`,
    nodes: [
      {
        id: 'overwrite_total',
        type: 'DataBackfillNode',
        params: {
          table: 'orders',
          update_field: 'total_amount',
          calculation: 'subtotal + tax + shipping',
          where: '1 = 1',
          batch_size: BATCH,
          // Fixed batches, so both sides run the same batches (adaptive sizes: bench/backfill.ts).
          batch_target_ms: 0,
          ...(backup ? {} : { backup_max_rows: 0 }),
        },
      },
    ],
  });

async function backfill(db: BenchDatabase, backup: boolean): Promise<number> {
  const { value: r, ms } = await timed(() => runWorkflow(workflow(backup), db, { mode: 'apply' }));
  if (r.status !== 'succeeded') throw new Error(`${db.dialect.name} backfill failed: ${r.error}`);
  const backups = await listBackups(db);
  const kept = backups[0] ? (await backupSize(db, backups[0])).rows : 0;
  if (kept !== (backup ? ROWS : 0)) throw new Error(`${db.dialect.name}: the backup holds ${kept} rows`);
  return ms;
}

export async function run(): Promise<BenchResult> {
  console.log(
    `prior-backup: ${int(ROWS)} rows overwritten, batch_size ${int(BATCH)}, ${RUNS} runs each; ${describeMachine()}`,
  );
  const dbs = benchDatabases();
  const times: Record<DialectName, { on: number[]; off: number[] }> = {
    sqlite: { on: [], off: [] },
    postgres: { on: [], off: [] },
  };
  try {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      await alternating(
        RUNS,
        () => freshOrders(dbs, dialect, { rows: ROWS, totalAmount: '0' }),
        async (db) => void times[dialect].on.push(await backfill(db, true)),
        async (db) => void times[dialect].off.push(await backfill(db, false)),
        (i) =>
          console.log(
            `  run ${i + 1} ${dialect}: with backup ${int(times[dialect].on.at(-1)!)} ms, without ${int(times[dialect].off.at(-1)!)} ms`,
          ),
      );
    }
  } finally {
    await dbs.close();
  }
  const figures: Record<string, number> = {};
  let worst = 0;
  const batches = Math.ceil(ROWS / BATCH);
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const [on, off] = [median(times[dialect].on), median(times[dialect].off)];
    worst = Math.max(worst, on / off);
    figures[`${dialect} with backup ms`] = on;
    figures[`${dialect} without ms`] = off;
    figures[`${dialect} added ms per batch`] = (on - off) / batches;
    console.log(
      `${dialect}: with backup ${int(on)} ms, without ${int(off)} ms (medians): ratio ${(on / off).toFixed(2)}, ` +
        `${((on - off) / batches).toFixed(1)} ms added per batch of ${int(BATCH)} rows`,
    );
  }
  return {
    name: 'prior-backup',
    figures,
    ratio: worst,
    baseline: 'the same backfill without its backup',
    target: TARGET,
  };
}

await runIfMain(import.meta.url, run);
