import Database from 'better-sqlite3';
import { DatabaseError, type Driver, type QueryResult } from '../driver.ts';

function bindable(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v !== null && typeof v === 'object' && !(v instanceof Buffer)) return JSON.stringify(v);
  return v;
}

/** Options for opening a SQLite file. */
export interface SqliteOpenOptions {
  readonly?: boolean;
  /** Milliseconds a statement waits for another writer before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Path of a better-sqlite3 native binding built for another ABI (Electron). */
  nativeBinding?: string;
}

/**
 * better-sqlite3 behind the async Driver interface. Foreign keys are left OFF on our connection
 * (SQLite's own default), so that the table rebuild can drop and rename; every rebuild and every
 * foreign key the planner adds is checked with PRAGMA foreign_key_check instead.
 */
export class SqliteDriver implements Driver {
  readonly dialect = 'sqlite' as const;
  readonly label: string;
  readonly db: Database.Database;

  constructor(
    readonly path: string,
    options: SqliteOpenOptions = {},
  ) {
    this.label = `sqlite:${path}`;
    this.db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      nativeBinding: options.nativeBinding,
    });
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    this.db.pragma('foreign_keys = OFF');
    // The journal mode is the database file's own setting (WAL persists in the file): a schema
    // tool leaves it as the user's application chose it.
  }

  async query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return this.querySync<R>(sql, params);
  }

  /** Synchronous form, for code that already runs off the UI thread (worker, CLI). */
  querySync<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): QueryResult<R> {
    try {
      const stmt = this.db.prepare(sql);
      const args = params.map(bindable);
      if (stmt.reader) return { rows: stmt.all(...args) as R[], rowCount: 0 };
      const info = stmt.run(...args);
      return { rows: [], rowCount: info.changes };
    } catch (e) {
      const err = e as Error & { code?: string };
      throw new DatabaseError(err.message, err.code);
    }
  }

  inTransaction(): boolean {
    return this.db.inTransaction;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
