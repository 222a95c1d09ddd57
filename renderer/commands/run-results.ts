/** Waits for the result of a run by id, from the event stream (the result may arrive before anyone waits). */
import type { RunEvent, RunResult } from '../../shared/run.ts';

const KEEP = 20;
const waiters = new Map<string, (r: RunResult) => void>();
const early = new Map<string, RunResult>();

export function noteRunEvent(ev: RunEvent): void {
  if (ev.type !== 'run_finished') return;
  const waiter = waiters.get(ev.runId);
  if (waiter) {
    waiters.delete(ev.runId);
    waiter(ev.result);
    return;
  }
  early.set(ev.runId, ev.result);
  if (early.size > KEEP) early.delete(early.keys().next().value!);
}

export function runResult(runId: string): Promise<RunResult> {
  const done = early.get(runId);
  if (done) {
    early.delete(runId);
    return Promise.resolve(done);
  }
  return new Promise((resolve) => waiters.set(runId, resolve));
}
