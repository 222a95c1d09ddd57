/**
 * The run worker: opens the job's connection and runs the workflow (or creates the demo database,
 * or runs the editor's fleet: fleet-job.ts) off the main thread; the editor's plans and reviews
 * are the warm planner's (planning-worker.ts). See messages.ts for the messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Database } from '../db/connect.ts';
import { createDemoDatabase } from '../db/demo.ts';
import { errorData } from '../../shared/errors.ts';
import { resumePoint } from '../engine/resume.ts';
import { runWorkflow } from '../engine/run.ts';
import { formatProblem, parseWorkflow, WorkflowError } from '../../shared/workflow.ts';
import { ControlPort } from './control-port.ts';
import { planFleetJob, runFleetJob } from './fleet-job.ts';
import type { WorkerInit, WorkerMessage } from './messages.ts';
import { openTarget, scrub } from './targets.ts';

const init = workerData as WorkerInit;
const control = new ControlPort(init.cancelPort);
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

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
        { ...db, driver: control.polledDriver(db.driver) },
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
          signal: control.controller.signal,
          onEvent: job.events ? (event) => post({ type: 'event', event }) : undefined,
        },
      );
      post({ type: 'result', result, snapshots: Object.fromEntries(snapshots) });
    } else if (job.kind === 'fleet') {
      await runFleetJob(job, control, post, init.nativeBinding);
    } else if (job.kind === 'fleet_plan') {
      await planFleetJob(job, post, init.nativeBinding);
    } else {
      db = await openTarget(job.target, { nativeBinding: init.nativeBinding, create: true });
      const counts = await createDemoDatabase(db, { rows: job.rows, force: job.force });
      post({ type: 'demo', counts });
    }
  } catch (e) {
    const error = errorData(e);
    if (e instanceof WorkflowError) error.message = e.problems.map(formatProblem).join('; ');
    post({
      type: 'failed',
      error: {
        ...error,
        message: job.kind === 'fleet' || job.kind === 'fleet_plan' ? error.message : scrub(error.message, job.target),
      },
    });
  } finally {
    await db?.driver.close();
    control.close();
  }
}

await main();
