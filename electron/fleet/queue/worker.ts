/**
 * `dataflow worker`: runs fleet target jobs from the queue with graphile-worker, `concurrency`
 * targets at a time, until stopped. Its liveness lock (liveness.ts) tells the other workers it is
 * alive; every few seconds it frees the jobs of dead workers so that they run again. Stopping
 * (the signal aborts) is graceful: no new job is taken, the running targets get `graceMs` to end,
 * then they are cancelled between statements and their jobs run again later (resuming their run).
 */
import { EventEmitter } from 'node:events';
import { Logger, makeWorkerUtils, run, type WorkerEvents } from 'graphile-worker';
import { QUEUE_SCHEMA } from '../../db/fleet-queue-sql.ts';
import { queueLabel, queuePool } from './connection.ts';
import { TARGET_TASK } from './jobs.ts';
import { freeDeadWorkersJobs, Liveness } from './liveness.ts';
import { targetTask } from './target-job.ts';

export interface WorkerOptions {
  queueUrl: string;
  /** Targets run at once. */
  concurrency: number;
  /** How long running targets get to end once stopping, before they are cancelled. */
  graceMs: number;
  /** Aborted to stop the worker. */
  signal: AbortSignal;
  /** The worker's log lines (started, each target ended, stopped, problems). */
  log(line: string): void;
}

/** How often a worker looks for the jobs of dead workers. */
export const SWEEP_MS = 2_000;

/** Runs the worker until `signal` aborts (resolves) or it cannot go on (rejects). */
export async function runWorker(options: WorkerOptions): Promise<void> {
  const { log } = options;
  const pool = queuePool(options.queueUrl, options.concurrency + 4);
  const lost = new AbortController();
  let liveness: Liveness | null = null;
  try {
    liveness = await Liveness.open(options.queueUrl, (e) => {
      log(`the worker lost its connection to the queue (${e.message}): stopping; its jobs run again on other workers`);
      lost.abort(e);
    });
    const utils = await makeWorkerUtils({ pgPool: pool, schema: QUEUE_SCHEMA });
    const events: WorkerEvents = new EventEmitter();
    const live = liveness;
    let poolId = '?';
    events.on('pool:create', ({ workerPool }) => {
      poolId = workerPool.id;
      void live.hold(workerPool.id).catch((e: unknown) => lost.abort(e));
    });
    events.on('job:error', ({ job, error }) => {
      log(
        `job ${job.id} (attempt ${job.attempts} of ${job.max_attempts}) failed: ${(error as Error).message ?? String(error)}`,
      );
    });
    const runner = await run({
      pgPool: pool,
      schema: QUEUE_SCHEMA,
      concurrency: options.concurrency,
      noHandleSignals: true,
      pollInterval: 1_000,
      gracefulShutdownAbortTimeout: options.graceMs,
      crontab: '',
      events,
      logger: new Logger(() => (level, message) => {
        if (level === 'error' || level === 'warning') log(`graphile-worker ${level}: ${message}`);
      }),
      taskList: { [TARGET_TASK]: targetTask({ pool, log }) },
    });
    log(`worker ${poolId} started on ${queueLabel(options.queueUrl)}: ${options.concurrency} target(s) at a time`);
    const sweep = setInterval(() => {
      freeDeadWorkersJobs(pool, utils)
        .then((dead) => {
          if (dead.length > 0) log(`freed the jobs of dead worker(s) ${dead.join(', ')}: they run again`);
        })
        .catch((e: unknown) => log(`could not look for dead workers: ${(e as Error).message}`));
    }, SWEEP_MS);
    const stop = () => void runner.stop().catch(() => {});
    options.signal.addEventListener('abort', stop, { once: true });
    lost.signal.addEventListener('abort', stop, { once: true });
    try {
      await runner.promise;
    } finally {
      clearInterval(sweep);
      options.signal.removeEventListener('abort', stop);
      await utils.release();
    }
    if (lost.signal.aborted) throw lost.signal.reason;
  } finally {
    await liveness?.close();
    await pool.end();
  }
}
