/**
 * Child process of the kill -9 tests (test/kill-child.ts runs it bundled; `node --import tsx
 * test/apply-child.ts` runs the sources): `apply-child <conn> <workflow.json> "<event> <node>
 * <nth>" [--resume]` applies the workflow (`--resume`: continues its newest run that stopped
 * part-way, as `dataflow run --resume`), printing `started <run id>`, then `<event> <node> <nth>`
 * for each node start, progress report and node end (a node's start and end once the run record
 * has them, a progress report once its batch committed), and `finished <status>` when it ends. At
 * the point named by the third argument it prints `held` and stops until the parent SIGKILLs it.
 */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../electron/db/connect.ts';
import { resumePoint } from '../electron/engine/resume.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { parseWorkflow } from '../shared/workflow.ts';

const [conn, file, holdAt, flag] = process.argv.slice(2);
if (!conn || !file || !holdAt)
  throw new Error('usage: apply-child.ts <connection> <workflow.json> <hold point> [--resume]');
const { workflow } = parseWorkflow(readFileSync(file, 'utf8'));
const db = await openDatabase(conn);
const seen = new Map<string, number>();
const report = (event: string, node: string, extra = '') => {
  const key = `${event} ${node}`;
  const nth = (seen.get(key) ?? 0) + 1;
  seen.set(key, nth);
  const point = `${key} ${nth}`;
  process.stdout.write(`${point}${extra}\n`);
  // Writes to a pipe are synchronous on Linux: the parent has every line before this blocks.
  if (point === holdAt) {
    process.stdout.write('held\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
  }
};
try {
  const point = flag === '--resume' ? await resumePoint(db, workflow) : null;
  const result = await runWorkflow(workflow, db, {
    mode: 'apply',
    // PostgreSQL ends a killed run's session (and its migration lock) once it sees the socket closed.
    lockWaitMs: 15_000,
    ...(point && { resume: { runId: point.run.runId, done: point.done, outputs: point.outputs } }),
    onEvent: (e) => {
      if (e.type === 'run_started') process.stdout.write(`started ${e.runId}\n`);
      else if (e.type === 'node_started') report(e.type, e.nodeId);
      else if (e.type === 'progress') report(e.type, e.nodeId, ` (${e.progress.done} rows)`);
      else if (e.type === 'node_finished') report(e.type, e.nodeId, ` ${e.result.status}`);
    },
  });
  process.stdout.write(`finished ${result.status}\n`);
} finally {
  await db.driver.close();
}
