/**
 * Child process of the killed-run tests: `node --import tsx test/tracked-run-child.ts <conn>
 * <workflow.json> <node_id>` applies the workflow and, once node `<node_id>` finished, prints
 * `stopped <run id>` and blocks in the middle of the run (its lock held, its connection open)
 * until the parent SIGKILLs it.
 */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../electron/db/connect.ts';
import { runWorkflow } from '../electron/engine/run.ts';
import { parseWorkflow } from '../shared/workflow.ts';

const [conn, file, stopAfter] = process.argv.slice(2);
if (!conn || !file || !stopAfter) throw new Error('usage: tracked-run-child.ts <connection> <workflow.json> <node_id>');
const { workflow } = parseWorkflow(readFileSync(file, 'utf8'));
const db = await openDatabase(conn);
await runWorkflow(workflow, db, {
  mode: 'apply',
  onEvent: (e) => {
    if (e.type !== 'node_finished' || e.nodeId !== stopAfter) return;
    process.stdout.write(`stopped ${e.runId}\n`);
    // Blocks this thread for good: the run stays where it is until the process is killed.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
process.stdout.write('finished\n');
