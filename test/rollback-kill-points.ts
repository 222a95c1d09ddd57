/**
 * kill -9 at a random point of a rollback (issue 12, item 4), and what must hold afterwards. The
 * forward run drops `orders.note` (its values kept in a prior backup) and adds `orders.extra`;
 * its rollback drops `extra`, adds `note` back and restores its values in batches from
 * the backup (batches of 500 here). Killed, the user tables are at a node boundary of the rollback or, during the
 * restore, at a committed batch (exactly the rows its checkpoint counts hold their old value, the
 * others none); a rollback run again finishes it, ending with the schema and data of before the
 * forward run; the rollback run again may be killed too, with the same checks. Used by
 * test/rollback-kill.test.ts (two points: the rollback, then its re-run) and scripts/rollback-kill-soak.ts.
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
import { applyAndKill } from './kill-child.ts';
import { open, userState } from './kill-points.ts';

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
  for (const n of built.workflow.nodes) if (n.type === 'DataBackfillNode') n.params.batch_size = 500;
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

/**
 * Applies the rollback of `runId` in a child process, SIGKILLs it `delayMs` after its run started,
 * checks what the kill left; with `againDelayMs`, rolls back again in a child process killed that
 * long after its start and checks again; then rolls back again in this process and checks the end
 * equals `before`. Throws, saying what did not hold. Returns where each kill struck.
 */
export async function killRollbackAndRerun(
  conn: string,
  runId: string,
  before: string,
  rows: number,
  delayMs: number,
  againDelayMs?: number,
): Promise<string[]> {
  const db = await openDatabase(conn);
  try {
    const struck: string[] = [];
    for (const delay of againDelayMs === undefined ? [delayMs] : [delayMs, againDelayMs]) {
      const workflow = await rollbackOf(db, runId);
      if (workflow === null) break;
      const file = join(mkdtempSync(join(tmpdir(), 'dataflow-rollback-kill-')), 'rollback.dataflow.json');
      writeFileSync(file, stringifyJson(workflow));
      await applyAndKill(conn, file, delay);
      struck.push(await checkAtKill(db, rows));
    }
    const again = await rollbackOf(db, runId);
    if (again !== null) {
      const rerun = await runWorkflow(again, db, { mode: 'apply', lockWaitMs: 15_000 });
      if (rerun.status !== 'succeeded') throw new Error(`the rollback run again failed: ${rerun.error}`);
    }
    if (stringifyJson(await userState(db)) !== before)
      throw new Error('after the rollback ran again, the schema or data differ from before the forward run');
    return struck;
  } finally {
    await db.driver.close();
  }
}
