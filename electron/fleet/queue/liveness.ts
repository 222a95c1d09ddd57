/**
 * Which workers of the queue are alive, so that the jobs of a dead one run again soon.
 * graphile-worker locks a job with its worker pool's id and, when that process dies, leaves the
 * job locked for 4 hours; `forceUnlockWorkers` is its way to free the jobs of workers known to be
 * gone. A worker process says it is alive by holding a session advisory lock per pool id on a
 * connection of its own (PostgreSQL drops it with the session when the process dies), and every
 * worker looks now and then for jobs locked by pools whose lock nobody holds, and frees them.
 * SQL: electron/db/fleet-queue-sql.ts.
 */
import pg from 'pg';
import type { WorkerUtils } from 'graphile-worker';
import { deadWorkersQuery, holdLivenessQuery } from '../../db/fleet-queue-sql.ts';

/**
 * How long a job must have been locked before its worker may be declared dead: a new worker
 * pool takes its liveness lock a moment after graphile-worker created it.
 */
export const LIVENESS_GRACE_MS = 2_000;

/** The liveness session of one worker process. */
export class Liveness {
  private readonly held = new Set<string>();

  private constructor(private readonly client: pg.Client) {}

  /**
   * Opens the session; `onLost` is called once if it ends while the process runs (the queue then
   * counts this worker as dead and its jobs run again elsewhere).
   */
  static async open(url: string, onLost: (error: Error) => void): Promise<Liveness> {
    const client = new pg.Client({ connectionString: url, application_name: 'dataflow-worker' });
    let lost = false;
    const lose = (e: Error) => {
      if (lost) return;
      lost = true;
      onLost(e);
    };
    client.on('error', lose);
    client.on('end', () => lose(new Error('the connection ended')));
    await client.connect();
    return new Liveness(client);
  }

  /** Says the worker pool `id` of this process is alive, for as long as the session lasts. */
  async hold(id: string): Promise<void> {
    if (this.held.has(id)) return;
    const q = holdLivenessQuery(id);
    await this.client.query(q.sql, q.params as unknown[]);
    this.held.add(id);
  }

  /** Ends the session (and with it the liveness of this process's pools). */
  async close(): Promise<void> {
    this.client.removeAllListeners('end');
    this.client.removeAllListeners('error');
    this.client.on('error', () => {});
    await this.client.end().catch(() => {});
  }
}

/**
 * Frees the jobs of dead workers (locked longer than LIVENESS_GRACE_MS by a pool whose liveness
 * lock no session holds) so that they run again; returns those workers' pool ids.
 */
export async function freeDeadWorkersJobs(pool: pg.Pool, utils: WorkerUtils): Promise<string[]> {
  const q = deadWorkersQuery(LIVENESS_GRACE_MS);
  const dead = (await pool.query<{ locked_by: string }>(q.sql, q.params as unknown[])).rows.map((r) => r.locked_by);
  if (dead.length > 0) await utils.forceUnlockWorkers(dead);
  return dead;
}
