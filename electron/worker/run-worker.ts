/**
 * The run worker: opens the job's connection and runs the workflow (or creates the demo database)
 * off the main thread; the editor's plans and reviews are the warm planner's (planning-worker.ts). See messages.ts for the messages.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { Database } from '../db/connect.ts';
import type { Driver } from '../db/driver.ts';
import { createDemoDatabase } from '../db/demo.ts';
import { errorData } from '../../shared/errors.ts';
import { resumePoint } from '../engine/resume.ts';
import { runWorkflow } from '../engine/run.ts';
import { formatProblem, parseWorkflow, WorkflowError } from '../../shared/workflow.ts';
import type { CancelMessage, WorkerInit, WorkerMessage } from './messages.ts';
import { openTarget, scrub } from './targets.ts';

const init = workerData as WorkerInit;
const controller = new AbortController();
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

const isCancel = (m: unknown) => (m as CancelMessage | null)?.type === 'cancel';
init.cancelPort.on('message', (m) => {
  if (isCancel(m)) controller.abort();
});
/** Sees a cancel that arrived while synchronous work kept the event loop busy. */
function pollCancel(): void {
  const received = receiveMessageOnPort(init.cancelPort);
  if (received && isCancel(received.message)) controller.abort();
}

function cancellable(driver: Driver): Driver {
  return {
    dialect: driver.dialect,
    label: driver.label,
    query(sql, params) {
      pollCancel();
      return driver.query(sql, params);
    },
    inTransaction: () => driver.inTransaction(),
    close: () => driver.close(),
  };
}

async function main(): Promise<void> {
  const { job } = init;
  let db: Database | null = null;
  try {
    if (job.kind === 'run') {
      const { workflow } = parseWorkflow(job.text);
      db = await openTarget(job.target, { nativeBinding: init.nativeBinding });
      const snapshots = new Map<string, string>();
      const resume = job.resume && (await resumePoint(db, workflow, job.resume));
      const result = await runWorkflow(
        workflow,
        { ...db, driver: cancellable(db.driver) },
        {
          mode: job.mode,
          runId: job.runId,
          trustCode: job.trustCode,
          // Rehearse and apply refuse to start when the plan shows a node that cannot succeed. A
          // resumed run is part-way already: its nodes are planned from the live schema as they run.
          preflight: !resume,
          ...(resume && { resume: { runId: resume.run.runId, done: resume.done, outputs: resume.outputs } }),
          subset: job.subset,
          // Apply refuses a database changed outside the product until the user accepts it.
          driftCheck: true,
          acceptDrift: job.acceptDrift === true,
          snapshots,
          ...(job.review && { review: job.review }),
          signal: controller.signal,
          onEvent: job.events ? (event) => post({ type: 'event', event }) : undefined,
        },
      );
      post({ type: 'result', result, snapshots: Object.fromEntries(snapshots) });
    } else {
      db = await openTarget(job.target, { nativeBinding: init.nativeBinding, create: true });
      const counts = await createDemoDatabase(db, { rows: job.rows, force: job.force });
      post({ type: 'demo', counts });
    }
  } catch (e) {
    const error = errorData(e);
    if (e instanceof WorkflowError) error.message = e.problems.map(formatProblem).join('; ');
    post({ type: 'failed', error: { ...error, message: scrub(error.message, job.target) } });
  } finally {
    await db?.driver.close();
    init.cancelPort.close();
  }
}

await main();
