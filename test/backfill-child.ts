/**
 * Child process of the backfill kill test: `node --import tsx test/backfill-child.ts <conn>
 * <batch_size> <pause_ms> [<batch_target_ms>]` applies the backfill workflow of
 * test/backfill-fixtures.ts (fixed batches unless a target is given) and prints the run's status;
 * the parent SIGKILLs it part way through.
 */
import { openDatabase } from '../electron/db/connect.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { backfillWorkflow } from './backfill-fixtures.ts';

const [conn, batch, pause, target] = process.argv.slice(2);
if (!conn) throw new Error('usage: backfill-child.ts <connection> <batch_size> <pause_ms> [<batch_target_ms>]');
const db = await openDatabase(conn);
try {
  const result = await runWorkflow(
    backfillWorkflow({
      batch_size: Number(batch ?? 1000),
      pause_ms: Number(pause ?? 0),
      ...(target === undefined ? {} : { batch_target_ms: Number(target) }),
    }),
    db,
    { mode: 'apply' },
  );
  process.stdout.write(`${JSON.stringify({ status: result.status, error: result.error })}\n`);
} finally {
  await db.driver.close();
}
