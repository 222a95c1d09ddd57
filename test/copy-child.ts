/**
 * Child process of the copy kill test: `node --import tsx test/copy-child.ts <conn> <batch_size>`
 * applies the copy workflow of test/backfill-fixtures.ts and prints the run's status; the parent
 * SIGKILLs it part way through.
 */
import { openDatabase } from '../electron/db/connect.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { copyWorkflow } from './backfill-fixtures.ts';

const [conn, batch] = process.argv.slice(2);
if (!conn) throw new Error('usage: copy-child.ts <connection> <batch_size>');
const db = await openDatabase(conn);
try {
  const result = await runWorkflow(copyWorkflow({ batch_size: Number(batch ?? 1000) }), db, { mode: 'apply' });
  process.stdout.write(`${JSON.stringify({ status: result.status, error: result.error })}\n`);
} finally {
  await db.driver.close();
}
