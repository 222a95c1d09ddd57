import pg from 'pg';
import { DatabaseError, type Driver, type QueryResult } from '../driver.ts';
import { postgresLabel } from './url.ts';

// Return int8 and numeric as JS numbers where safe; keep exact text otherwise.
pg.types.setTypeParser(20, (v) => (Number.isSafeInteger(Number(v)) ? Number(v) : v));

/** node-postgres behind the Driver interface: one client, one session. */
export class PostgresDriver implements Driver {
  readonly dialect = 'postgres' as const;
  readonly label: string;
  private txDepth = false;

  private constructor(
    readonly client: pg.Client,
    url: string,
  ) {
    this.label = postgresLabel(url);
  }

  static async connect(url: string, config: Partial<pg.ClientConfig> = {}): Promise<PostgresDriver> {
    let client: pg.Client;
    try {
      client = new pg.Client({ connectionString: url, application_name: 'dataflow-studio', ...config });
      client.on('error', () => {
        // A dropped connection surfaces on the next query; nothing to do here.
      });
      await client.connect();
    } catch (e) {
      const err = e as Error & { code?: string };
      throw new DatabaseError(`cannot connect to ${postgresLabel(url)}: ${err.message}`, err.code);
    }
    return new PostgresDriver(client, url);
  }

  async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    try {
      const res = await this.client.query(sql, params as unknown[]);
      this.track(sql);
      return { rows: res.rows as R[], rowCount: res.command === 'SELECT' ? 0 : (res.rowCount ?? 0) };
    } catch (e) {
      this.track(sql, true);
      const err = e as Error & { code?: string };
      throw new DatabaseError(err.message, err.code);
    }
  }

  private track(sql: string, failed = false): void {
    const head = sql.trimStart().slice(0, 24).toUpperCase();
    if (!failed && (head.startsWith('BEGIN') || head.startsWith('START TRANSACTION'))) this.txDepth = true;
    else if (
      head.startsWith('COMMIT') ||
      head.startsWith('END') ||
      (head.startsWith('ROLLBACK') && !head.startsWith('ROLLBACK TO'))
    )
      this.txDepth = false;
  }

  inTransaction(): boolean {
    return this.txDepth;
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}
