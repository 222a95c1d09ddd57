/**
 * Child process for the two-process migration lock tests:
 *   node --import tsx test/lock-holder.ts <conn> <runId> <holdMs>
 * Acquires the migration lock, prints `acquired <pid> <time>`, holds it for holdMs, prints
 * `releasing <time>`, releases, prints `released`, exits. Killed while holding, it leaves its lock behind.
 */
import { openDatabase } from '../electron/db/connect.ts';
import { acquireMigrationLock } from '../electron/db/migration-lock.ts';

const [conn, runId, holdMs] = process.argv.slice(2);
if (!conn || !runId || !holdMs) {
  process.stderr.write('usage: lock-holder.ts <conn> <runId> <holdMs>\n');
  process.exit(2);
}
const db = await openDatabase(conn);
const lock = await acquireMigrationLock(db, { runId, workflow: 'lock-holder' }, { waitMs: 0 });
process.stdout.write(`acquired ${process.pid} ${Date.now()}\n`);
await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
process.stdout.write(`releasing ${Date.now()}\n`);
await lock.release();
process.stdout.write('released\n');
await db.driver.close();
