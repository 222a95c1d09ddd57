/**
 * Opens a connection string: `sqlite:<path>` or a `postgres://` / `postgresql://` URL, and picks
 * the dialect for the server's version.
 */
import { DataflowError } from '../../shared/errors.ts';
import type { Dialect } from './dialect.ts';
import type { Driver } from './driver.ts';
import { SqliteDriver, type SqliteOpenOptions } from './sqlite/driver.ts';
import { sqliteDialect } from './sqlite/index.ts';
import { postgresLabel, postgresUrlProblem } from './postgres/url.ts';

export interface Database {
  driver: Driver;
  dialect: Dialect;
  /** The server as people name it (`SQLite 3.53.2`, `PostgreSQL 17.10`), read when it was opened. */
  serverVersion: string;
}

/** A connection string that is neither `sqlite:<path>` nor a `postgres://` URL (code `invalid_connection_string`). */
export class ConnectionStringError extends DataflowError {
  constructor(message: string) {
    super('invalid_connection_string', message);
    this.name = 'ConnectionStringError';
  }
}

/** The oldest PostgreSQL the product reads: its introspection needs `pg_attribute.attgenerated` (PostgreSQL 12). */
export const MIN_POSTGRES_VERSION_NUM = 120000;

/** A server older than the product supports (PostgreSQL before 12); the connection is closed. */
export class UnsupportedServerError extends DataflowError {
  constructor(message: string) {
    super('failed', message);
    this.name = 'UnsupportedServerError';
  }
}

/** Why the server `label` (`server_version_num` `num`, `server_version` `text`) is not supported, or null. */
export function postgresVersionProblem(num: number, text: string, label: string): string | null {
  return num > 0 && num < MIN_POSTGRES_VERSION_NUM
    ? `${label} runs PostgreSQL ${text}, older than DataFlow Studio supports (PostgreSQL 12 or newer): upgrade the server`
    : null;
}

/**
 * Reads a connection string. Its errors never quote it (it may hold a password): a PostgreSQL URL
 * that cannot be read safely is refused saying how to write the password (postgres/url.ts).
 */
export function parseConnectionString(
  conn: string,
): { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string } {
  if (conn.startsWith('sqlite:')) {
    const path = conn.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new ConnectionStringError('sqlite: needs a file path, e.g. sqlite:./demo.db');
    return { dialect: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(conn)) {
    const problem = postgresUrlProblem(conn);
    if (problem) throw new ConnectionStringError(problem);
    return { dialect: 'postgres', url: conn };
  }
  throw new ConnectionStringError(
    'not a connection string: use sqlite:<path> or postgres://user:password@host:port/database',
  );
}

/** The connection as messages and run results show it: `sqlite:<path>`, or the PostgreSQL URL without its password. */
export function connectionLabel(target: ReturnType<typeof parseConnectionString>): string {
  return target.dialect === 'sqlite' ? `sqlite:${target.path}` : postgresLabel(target.url);
}

export async function openDatabase(conn: string, options: SqliteOpenOptions = {}): Promise<Database> {
  const target = parseConnectionString(conn);
  if (target.dialect === 'sqlite') {
    const driver = new SqliteDriver(target.path, options);
    const { rows } = await driver.query<{ v: string }>('SELECT sqlite_version() AS v');
    const version = rows[0]?.v ?? '0';
    return { driver, dialect: sqliteDialect(version), serverVersion: `SQLite ${version}` };
  }
  // Loaded only for PostgreSQL: pg and PostgreSQL's parser (libpg-query) cost a SQLite command
  // tens of milliseconds to load.
  const [{ PostgresDriver }, { postgresDialect }] = await Promise.all([
    import('./postgres/driver.ts'),
    import('./postgres/index.ts'),
  ]);
  const driver = await PostgresDriver.connect(target.url);
  const { rows } = await driver.query<{ num: string; text: string }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text",
  );
  const num = Number(rows[0]?.num ?? 0);
  const unsupported = postgresVersionProblem(num, rows[0]?.text ?? '?', postgresLabel(target.url));
  if (unsupported) {
    await driver.close();
    throw new UnsupportedServerError(unsupported);
  }
  return {
    driver,
    dialect: postgresDialect(num),
    serverVersion: `PostgreSQL ${rows[0]?.text ?? '?'}`,
  };
}
