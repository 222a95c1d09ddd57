/** `dataflow worker --queue <url> [--concurrency N] [--grace <seconds>]`: runs fleet target jobs from the queue. */
import { EXIT, UsageError, err, requireFlag, type Command, type Flags } from './common.ts';

function positiveInt(flags: Flags, name: string, fallback: number, what: string): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be ${what}, 1 or more`);
  return n;
}

export const workerCommand: Command = {
  name: 'worker',
  help: `Usage: dataflow worker --queue <postgres URL> [--concurrency N] [--grace <seconds>]

Runs the jobs of the fleets put on the job queue with "dataflow fleet enqueue" (docs/fleet.md,
"On a job queue"): each job applies the fleet's workflow to one target as "dataflow run" does
(migration lock, preflight, safety review, drift check, the run recorded on the target). Start
as many workers as you like, on any machines that reach the queue and the targets; each prints a
line per target it ends on stderr.

  --queue <url>        the queue's PostgreSQL database (postgres://user@host:port/database; the
                       password in PGPASSWORD or ~/.pgpass); targets' passwords come from the
                       variable each target's "password_env" names, or PGPASSWORD
  --concurrency <n>    targets this worker runs at once (default 1)
  --grace <seconds>    when stopped, how long running targets get to end before they are
                       cancelled between statements (default 30); a cancelled target's job runs
                       again later and resumes its run

SIGTERM or Ctrl-C stops the worker gracefully: it takes no new job and waits for the running
targets (up to --grace); a second signal exits at once. A worker that dies (kill -9, a lost
machine) leaves its jobs locked only until another worker notices (within seconds): they run
again, and the target's own run records make the retry safe: a run that completed is not
applied twice, one that stopped part-way is resumed.

Exit codes: 0 stopped, 1 the queue could not be used, 2 unusable input`,
  options: {
    queue: { type: 'string' },
    concurrency: { type: 'string' },
    grace: { type: 'string' },
  },
  positionals: [],
  async run(_positionals, flags) {
    const queueUrl = requireFlag(flags, 'queue');
    const concurrency = positiveInt(flags, 'concurrency', 1, 'a whole number of targets');
    const graceMs = positiveInt(flags, 'grace', 30, 'a whole number of seconds') * 1000;
    const { queueLabel, QueueUrlError } = await import('../fleet/queue/connection.ts');
    try {
      queueLabel(queueUrl);
    } catch (e) {
      if (e instanceof QueueUrlError) throw new UsageError(e.message);
      throw e;
    }
    const { runWorker } = await import('../fleet/queue/worker.ts');
    const stop = new AbortController();
    const onSignal = () => {
      if (stop.signal.aborted) process.exit(EXIT.cancelled);
      err('stopping: no new jobs; waiting for the running targets (a second signal exits at once)');
      stop.abort();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    try {
      await runWorker({ queueUrl, concurrency, graceMs, signal: stop.signal, log: (line) => err(line) });
      err('worker stopped');
      return EXIT.ok;
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  },
};
