/**
 * The fleet queue's records in the queue database (SQL: electron/db/fleet-queue-sql.ts): what
 * enqueue writes, what each target job claims and ends, what the wave rules count, what the fleet
 * status reads. Every function takes the queue's pg pool (or a client of it).
 */
import type pg from 'pg';
import type { ReviewOptions } from '../../engine/review.ts';
import * as sql from '../../db/fleet-queue-sql.ts';
import type { Query } from '../../db/migration-sql.ts';

export type { QueueTargetStatus } from '../../db/fleet-queue-sql.ts';

/** How the fleet's targets are run, as `dataflow fleet enqueue` was given them. */
export interface QueueFleetOptions {
  /** Targets in the canary wave (wave 0; 0: no canary, the first wave is wave 1). */
  canary: number;
  /** Targets per wave after the canary; null: all the others in one wave. */
  wave: number | null;
  onError: 'stop' | 'continue';
  /** The fleet stops once this many targets failed; null: no limit (on_error decides). */
  maxFailures: number | null;
  /** The user confirmed the workflow's code (`--trust-code`). */
  trustCode: boolean;
  /** Drift found on a target is accepted, as `dataflow run --accept-drift` accepts it. */
  acceptDrift: boolean;
  /** The safety review each target's apply makes first, as `dataflow run` does: configuration and waivers. */
  review: ReviewOptions;
}

/** An enqueued fleet, as its row holds it. */
export interface QueueFleet {
  fleetId: string;
  workflowName: string;
  /** The workflow file's JSON text. */
  workflow: string;
  options: QueueFleetOptions;
  waves: number;
  /** The last wave whose jobs were queued. */
  queuedWave: number;
  /** Why the fleet stopped (no new targets run), or null. */
  stopped: string | null;
  createdBy: string | null;
  createdAt: string;
}

/** One target of an enqueued fleet, as its row holds it. */
export interface QueueTarget {
  position: number;
  label: string;
  /** The target as enqueued (JSON): its connection without a password, environment, tags. */
  target: string;
  /** 0 for the canary wave, then 1, 2...; null for an invalid entry. */
  wave: number | null;
  status: sql.QueueTargetStatus;
  /** The graphile-worker pool id of the worker process that runs or ran it. */
  worker: string | null;
  attempts: number;
  /** The run on the target (its dataflow_runs id), once started. */
  runId: string | null;
  /** The run that `runId` resumes, when it does. */
  priorRunId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The target's outcome (JSON), once it ended. */
  outcome: string | null;
  error: string | null;
}

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

async function rows(db: Queryable, q: Query): Promise<Record<string, unknown>[]> {
  return (await db.query(q.sql, q.params as unknown[])).rows as Record<string, unknown>[];
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Creates the fleet records' schema and tables when missing (one process at a time). */
export async function ensureFleetTables(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(sql.setupLockSql);
    for (const statement of sql.createFleetTablesSql()) await client.query(statement);
  });
}

