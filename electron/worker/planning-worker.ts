/**
 * The warm planning worker of one connection (planner-messages.ts): serves the editor's plans,
 * reviews and schema reads one at a time from a WarmPlanner, off the host's main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorData } from '../../shared/errors.ts';
import { formatProblem, WorkflowError } from '../../shared/workflow.ts';
import type { PlannerInit, PlannerMessage, PlannerReply, PlannerRequest } from './planner-messages.ts';
import { WarmPlanner } from './planner-state.ts';
import { scrub, scrubDeep } from './targets.ts';

const init = workerData as PlannerInit;
const planner = new WarmPlanner(init.target, init.nativeBinding);
const post = (reply: PlannerReply) => parentPort!.postMessage(reply);

async function answer(request: PlannerRequest): Promise<void> {
  try {
    post({ id: request.id, ok: true, value: scrubDeep(await planner.serve(request), init.target) });
  } catch (e) {
    const error = errorData(e);
    if (e instanceof WorkflowError) error.message = e.problems.map(formatProblem).join('; ');
    // Anything but a refused workflow may have left the session unusable: the next request opens a new one.
    else await planner.forget();
    post({ id: request.id, ok: false, error: { ...error, message: scrub(error.message, init.target) } });
  }
}

let queue = Promise.resolve();
parentPort!.on('message', (m: PlannerMessage) => {
  queue = queue.then(() => (m.kind === 'forget' ? planner.forget() : answer(m)));
});
