/**
 * SQL of the fleet queue's own records (docs/fleet.md, "On a job queue"), kept in the queue's
 * PostgreSQL database beside graphile-worker's schema: schema `dataflow_fleet`, table `fleets`
 * (one row per enqueued fleet: the workflow, its options, the wave whose jobs were queued last,
 * why it stopped) and table `targets` (one row per target: its wave, status, the worker running
 * it, the run id on the target, the outcome). The queue itself (jobs, retries, locks of jobs) is
 * graphile-worker's; these tables hold what the fleet status shows and what the wave rules read.
 * Every value is a bound parameter; identifiers are constants.
 */
import { quoteIdent } from './postgres/render.ts';
import type { Query } from './migration-sql.ts';

/** The schema of the fleet records in the queue database. */
export const FLEET_SCHEMA = 'dataflow_fleet';
/** The schema graphile-worker keeps its jobs in, in the queue database. */
export const QUEUE_SCHEMA = 'dataflow_queue';

/**
 * A target's status in the queue: queued (its wave's job not run yet), running, or final;
 * `invalid`: the entry cannot be a target (no wave, never run).
 */
export const TARGET_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'skipped', 'invalid'] as const;
export type QueueTargetStatus = (typeof TARGET_STATUSES)[number];
/** The statuses a target ends in. */
export const FINAL_STATUSES: readonly QueueTargetStatus[] = ['succeeded', 'failed', 'skipped', 'invalid'];

const fleets = `${quoteIdent(FLEET_SCHEMA)}.fleets`;
const targets = `${quoteIdent(FLEET_SCHEMA)}.targets`;
const finals = FINAL_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * Key of the session advisory locks by which a worker process says its graphile-worker workers
 * are alive (the bytes "DFQW"); the second key is `hashtext(worker id)`.
 */
export const LIVENESS_LOCK_KEY = 0x44465157;

/** True when some session of this database holds the liveness lock of the worker id in `column`. */
function workerAlive(column: string): string {
  return (
    `EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 ` +
    `AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) ` +
    `AND l.classid = ${LIVENESS_LOCK_KEY}::oid AND l.objid = hashtext(${column})::oid)`
  );
}

