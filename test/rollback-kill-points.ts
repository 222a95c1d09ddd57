/**
 * kill -9 at a random point of a rollback (issue 12, item 4), and what must hold afterwards. The
 * forward run drops `orders.note` (its values kept in a prior backup) and adds `orders.extra`;
 * its rollback drops `extra`, adds `note` back and restores its values in batches from
 * the backup (batches of 500 here). Killed (part-way, see test/kill-child.ts), the user tables are
 * at a node boundary of the rollback or, during the restore, at a committed batch (exactly the
 * rows its checkpoint counts hold their old value, the others none), and its record says it
 * stopped part-way. The rollback run again is killed too, once it restored batches of its own, with
 * the same checks; a third rollback finishes it, ending with the schema and data of before the
 * forward run. Used by test/rollback-kill.test.ts (one case per database) and
 * scripts/rollback-kill-soak.ts (many).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../electron/db/connect.ts';
import { buildRollback, RollbackRefused } from '../electron/engine/rollback.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { stringifyJson } from '../shared/json-text.ts';
import { workflowSchema, type Workflow } from '../shared/workflow.ts';
import { createOrders, readCheckpoints } from './backfill-fixtures.ts';
import { applyAndKill, type KillPoint } from './kill-child.ts';
import { expectStoppedPartWay, open, userState } from './kill-points.ts';

const forward = workflowSchema.parse({
  format: 'dataflow-workflow',
  version: 1,
  name: 'retire_note',
  nodes: [
    {
      id: 'drop_note',
      type: 'SchemaModificationNode',
      params: { table: 'orders', operation: 'drop_column', column_name: 'note' },
    },
    {
      id: 'add_extra',
      type: 'SchemaModificationNode',
      params: { table: 'orders', operation: 'add_column', column_name: 'extra', column_type: 'integer' },
    },
  ],
});

/** Prepares `conn`: orders with a `note` per row, then the forward run applied. Returns the state before it and its run id. */
export async function prepareRollback(conn: string, rows: number): Promise<{ before: string; runId: string }> {
  const db = await open(conn);
  try {
    await createOrders(db, rows);
    await db.driver.query("UPDATE orders SET created_at = '2026-01-01 00:00:00'");
    // As the product writes it (SQLite keeps the text, which the state compares).
    await db.driver.query('ALTER TABLE "orders" ADD COLUMN "note" TEXT');
    await db.driver.query("UPDATE orders SET note = 'n' || CAST(id AS text)");
    const before = stringifyJson(await userState(db));
    const r = await runWorkflow(forward, db, { mode: 'apply' });
    if (r.status !== 'succeeded') throw new Error(`the forward run failed: ${r.error}`);
    return { before, runId: r.runId };
  } finally {
    await db.driver.close();
  }
}

/**
 * The rollback of `runId` (restore batches of 500), or null when the run was rolled back already
 * (a rollback that finished before its kill): nothing left to do.
 */
async function rollbackOf(db: Database, runId: string): Promise<Workflow | null> {
  const built = await buildRollback(db, runId).catch((e: unknown) => {
    if (e instanceof RollbackRefused && e.message.includes('was rolled back already')) return null;
    throw e;
  });
  if (built === null) return null;
  for (const n of built.workflow.nodes)
    if (n.type === 'DataBackfillNode') Object.assign(n.params, { batch_size: 500, batch_target_ms: 0 });
  return built.workflow;
}

