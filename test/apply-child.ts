/**
 * Child process of the kill -9 tests (test/kill-points.ts): `node --import tsx
 * test/apply-child.ts <conn> <workflow.json>` applies the workflow, printing `started` when the run
 * starts and `finished <status>` when it ends; the parent SIGKILLs it somewhere in between.
 */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../electron/db/connect.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { parseWorkflow } from '../shared/workflow.ts';

const [conn, file] = process.argv.slice(2);
if (!conn || !file) throw new Error('usage: apply-child.ts <connection> <workflow.json>');
const { workflow } = parseWorkflow(readFileSync(file, 'utf8'));
const db = await openDatabase(conn);
try {
  const result = await runWorkflow(workflow, db, {
    mode: 'apply',
    onEvent: (e) => {
      if (e.type === 'run_started') process.stdout.write('started\n');
    },
  });
  process.stdout.write(`finished ${result.status}\n`);
} finally {
  await db.driver.close();
}
