/**
 * The queue database: a PostgreSQL URL given as `--queue`. graphile-worker keeps its jobs there in
 * schema `dataflow_queue`, the fleet records are in schema `dataflow_fleet`. The password, when
 * the URL holds none, comes from the environment as for psql (PGPASSWORD, ~/.pgpass): it is never
 * in a job's payload.
 */
import pg from 'pg';
import { connectionLabel, parseConnectionString } from '../../db/connect.ts';

/** A queue URL that is not a PostgreSQL URL, or cannot be read safely. */
export class QueueUrlError extends Error {
  override name = 'QueueUrlError';
}

/** The queue URL as messages show it (no password); throws QueueUrlError for a URL that is not one. */
export function queueLabel(url: string): string {
  let target: ReturnType<typeof parseConnectionString>;
  try {
    target = parseConnectionString(url);
  } catch (e) {
    throw new QueueUrlError(`--queue: ${(e as Error).message}`);
  }
  if (target.dialect !== 'postgres')
    throw new QueueUrlError(
      '--queue: the job queue lives in PostgreSQL: give a postgres://user@host:port/database URL (the password in PGPASSWORD)',
    );
  return connectionLabel(target);
}

/** A pool of connections to the queue database; a connection's error surfaces on its next query. */
export function queuePool(url: string, max: number): pg.Pool {
  queueLabel(url);
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'dataflow-queue' });
  // A dropped connection: the pool replaces an idle one; a query in flight reports its own error.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
