/**
 * The fleet queue's jobs on graphile-worker (docs/fleet.md, "On a job queue"): one job per
 * target, task `dataflow_fleet_target`, payload `{ fleet, position }` (no connection, no
 * password: the worker reads the target from the fleet's records). A job's key is its fleet and
 * target, so queueing a wave twice (a retry after a crash between claiming the wave and adding its
 * jobs) replaces the waiting jobs instead of adding more. Jobs are added only with
 * graphile-worker's `addJobs`: enqueue adds the canary wave, and the job that ends a wave adds
 * the next one.
 */
import type { AddJobsJobSpec } from 'graphile-worker';
import type { JobSpecValues } from '../../db/fleet-queue-sql.ts';

/** graphile-worker's task identifier of a fleet target's job. */
export const TARGET_TASK = 'dataflow_fleet_target';

/** A job's payload: the fleet's id and the target's position in it. */
export interface TargetJobPayload {
  fleet: string;
  position: number;
}

/**
 * Attempts a job gets: a job fails (and is retried with graphile-worker's backoff, e^attempts
 * seconds) when its worker dies, is stopped, or finds the target's migration lock held.
 */
export const MAX_ATTEMPTS = 10;

/** Reads a job's payload; throws naming the field when it is not one this version wrote. */
export function targetJobPayload(payload: unknown): TargetJobPayload {
  const p = (payload ?? {}) as Partial<Record<keyof TargetJobPayload, unknown>>;
  if (typeof p.fleet !== 'string' || p.fleet === '')
    throw new Error(
      `job payload: "fleet" must be a fleet id (got ${JSON.stringify(p.fleet)}); was it added by dataflow fleet enqueue?`,
    );
  if (typeof p.position !== 'number' || !Number.isInteger(p.position) || p.position < 0)
    throw new Error(
      `job payload: "position" must be a target's position, 0 or more (got ${JSON.stringify(p.position)})`,
    );
  return { fleet: p.fleet, position: p.position };
}

/** The jobs of the targets at `positions` of a fleet: one per target, keyed by fleet and position. */
export function targetJobs(fleetId: string, positions: readonly number[]): AddJobsJobSpec[] {
  return positions.map((position) => ({
    identifier: TARGET_TASK,
    payload: { fleet: fleetId, position } satisfies TargetJobPayload,
    jobKey: `dataflow_fleet:${fleetId}:${position}`,
    maxAttempts: MAX_ATTEMPTS,
  }));
}

/** The same jobs as graphile-worker's SQL `job_spec` rows (addJobsQuery: added inside a transaction of ours). */
export function jobSpecValues(jobs: readonly AddJobsJobSpec[]): JobSpecValues[] {
  return jobs.map((j) => ({
    identifier: j.identifier,
    payload: j.payload,
    job_key: j.jobKey!,
    max_attempts: j.maxAttempts!,
  }));
}