/** The statements that create the fleet records (run in one transaction under `setupLockSql`). */
export function createFleetTablesSql(): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(FLEET_SCHEMA)}`,
    `CREATE TABLE IF NOT EXISTS ${fleets} (fleet_id text PRIMARY KEY, workflow_name text NOT NULL, ` +
      `workflow text NOT NULL, options text NOT NULL, waves integer NOT NULL, ` +
      `queued_wave integer NOT NULL DEFAULT 0, stopped text, created_by text, ` +
      `created_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE TABLE IF NOT EXISTS ${targets} (fleet_id text NOT NULL REFERENCES ${fleets} ON DELETE CASCADE, ` +
      `position integer NOT NULL, label text NOT NULL, target text NOT NULL, wave integer, ` +
      `status text NOT NULL DEFAULT 'queued' CHECK (status IN (${TARGET_STATUSES.map((s) => `'${s}'`).join(', ')})), ` +
      `worker text, attempts integer NOT NULL DEFAULT 0, run_id text, prior_run_id text, started_at timestamptz, ` +
      `finished_at timestamptz, outcome text, error text, PRIMARY KEY (fleet_id, position))`,
  ];
}

/** Serialises the creation of the fleet records between processes (a transaction-level advisory lock). */
export const setupLockSql = `SELECT pg_advisory_xact_lock(${LIVENESS_LOCK_KEY}, 0)`;

/** Which of the two tables exist (`fleets`, `targets`). */
export function fleetTablesExistQuery(): Query {
  return {
    sql: `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_name IN ('fleets', 'targets')`,
    params: [FLEET_SCHEMA],
  };
}

/** The fleet's row. */
export interface FleetRowValues {
  fleetId: string;
  workflowName: string;
  /** The workflow file's JSON. */
  workflow: string;
  /** The fleet's options as JSON (electron/fleet/queue/records.ts). */
  options: string;
  waves: number;
  /** The first wave with targets, whose jobs enqueue adds. */
  queuedWave: number;
  createdBy: string;
}

/** One target's row as enqueued. */
export interface TargetRowValues {
  position: number;
  label: string;
  /** The target as JSON: its connection without a password, environment, tags (or the invalid entry). */
  target: string;
  /** null for an invalid entry. */
  wave: number | null;
  /** `queued`, or `invalid` with the entry's error. */
  status: 'queued' | 'invalid';
  error: string | null;
}

/** Inserts a fleet and its targets (all queued) in one statement. */
export function insertFleetQuery(fleet: FleetRowValues, rows: readonly TargetRowValues[]): Query {
  return {
    sql:
      `WITH f AS (INSERT INTO ${fleets} (fleet_id, workflow_name, workflow, options, waves, queued_wave, created_by) ` +
      `VALUES ($1, $2, $3, $4, $5, $8, $6) RETURNING fleet_id) ` +
      `INSERT INTO ${targets} (fleet_id, position, label, target, wave, status, error) ` +
      `SELECT f.fleet_id, t.position, t.label, t.target, t.wave, t.status, t.error FROM f, ` +
      `json_to_recordset($7::json) AS t(position integer, label text, target text, wave integer, status text, error text)`,
    params: [
      fleet.fleetId,
      fleet.workflowName,
      fleet.workflow,
      fleet.options,
      fleet.waves,
      fleet.createdBy,
      JSON.stringify(rows),
      fleet.queuedWave,
    ],
  };
}

/** A job as graphile-worker's `job_spec` type holds it (the fields the fleet sets). */
export interface JobSpecValues {
  identifier: string;
  payload: unknown;
  job_key: string;
  max_attempts: number;
}

/**
 * Adds jobs through graphile-worker's own SQL function `add_jobs` (its documented SQL API), so
 * that the jobs commit or roll back with the transaction the query runs in: `enqueue` adds the
 * first wave's jobs in the transaction that inserts the fleet's records.
 */
export function addJobsQuery(specs: readonly JobSpecValues[]): Query {
  const schema = quoteIdent(QUEUE_SCHEMA);
  return {
    sql: `SELECT id FROM ${schema}.add_jobs(ARRAY(SELECT json_populate_recordset(NULL::${schema}.job_spec, $1::json)), false)`,
    params: [JSON.stringify(specs)],
  };
}

/** The fleets whose id is `prefix` or starts with it (newest first); all fleets, newest first, for `''`. */
export function fleetsQuery(prefix: string, limit: number): Query {
  return {
    sql:
      `SELECT fleet_id, workflow_name, workflow, options, waves, queued_wave, stopped, created_by, created_at ` +
      `FROM ${fleets} WHERE starts_with(fleet_id, $1) ORDER BY created_at DESC LIMIT $2`,
    params: [prefix, limit],
  };
}

const targetColumns =
  'position, label, target, wave, status, worker, attempts, run_id, prior_run_id, started_at, finished_at, outcome, error';

/** Every target row of a fleet, in position order. */
export function targetsQuery(fleetId: string): Query {
  return { sql: `SELECT ${targetColumns} FROM ${targets} WHERE fleet_id = $1 ORDER BY position`, params: [fleetId] };
}

/** The row of one target of a fleet. */
export function targetQuery(fleetId: string, position: number): Query {
  return {
    sql: `SELECT ${targetColumns} FROM ${targets} WHERE fleet_id = $1 AND position = $2`,
    params: [fleetId, position],
  };
}

/** The positions of a wave's targets still queued. */
export function queuedInWaveQuery(fleetId: string, wave: number): Query {
  return {
    sql: `SELECT position FROM ${targets} WHERE fleet_id = $1 AND wave = $2 AND status = 'queued' ORDER BY position`,
    params: [fleetId, wave],
  };
}

/**
 * Marks a target running by `worker` and counts the attempt, when it is queued, or running by
 * this worker or by a worker no longer alive (a retry after a crash). No row: another, live
 * worker runs it, or it is final already.
 */
export function claimTargetQuery(fleetId: string, position: number, worker: string): Query {
  return {
    sql:
      `UPDATE ${targets} SET status = 'running', worker = $3, attempts = attempts + 1, started_at = now(), ` +
      `finished_at = NULL WHERE fleet_id = $1 AND position = $2 AND (status = 'queued' OR (status = 'running' ` +
      `AND (worker = $3 OR NOT ${workerAlive('worker')}))) RETURNING run_id, prior_run_id, attempts`,
    params: [fleetId, position, worker],
  };
}

/**
 * Records the id of the run the claiming worker is about to start on the target, and the run it
 * resumes (null for a new run): a retry that finds no record of the new run looks at that one.
 */
export function setRunIdQuery(
  fleetId: string,
  position: number,
  worker: string,
  runId: string,
  priorRunId: string | null,
): Query {
  return {
    sql:
      `UPDATE ${targets} SET run_id = $4, prior_run_id = $5 ` +
      `WHERE fleet_id = $1 AND position = $2 AND worker = $3 AND status = 'running'`,
    params: [fleetId, position, worker, runId, priorRunId],
  };
}

/** Ends the claiming worker's run of a target: its final status, outcome (JSON) and error. */
export function finishTargetQuery(
  fleetId: string,
  position: number,
  worker: string,
  status: QueueTargetStatus,
  outcome: string | null,
  error: string | null,
): Query {
  return {
    sql:
      `UPDATE ${targets} SET status = $4, outcome = $5, error = $6, finished_at = now() ` +
      `WHERE fleet_id = $1 AND position = $2 AND worker = $3 AND status = 'running'`,
    params: [fleetId, position, worker, status, outcome, error],
  };
}

/** Gives a target back to the queue (its job is retried later): queued, no worker. */
export function releaseTargetQuery(fleetId: string, position: number, worker: string, error: string): Query {
  return {
    sql:
      `UPDATE ${targets} SET status = 'queued', worker = NULL, error = $4 ` +
      `WHERE fleet_id = $1 AND position = $2 AND worker = $3 AND status = 'running'`,
    params: [fleetId, position, worker, error],
  };
}

/** For a wave: its targets, how many ended, and how many failed in the whole fleet. */
export function waveCountsQuery(fleetId: string, wave: number): Query {
  return {
    sql:
      `SELECT count(*) FILTER (WHERE wave = $2)::int AS total, ` +
      `count(*) FILTER (WHERE wave = $2 AND status IN (${finals}))::int AS ended, ` +
      `count(*) FILTER (WHERE status = 'failed')::int AS failed FROM ${targets} WHERE fleet_id = $1`,
    params: [fleetId, wave],
  };
}

/** Stops the fleet with a reason (first reason wins) and skips every target not started yet. */
export function stopFleetQueries(fleetId: string, reason: string): Query[] {
  return [
    { sql: `UPDATE ${fleets} SET stopped = $2 WHERE fleet_id = $1 AND stopped IS NULL`, params: [fleetId, reason] },
    {
      sql: `UPDATE ${targets} SET status = 'skipped', error = $2, finished_at = now() WHERE fleet_id = $1 AND status = 'queued'`,
      params: [fleetId, reason],
    },
  ];
}

/** Moves the fleet's queued wave from `wave - 1` to `wave`; one row for the one caller that did. */
export function claimWaveQuery(fleetId: string, wave: number): Query {
  return {
    sql: `UPDATE ${fleets} SET queued_wave = $2 WHERE fleet_id = $1 AND queued_wave = $2 - 1 AND stopped IS NULL RETURNING fleet_id`,
    params: [fleetId, wave],
  };
}

/** Takes a worker's liveness lock on this session (held until the session ends). */
export function holdLivenessQuery(workerId: string): Query {
  return { sql: `SELECT pg_advisory_lock(${LIVENESS_LOCK_KEY}, hashtext($1))`, params: [workerId] };
}

/**
 * The workers holding a job for longer than `graceMs` whose liveness lock no session holds: their
 * process died (graphile-worker would otherwise leave their jobs locked for 4 hours).
 */
export function deadWorkersQuery(graceMs: number): Query {
  return {
    sql:
      `SELECT DISTINCT locked_by FROM ${quoteIdent(QUEUE_SCHEMA)}.jobs WHERE locked_by IS NOT NULL ` +
      `AND locked_at < now() - make_interval(secs => $1) AND NOT ${workerAlive('locked_by')}`,
    params: [graceMs / 1000],
  };
}
