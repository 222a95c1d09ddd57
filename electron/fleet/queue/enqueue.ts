/**
 * `dataflow fleet enqueue`: a fleet put on the job queue. The workflow, the options and every
 * target (its connection without a password) go to the fleet records; the canary wave's jobs go
 * to graphile-worker (wave 0, or wave 1 without a canary), all in one transaction: the fleet is on
 * the queue whole or not at all. The other waves are queued by the job
 * that ends the wave before them (target-job.ts), so wave n+1 starts only once wave n ended.
 */
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { makeWorkerUtils } from 'graphile-worker';
import { QUEUE_SCHEMA, type TargetRowValues } from '../../db/fleet-queue-sql.ts';
import type { Workflow } from '../../../shared/workflow.ts';
import type { FleetTarget, InvalidTarget } from '../targets.ts';
import { planWaves } from '../waves.ts';
import { queuePool } from './connection.ts';
import { jobSpecValues, targetJobs } from './jobs.ts';
import { ensureFleetTables, insertFleet, type QueueFleetOptions } from './records.ts';

export interface EnqueuedFleet {
  fleetId: string;
  /** Targets per wave, canary first (0 without a canary). */
  waves: number[];
  invalid: number;
}

/** Puts the fleet on the queue at `queueUrl` (creating graphile-worker's schema and the fleet records when missing). */
export async function enqueueFleet(
  queueUrl: string,
  workflow: Workflow,
  targets: { targets: readonly FleetTarget[]; invalid: readonly InvalidTarget[] },
  options: QueueFleetOptions,
): Promise<EnqueuedFleet> {
  const pool = queuePool(queueUrl, 2);
  try {
    const utils = await makeWorkerUtils({ pgPool: pool, schema: QUEUE_SCHEMA });
    try {
      await utils.migrate();
      await ensureFleetTables(pool);
      const fleetId = randomUUID();
      // The local runner's waves (waves.ts): the canary, then chunks of --wave.
      const waves = planWaves(
        targets.targets.map((t) => t.label),
        { canary: options.canary, ...(options.wave !== null && { wave: options.wave }) },
      );
      const waveOf = new Map(waves.flatMap((labels, w) => labels.map((l) => [l, w] as const)));
      const first = waves.findIndex((w) => w.length > 0);
      const rows: TargetRowValues[] = [
        ...targets.targets.map((t, i) => ({
          position: i,
          label: t.label,
          target: JSON.stringify(t),
          wave: waveOf.get(t.label)!,
          status: 'queued' as const,
          error: null,
        })),
        ...targets.invalid.map((t, i) => ({
          position: targets.targets.length + i,
          label: t.label,
          target: JSON.stringify(t),
          wave: null,
          status: 'invalid' as const,
          error: `${t.source}: "${t.field}" ${t.message}`,
        })),
      ];
      const jobs = targetJobs(
        fleetId,
        rows.filter((r) => r.wave === first).map((r) => r.position),
      );
      await insertFleet(
        pool,
        {
          fleetId,
          workflowName: workflow.name,
          workflow: JSON.stringify(workflow),
          options,
          waves: waves.length,
          queuedWave: first,
          createdBy: `${userInfo().username}@${hostname()}`,
        },
        rows,
        jobSpecValues(jobs),
      );
      return { fleetId, waves: waves.map((w) => w.length), invalid: targets.invalid.length };
    } finally {
      await utils.release();
    }
  } finally {
    await pool.end();
  }
}
