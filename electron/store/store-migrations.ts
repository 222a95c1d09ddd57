/**
 * The schema migrations of the app's own database (store.db), not the migrations a workflow
 * records in a target database (those are in electron/db/). `schema_version` holds one row per
 * applied migration; migrations are an ordered list, each applied once, in its own transaction,
 * in order. A database written by a newer app (a version this list does not reach) is refused,
 * not guessed at.
 */
import type BetterSqlite3 from 'better-sqlite3';

export interface StoreMigration {
  version: number;
  description: string;
  sql: string;
}

/** The app database's migrations, oldest first. Append only: never edit a released one. */
export const STORE_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 1,
    description: 'connections, recent files, settings',
    sql: `
      CREATE TABLE connections (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('sqlite', 'postgres')),
        config TEXT NOT NULL,
        demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE recent_files (
        path TEXT PRIMARY KEY,
        opened_at TEXT NOT NULL
      );
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );`,
  },
  {
    version: 2,
    description: 'run history',
    sql: `
      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        workflow TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('plan', 'rehearse', 'apply')),
        connection_id TEXT,
        connection TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'cancelled')),
        started_at TEXT NOT NULL,
        duration_ms REAL NOT NULL,
        file_path TEXT,
        result TEXT NOT NULL
      );
      CREATE INDEX runs_started_at ON runs (started_at DESC);`,
  },
  {
    version: 3,
    description: 'connection environments',
    sql: `
      ALTER TABLE connections ADD COLUMN environment TEXT
        CHECK (environment IN ('development', 'staging', 'production', 'custom'));
      ALTER TABLE connections ADD COLUMN environment_label TEXT
        CHECK ((environment = 'custom') = (environment_label IS NOT NULL));
      ALTER TABLE connections ADD COLUMN environment_color TEXT
        CHECK ((environment = 'custom') = (environment_color IS NOT NULL));
      UPDATE connections SET environment = 'development' WHERE demo = 1;`,
  },
  {
    version: 4,
    description: 'run records: per-node statements and schema snapshots',
    sql: `
      CREATE TABLE run_nodes (
        run_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        status TEXT NOT NULL,
        statements TEXT NOT NULL,
        schema_before TEXT,
        schema_after TEXT,
        PRIMARY KEY (run_id, node_id)
      );
      CREATE TABLE schema_snapshots (
        hash TEXT PRIMARY KEY,
        data TEXT NOT NULL
      );`,
  },
  {
    version: 5,
    description: 'fleet runs and their targets',
    sql: `
      CREATE TABLE fleet_runs (
        fleet_id TEXT PRIMARY KEY,
        workflow TEXT NOT NULL,
        file_path TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'stopped', 'cancelled')),
        stop_reason TEXT,
        started_at TEXT NOT NULL,
        options TEXT NOT NULL
      );
      CREATE INDEX fleet_runs_started_at ON fleet_runs (started_at DESC);
      CREATE TABLE fleet_targets (
        fleet_id TEXT NOT NULL REFERENCES fleet_runs (fleet_id),
        position INTEGER NOT NULL,
        label TEXT NOT NULL,
        connection TEXT NOT NULL,
        wave INTEGER,
        status TEXT NOT NULL,
        run_id TEXT,
        error TEXT,
        started_at TEXT,
        duration_ms REAL,
        PRIMARY KEY (fleet_id, label)
      );`,
  },
];

/** The database was written by a newer version of the app. */
export class StoreVersionError extends Error {
  override name = 'StoreVersionError';
}

export function storeVersion(db: BetterSqlite3.Database): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!exists) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

/** Applies the migrations not yet applied; returns the versions applied now. */
export function migrateStore(
  db: BetterSqlite3.Database,
  migrations: readonly StoreMigration[] = STORE_MIGRATIONS,
): number[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const current = storeVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new StoreVersionError(
      `the app database is at version ${current}, written by a newer DataFlow Studio; this one knows versions up to ${latest}. Update the app, or point DATAFLOW_HOME at another folder.`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.description,
        new Date().toISOString(),
      );
    })();
    applied.push(m.version);
  }
  return applied;
}
