/**
 * The job of one fleet target on a worker (graphile-worker task `dataflow_fleet_target`):
 * 1. claim the target in the fleet records (another live worker may run it: try later);
 * 2. skip it when the fleet stopped; else, when an earlier attempt started a run on it, read what
 *    became of that run on the target (prior-run.ts): applied, failed, to resume, or busy;
 * 3. apply it as an ordinary run (run-target.ts `runTarget`: lock, preflight, review, drift
 *    check, run record on the target), or resume the earlier run;
 * 4. record its outcome, stop the fleet on a failure when its rules say so, and when the target's
 *    wave has ended, queue the next wave's jobs.
 * A job throws (graphile-worker retries it later, with backoff) only when the target must run
 * again: the worker is stopping, or another run holds the target.
 */
import { randomUUID } from 'node:crypto';
import type { JobHelpers, Task } from 'graphile-worker';
import type pg from 'pg';
import { parseWorkflow, type Workflow } from '../../../shared/workflow.ts';
import { openable, runTarget, type TargetOutcome } from '../run-target.ts';
import { FleetTargetError, openFleetTarget } from '../target-error.ts';
import type { FleetTarget } from '../targets.ts';
import { targetJobPayload, targetJobs } from './jobs.ts';
import { priorRun, type PriorRun } from './prior-run.ts';
import {
  claimTarget,
  claimWave,
  findFleets,
  finishTarget,
  queuedInWave,
  readTarget,
  releaseTarget,
  setRunId,
  stopFleet,
  waveCounts,
  type Claimed,
  type QueueFleet,
  type QueueTarget,
} from './records.ts';

/** A job that must run again later; its message says why. */
export class RetryLater extends Error {
  override name = 'RetryLater';
}

/** What the target jobs of a worker share. */
export interface TargetJobContext {
  pool: pg.Pool;
  /** One line per target ended, for the worker's log. */
  log(line: string): void;
}

/** The task a worker runs for each fleet target job. */
export function targetTask(ctx: TargetJobContext): Task {
  return async (payload, helpers) => {
    const { fleet: fleetId, position } = targetJobPayload(payload);
    const [fleet] = await findFleets(ctx.pool, fleetId, 1);
    if (!fleet || fleet.fleetId !== fleetId)
      throw new Error(
        `fleet ${fleetId} is not in the fleet records of this queue: its job was added by hand, or the records were deleted`,
      );
    const at: Claimed = { fleetId, position, worker: helpers.job.locked_by ?? 'unknown' };
    const claim = await claimTarget(ctx.pool, at);
    const row = await readTarget(ctx.pool, fleetId, position);
    if (!row) throw new Error(`fleet ${fleetId} has no target at position ${position}`);
    if (!claim) {
      if (row.status === 'running')
        throw new RetryLater(
          `${row.label}: worker ${row.worker ?? '?'} is running this target; the job tries again later`,
        );
      return afterTarget(ctx, fleet, row, helpers);
    }
    if (fleet.stopped) {
      await finishTarget(ctx.pool, at, { status: 'skipped', outcome: null, error: `not run: ${fleet.stopped}` });
      return;
    }
    const end = await applyTarget(ctx, fleet, row, at, claim, helpers.abortSignal);
    if ('retry' in end) {
      await releaseTarget(ctx.pool, at, end.retry);
      throw new RetryLater(end.retry);
    }
    await finishTarget(ctx.pool, at, {
      status: end.outcome.status === 'succeeded' ? 'succeeded' : 'failed',
      outcome: end.outcome,
      error: end.outcome.error?.message ?? null,
    });
    ctx.log(
      `fleet ${fleetId.slice(0, 8)} ${row.label}: ${end.outcome.status}${end.note ? ` (${end.note})` : ''}` +
        `${end.outcome.error ? `: ${end.outcome.error.message}` : ''}`,
    );
    return afterTarget(
      ctx,
      fleet,
      { ...row, status: end.outcome.status === 'succeeded' ? 'succeeded' : 'failed' },
      helpers,
    );
  };
}

type Applied = { outcome: TargetOutcome; note?: string } | { retry: string };

