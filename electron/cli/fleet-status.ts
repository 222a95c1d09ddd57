/** `dataflow fleet status --queue <url> [fleet-id] [--json]`: an enqueued fleet's matrix. */
import { terminalJson } from '../../shared/terminal-text.ts';
import { UsageError, fleetExit, out, requireFlag, type Command } from './common.ts';

export const fleetStatusCommand: Command = {
  name: 'fleet status',
  help: `Usage: dataflow fleet status --queue <postgres URL> [fleet-id] [--json]

Shows a fleet put on the job queue with "dataflow fleet enqueue" (the newest one when no id is
given; an id may be shortened to its start): a row per target with its wave, status (pending,
running, succeeded, failed, skipped, invalid), duration and run id on the target, errors under
their row, then the totals, as "dataflow fleet run" prints them. The fleet is running while a
target waits or runs; then succeeded, failed, or stopped (with the reason).

  --queue <url>   the queue's PostgreSQL database
  --json          print the matrix as JSON on stdout

Exit codes, as "dataflow fleet run" ends: 0 the fleet succeeded, 1 it failed or stopped (or the
queue could not be read), 2 unusable input or no such fleet, 3 it is still running`,
  options: {
    queue: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [],
  optional: ['fleet-id'],
  async run([id], flags) {
    const queueUrl = requireFlag(flags, 'queue');
    const { QueueUrlError } = await import('../fleet/queue/connection.ts');
    const { readFleetStatus, FleetNotFound } = await import('../fleet/queue/status.ts');
    const { renderRunMatrix } = await import('../fleet/matrix.ts');
    try {
      const matrix = await readFleetStatus(queueUrl, id);
      out(flags.json ? terminalJson(matrix) : renderRunMatrix(matrix));
      return fleetExit(matrix.status);
    } catch (e) {
      if (e instanceof QueueUrlError || e instanceof FleetNotFound) throw new UsageError(e.message);
      throw e;
    }
  },
};