/** Runs `fn` on one client of the pool inside BEGIN ... COMMIT; an error rolls it all back. */
async function inTransaction(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await fn(client);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** True when a fleet was ever enqueued on this queue database (the records exist). */
export async function fleetTablesExist(db: Queryable): Promise<boolean> {
  return (await rows(db, sql.fleetTablesExistQuery())).length === 2;
}

/**
 * Inserts a fleet, its targets and the first wave's `jobs` in one transaction: a fleet is on the
 * queue with all its records and jobs, or (on any error) not at all.
 */
export async function insertFleet(
  pool: pg.Pool,
  fleet: Omit<QueueFleet, 'stopped' | 'createdAt' | 'createdBy'> & { createdBy: string },
  targets: readonly sql.TargetRowValues[],
  jobs: readonly sql.JobSpecValues[],
): Promise<void> {
  await inTransaction(pool, async (client) => {
    await rows(client, sql.insertFleetQuery({ ...fleet, options: JSON.stringify(fleet.options) }, targets));
    await rows(client, sql.addJobsQuery(jobs));
  });
}

function toFleet(r: Record<string, unknown>): QueueFleet {
  return {
    fleetId: String(r.fleet_id),
    workflowName: String(r.workflow_name),
    workflow: String(r.workflow),
    options: JSON.parse(String(r.options)) as QueueFleetOptions,
    waves: Number(r.waves),
    queuedWave: Number(r.queued_wave),
    stopped: str(r.stopped),
    createdBy: str(r.created_by),
    createdAt: iso(r.created_at)!,
  };
}

/** The fleets whose id starts with `prefix` ('' for all), newest first. */
export async function findFleets(db: Queryable, prefix: string, limit = 50): Promise<QueueFleet[]> {
  return (await rows(db, sql.fleetsQuery(prefix, limit))).map(toFleet);
}

export async function readTargets(db: Queryable, fleetId: string): Promise<QueueTarget[]> {
  return (await rows(db, sql.targetsQuery(fleetId))).map(toTarget);
}

export async function readTarget(db: Queryable, fleetId: string, position: number): Promise<QueueTarget | null> {
  const [row] = await rows(db, sql.targetQuery(fleetId, position));
  return row ? toTarget(row) : null;
}

/** The positions of a wave's targets not started yet (the jobs to queue for it). */
export async function queuedInWave(db: Queryable, fleetId: string, wave: number): Promise<number[]> {
  return (await rows(db, sql.queuedInWaveQuery(fleetId, wave))).map((r) => Number(r.position));
}

function toTarget(r: Record<string, unknown>): QueueTarget {
  return {
    position: Number(r.position),
    label: String(r.label),
    target: String(r.target),
    wave: r.wave === null ? null : Number(r.wave),
    status: String(r.status) as sql.QueueTargetStatus,
    worker: str(r.worker),
    attempts: Number(r.attempts),
    runId: str(r.run_id),
    priorRunId: str(r.prior_run_id),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    outcome: str(r.outcome),
    error: str(r.error),
  };
}

/**
 * Claims a target for `worker` (see claimTargetQuery): its earlier run id (a retry continues it)
 * and attempt count, or null when a live worker runs it or it ended.
 */
export async function claimTarget(
  db: Queryable,
  at: Claimed,
): Promise<{ runId: string | null; priorRunId: string | null; attempts: number } | null> {
  const [row] = await rows(db, sql.claimTargetQuery(at.fleetId, at.position, at.worker));
  return row ? { runId: str(row.run_id), priorRunId: str(row.prior_run_id), attempts: Number(row.attempts) } : null;
}

/** A target as the worker that claimed it names it. */
export interface Claimed {
  fleetId: string;
  position: number;
  /** The claiming worker pool's id. */
  worker: string;
}

export async function setRunId(db: Queryable, at: Claimed, runId: string, priorRunId: string | null): Promise<void> {
  await rows(db, sql.setRunIdQuery(at.fleetId, at.position, at.worker, runId, priorRunId));
}

/** Ends a claimed target: its status, its outcome (kept as JSON) and its error. */
export async function finishTarget(
  db: Queryable,
  at: Claimed,
  end: { status: 'succeeded' | 'failed' | 'skipped'; outcome: unknown; error: string | null },
): Promise<void> {
  const outcome = end.outcome === null ? null : JSON.stringify(end.outcome);
  await rows(db, sql.finishTargetQuery(at.fleetId, at.position, at.worker, end.status, outcome, end.error));
}

/** Gives a claimed target back to the queue (its job runs again later), saying why. */
export async function releaseTarget(db: Queryable, at: Claimed, why: string): Promise<void> {
  await rows(db, sql.releaseTargetQuery(at.fleetId, at.position, at.worker, why));
}

/** A wave's target count and how many ended, and the fleet's failed targets so far. */
export async function waveCounts(
  db: Queryable,
  fleetId: string,
  wave: number,
): Promise<{ total: number; ended: number; failed: number }> {
  const [r] = await rows(db, sql.waveCountsQuery(fleetId, wave));
  return { total: Number(r?.total ?? 0), ended: Number(r?.ended ?? 0), failed: Number(r?.failed ?? 0) };
}

/** Stops the fleet (the first reason is kept) and skips its targets not started yet. */
export async function stopFleet(pool: pg.Pool, fleetId: string, reason: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    for (const q of sql.stopFleetQueries(fleetId, reason)) await rows(client, q);
  });
}

/** True for the one caller that moved the fleet's queued wave to `wave` (it queues that wave's jobs). */
export async function claimWave(db: Queryable, fleetId: string, wave: number): Promise<boolean> {
  return (await rows(db, sql.claimWaveQuery(fleetId, wave))).length === 1;
}