/** Applies (or resumes, or finds applied) the claimed target; `retry` when it must run again later. */
async function applyTarget(
  ctx: TargetJobContext,
  fleet: QueueFleet,
  row: QueueTarget,
  at: Claimed,
  claim: { runId: string | null; priorRunId: string | null },
  signal: AbortSignal,
): Promise<Applied> {
  const workflow = parseWorkflow(fleet.workflow).workflow;
  const target = openable(JSON.parse(row.target) as FleetTarget);
  const startedAt = new Date().toISOString();
  const outcome = (fields: Pick<TargetOutcome, 'status' | 'runId' | 'error'>): TargetOutcome => ({
    label: target.label,
    connection: target.connectionLabel,
    startedAt,
    durationMs: 0,
    alreadyApplied: false,
    ...fields,
  });
  let prior: PriorRun & { of?: string } = { kind: 'none' };
  if (claim.runId !== null) {
    try {
      prior = await readPrior(target, workflow, claim.runId, claim.priorRunId);
    } catch (e) {
      if (e instanceof FleetTargetError)
        return { outcome: outcome({ status: 'failed', runId: claim.runId, error: e.error }) };
      throw e;
    }
  }
  if (prior.kind === 'busy') return { retry: prior.message };
  if (prior.kind === 'applied')
    return {
      outcome: { ...outcome({ status: 'succeeded', runId: prior.runId, error: null }), alreadyApplied: true },
      note: `applied by run ${prior.runId.slice(0, 8)} before this retry`,
    };
  if (prior.kind === 'failed')
    return {
      outcome: outcome({ status: 'failed', runId: prior.runId, error: { kind: 'failed', message: prior.message } }),
    };
  const runId = randomUUID();
  const resume = prior.kind === 'resume' ? { runId: prior.runId, done: prior.done, outputs: prior.outputs } : undefined;
  await setRunId(ctx.pool, at, runId, resume?.runId ?? null);
  const { outcome: ended } = await runTarget(workflow, target, {
    runId,
    signal,
    trustCode: fleet.options.trustCode,
    review: fleet.options.review,
    acceptDrift: fleet.options.acceptDrift,
    ...(resume && { resume }),
  });
  if (ended.status === 'cancelled')
    return { retry: `${target.label}: the worker stopped during the run; it resumes on the next attempt` };
  if (ended.error?.kind === 'lock_held') return { retry: ended.error.message };
  if (prior.kind !== 'resume') return { outcome: ended };
  const gone = prior.gone === null ? '' : `, whose process (${prior.gone}) died holding it`;
  return { outcome: ended, note: `resumed run ${prior.runId.slice(0, 8)}${gone}` };
}

/** The earlier attempt's run on the target, or the run it resumed when it never recorded itself. */
async function readPrior(
  target: ReturnType<typeof openable>,
  workflow: Workflow,
  runId: string,
  priorRunId: string | null,
): Promise<PriorRun> {
  const db = await openFleetTarget(target.label, target.connect());
  try {
    const prior = await priorRun(db, target.label, workflow, runId);
    if (prior.kind === 'none' && priorRunId !== null) return await priorRun(db, target.label, workflow, priorRunId);
    return prior;
  } finally {
    await db.driver.close();
  }
}

/**
 * After a target ended: a failure stops the fleet when it was the canary, or `--on-error stop`,
 * or the failures reached `--max-failures`; a wave that ended (and a fleet not stopped) queues the
 * next wave's jobs. The worker that moves the fleet's queued wave adds them; a retried job adds
 * them again (a crash may have come between the two), which replaces the jobs not started yet.
 */
async function afterTarget(ctx: TargetJobContext, fleet: QueueFleet, row: QueueTarget, helpers: JobHelpers) {
  if (row.wave === null) return;
  const counts = await waveCounts(ctx.pool, fleet.fleetId, row.wave);
  const { onError, maxFailures } = fleet.options;
  if (row.status === 'failed') {
    const reason =
      row.wave === 0
        ? `the canary ${row.label} failed`
        : onError === 'stop'
          ? `${row.label} failed (--on-error stop)`
          : maxFailures !== null && counts.failed >= maxFailures
            ? `${counts.failed} targets failed (--max-failures ${maxFailures})`
            : null;
    if (reason) {
      await stopFleet(ctx.pool, fleet.fleetId, reason);
      ctx.log(`fleet ${fleet.fleetId.slice(0, 8)} stopped: ${reason}`);
      return;
    }
  }
  const next = row.wave + 1;
  if (counts.ended < counts.total || next >= fleet.waves) return;
  const claimed = await claimWave(ctx.pool, fleet.fleetId, next);
  if (!claimed && helpers.job.attempts <= 1) return;
  const [now] = await findFleets(ctx.pool, fleet.fleetId, 1);
  if (!now || now.stopped || now.queuedWave < next) return;
  const positions = await queuedInWave(ctx.pool, fleet.fleetId, next);
  await helpers.addJobs(targetJobs(fleet.fleetId, positions));
  if (claimed)
    ctx.log(
      `fleet ${fleet.fleetId.slice(0, 8)}: ${row.wave === 0 ? 'the canary wave' : `wave ${row.wave}`} ended, wave ${next} queued (${positions.length} targets)`,
    );
}