/** Where a killed rollback left `orders`: a node boundary, or a committed batch of the restore. */
async function checkAtKill(db: Database, rows: number): Promise<string> {
  const { schema } = await userState(db);
  const cols = schema.tables.find((t) => t.name === 'orders')!.columns.map((c) => c.name);
  if (cols.includes('extra')) {
    if (cols.includes('note')) throw new Error('orders has both extra and note: between node boundaries');
    return 'before the rollback';
  }
  if (!cols.includes('note')) return 'after drop_column_orders_extra';
  const { rows: counts } = await db.driver.query<{ restored: number | string; wrong: number | string }>(
    "SELECT count(note) AS restored, count(CASE WHEN note <> 'n' || CAST(id AS text) THEN 1 END) AS wrong FROM orders",
  );
  const [restored, wrong] = [Number(counts[0]!.restored), Number(counts[0]!.wrong)];
  const [checkpoint] = await readCheckpoints(db);
  const done = checkpoint?.rowsDone ?? 0;
  if (wrong !== 0) throw new Error(`${wrong} restored notes differ from their old value`);
  if (restored !== done)
    throw new Error(`${restored} notes restored, but the restore's checkpoint says ${done}: not a committed batch`);
  return restored === rows ? 'after the restore' : `${done} rows (${done / 500} batches) restored`;
}

const RESTORE = 'restore_orders_note';

/** Where the first kill of a rollback may strike: its boundary classes (more than 13 restore batches needed). */
export const ROLLBACK_KILLS = {
  // At the node boundary: extra dropped and recorded, note not added yet.
  'after dropping extra': () => ({
    after: { event: 'node_finished', node: 'drop_column_orders_extra', nth: 1 },
    delayMs: 0,
    holdAt: { event: 'node_finished', node: 'drop_column_orders_extra', nth: 1 },
  }),
  // After 1 to 4 restored batches, in the next three (mid-batch, or between two).
  'in the restore': (random: () => number) => restoreKill(2 + Math.floor(random() * 4), random),
} satisfies Record<string, (random: () => number) => KillPoint>;

export type RollbackKill = keyof typeof ROLLBACK_KILLS;

/** After the restore's progress report `nth` (1 is its start, before any batch), in the next three batches. */
function restoreKill(nth: number, random: () => number): KillPoint {
  return {
    after: { event: 'progress', node: RESTORE, nth },
    delayMs: Math.round(random() * 40),
    holdAt: { event: 'progress', node: RESTORE, nth: nth + 3 },
  };
}

/**
 * Applies the rollback of `runId` in a child process killed at `kill` and checks what the kill
 * left and that its record says it stopped part-way; rolls back again in a child process killed
 * once it restored 1 to 3 batches of its own (drawn from `random`), with the same checks and that
 * it restored more rows; then rolls back again in this process and checks the end equals
 * `before`. Throws, saying what did not hold. Returns where each kill struck and what it left.
 */
export async function killRollbackAndRerun(
  conn: string,
  runId: string,
  before: string,
  rows: number,
  kill: KillPoint,
  random: () => number,
): Promise<{ struck: string; atKill: string }[]> {
  const db = await openDatabase(conn);
  try {
    const struck: { struck: string; atKill: string }[] = [];
    let restored = -1;
    for (const point of [kill, restoreKill(2 + Math.floor(random() * 3), random)]) {
      const workflow = await rollbackOf(db, runId);
      if (workflow === null) throw new Error(`run ${runId} was rolled back to the end before its kill`);
      const file = join(mkdtempSync(join(tmpdir(), 'dataflow-rollback-kill-')), 'rollback.dataflow.json');
      writeFileSync(file, stringifyJson(workflow));
      const killed = await applyAndKill(conn, file, point);
      const atKill = await checkAtKill(db, rows);
      await expectStoppedPartWay(db, killed, 'the killed rollback');
      const now = (await readCheckpoints(db))[0]?.rowsDone ?? 0;
      if (now <= restored) throw new Error(`the rollback run again restored no batch: ${now} rows, as before its kill`);
      restored = now;
      struck.push({ struck: killed.lastPoint, atKill });
    }
    const again = await rollbackOf(db, runId);
    if (again === null) throw new Error(`run ${runId} was rolled back to the end before the last kill`);
    const rerun = await runWorkflow(again, db, { mode: 'apply', lockWaitMs: 15_000 });
    if (rerun.status !== 'succeeded') throw new Error(`the rollback run again failed: ${rerun.error}`);
    if (stringifyJson(await userState(db)) !== before)
      throw new Error('after the rollback ran again, the schema or data differ from before the forward run');
    return struck;
  } finally {
    await db.driver.close();
  }
}
