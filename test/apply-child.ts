/**
 * Child process of the kill -9 tests (test/kill-child.ts): `node --import tsx
 * test/apply-child.ts <conn> <workflow.json> [--resume]` applies the workflow (`--resume`: continues
 * its newest run that stopped part-way, as `dataflow run --resume`), printing `started` when the
 * run starts and `finished <status>` when it ends; the parent SIGKILLs it somewhere in between.
 */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../electron/db/connect.ts';
import { resumePoint } from '../electron/engine/resume.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { parseWorkflow } from '../shared/workflow.ts';

const [conn, file, flag] = process.argv.slice(2);
if (!conn || !file) throw new Error('usage: apply-child.ts <connection> <workflow.json> [--resume]');
const { workflow } = parseWorkflow(readFileSync(file, 'utf8'));
const db = await openDatabase(conn);
try {
  const point = flag === '--resume' ? await resumePoint(db, workflow) : null;
  const result = await runWorkflow(workflow, db, {
    mode: 'apply',
    // PostgreSQL ends a killed run's session (and its migration lock) once it sees the socket closed.
    lockWaitMs: 15_000,
    ...(point && { resume: { runId: point.run.runId, done: point.done, outputs: point.outputs } }),
    onEvent: (e) => {
      if (e.type === 'run_started') process.stdout.write('started\n');
    },
  });
  process.stdout.write(`finished ${result.status}\n`);
} finally {
  await db.driver.close();
}
