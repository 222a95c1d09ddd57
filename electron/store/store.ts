/**
 * The app's own database (`store.db` in the data folder): saved connections (never their
 * secrets), recent files, run history and settings. better-sqlite3, synchronous: every call is a
 * few rows on a local file.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { connectionSchema, type RunSummary } from '../../shared/ipc.ts';
import type { ExecutedStep, NodeStatus, RunResult } from '../../shared/run.ts';
import { rollbacksOf } from '../../shared/run-state.ts';
import type { Schema } from '../../shared/schema.ts';
import { decodeSnapshot } from '../db/schema-snapshot.ts';
import type { Environment, EnvironmentKind } from '../../shared/environment.ts';
import { migrateStore } from './store-migrations.ts';

type ConnectionFields = ReturnType<typeof connectionSchema.parse>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A connection as stored: the validated fields, its id, whether it is the demo one, its environment (null: not set). */
export type StoredConnection = DistributiveOmit<ConnectionFields, 'environment'> & {
  id: string;
  demo: boolean;
  environment: Environment | null;
};

export interface StoreOptions {
  /** better-sqlite3 native binding built for Electron's ABI (see electron/main/native-binding.ts). */
  nativeBinding?: string;
}

export const RECENT_LIMIT = 10;

interface ConnectionRow {
  id: string;
  config: string;
  demo: number;
  environment: EnvironmentKind | null;
  environment_label: string | null;
  environment_color: string | null;
}

const CONNECTION_COLUMNS = 'id, config, demo, environment, environment_label, environment_color';

interface RunRow {
  run_id: string;
  workflow: string;
  mode: RunSummary['mode'];
  connection: string;
  status: RunSummary['status'];
  started_at: string;
  duration_ms: number;
  file_path: string | null;
  connection_id: string | null;
  applied: number;
  recorded: number;
}

/** One node of a run as the store records it; schemas are snapshot hashes (`AppStore.snapshot`). */
export interface StoredRunNode {
  nodeId: string;
  position: number;
  status: NodeStatus;
  statements: ExecutedStep[];
  schemaBefore: string | null;
  schemaAfter: string | null;
}

export class AppStore {
  readonly db: Database.Database;

  constructor(
    readonly dir: string,
    options: StoreOptions = {},
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.db = new Database(join(dir, 'store.db'), { nativeBinding: options.nativeBinding });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    migrateStore(this.db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  listConnections(): StoredConnection[] {
    const rows = this.db
      .prepare(`SELECT ${CONNECTION_COLUMNS} FROM connections ORDER BY demo DESC, name COLLATE NOCASE, created_at`)
      .all() as ConnectionRow[];
    return rows.map(toConnection);
  }

  getConnection(id: string): StoredConnection | null {
    const row = this.db.prepare(`SELECT ${CONNECTION_COLUMNS} FROM connections WHERE id = ?`).get(id) as
      ConnectionRow | undefined;
    return row ? toConnection(row) : null;
  }

  /**
   * Inserts (no id, or an id not stored yet) or updates; answers the stored connection. Without an
   * environment, a new connection has none and an updated one keeps its own.
   */
  saveConnection(input: ConnectionFields, options: { demo?: boolean } = {}): StoredConnection {
    const { id: given, environment: givenEnvironment, ...config } = input;
    const now = new Date().toISOString();
    const id = given ?? randomUUID();
    const existing = this.getConnection(id);
    const demo = options.demo ?? existing?.demo ?? false;
    const env = givenEnvironment ?? existing?.environment ?? null;
    const envColumns = [
      env?.kind ?? null,
      env?.kind === 'custom' ? env.label : null,
      env?.kind === 'custom' ? env.color : null,
    ];
    if (existing) {
      this.db
        .prepare(
          'UPDATE connections SET name = ?, kind = ?, config = ?, demo = ?, environment = ?, environment_label = ?, environment_color = ?, updated_at = ? WHERE id = ?',
        )
        .run(config.name, config.kind, JSON.stringify(config), demo ? 1 : 0, ...envColumns, now, id);
    } else {
      this.db
        .prepare(
          'INSERT INTO connections (id, name, kind, config, demo, environment, environment_label, environment_color, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, config.name, config.kind, JSON.stringify(config), demo ? 1 : 0, ...envColumns, now, now);
    }
    return this.getConnection(id)!;
  }

  deleteConnection(id: string): boolean {
    return this.db.prepare('DELETE FROM connections WHERE id = ?').run(id).changes > 0;
  }

  /** Moves `path` to the top of the recent files, keeping the newest RECENT_LIMIT. */
  touchRecent(path: string): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO recent_files (path, opened_at) VALUES (?, ?) ON CONFLICT (path) DO UPDATE SET opened_at = excluded.opened_at',
        )
        .run(path, new Date().toISOString());
      this.db
        .prepare(
          'DELETE FROM recent_files WHERE path NOT IN (SELECT path FROM recent_files ORDER BY opened_at DESC LIMIT ?)',
        )
        .run(RECENT_LIMIT);
    })();
  }

  recentFiles(): { path: string; openedAt: string }[] {
    return (
      this.db.prepare('SELECT path, opened_at FROM recent_files ORDER BY opened_at DESC').all() as {
        path: string;
        opened_at: string;
      }[]
    ).map((r) => ({ path: r.path, openedAt: r.opened_at }));
  }

  /**
   * Records a finished run: summary columns plus the whole result as JSON, a row per node (status,
   * statements, schema hashes) and the schema snapshots (hash -> encoded) the nodes name that are
   * not stored yet, in one transaction.
   */
  addRun(
    result: RunResult,
    meta: { connectionId: string | null; connectionName: string; filePath: string | null },
    snapshots: Readonly<Record<string, string>> = {},
  ): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT OR REPLACE INTO runs (run_id, workflow, mode, connection_id, connection, status, started_at, duration_ms, file_path, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          result.runId,
          result.workflow,
          result.mode,
          meta.connectionId,
          meta.connectionName,
          result.status,
          result.startedAt,
          result.durationMs,
          meta.filePath,
          JSON.stringify(result),
        );
      this.db.prepare('DELETE FROM run_nodes WHERE run_id = ?').run(result.runId);
      const node = this.db.prepare(
        'INSERT INTO run_nodes (run_id, node_id, position, status, statements, schema_before, schema_after) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      result.order.forEach((id, position) => {
        const r = result.nodes[id];
        if (!r) return;
        node.run(
          result.runId,
          id,
          position,
          r.status,
          JSON.stringify(r.sql),
          r.schemaBefore ?? null,
          r.schemaAfter ?? null,
        );
      });
      const snapshot = this.db.prepare('INSERT OR IGNORE INTO schema_snapshots (hash, data) VALUES (?, ?)');
      for (const [hash, data] of Object.entries(snapshots)) snapshot.run(hash, data);
    })();
  }

  /** The nodes of a recorded run in run order (empty for an unknown run). */
  runNodes(runId: string): StoredRunNode[] {
    const rows = this.db
      .prepare(
        'SELECT node_id, position, status, statements, schema_before, schema_after FROM run_nodes WHERE run_id = ? ORDER BY position',
      )
      .all(runId) as {
      node_id: string;
      position: number;
      status: NodeStatus;
      statements: string;
      schema_before: string | null;
      schema_after: string | null;
    }[];
    return rows.map((r) => ({
      nodeId: r.node_id,
      position: r.position,
      status: r.status,
      statements: JSON.parse(r.statements) as ExecutedStep[],
      schemaBefore: r.schema_before,
      schemaAfter: r.schema_after,
    }));
  }

  /** A stored schema snapshot by hash, or null. */
  snapshot(hash: string): Schema | null {
    const row = this.db.prepare('SELECT data FROM schema_snapshots WHERE hash = ?').get(hash) as
      { data: string } | undefined;
    return row ? decodeSnapshot(row.data) : null;
  }

  /**
   * The newest runs, from the run rows and their node rows only (no result is read): an apply that
   * stopped after a node executed a statement is `partially applied`; one whose nodes recorded a
   * schema before them ran in its nodes, so it can be resumed (shared/run-state.ts).
   */
  listRuns(limit: number): RunSummary[] {
    const rows = this.db
      .prepare(
        `SELECT r.run_id, r.workflow, r.mode, r.connection, r.status, r.started_at, r.duration_ms, r.file_path, r.connection_id,
           CASE WHEN r.mode = 'apply' AND r.status <> 'succeeded' THEN EXISTS (SELECT 1 FROM run_nodes n
             WHERE n.run_id = r.run_id AND n.status = 'succeeded' AND n.statements <> '[]') ELSE 0 END AS applied,
           CASE WHEN r.mode = 'apply' AND r.status <> 'succeeded' THEN EXISTS (SELECT 1 FROM run_nodes n
             WHERE n.run_id = r.run_id AND n.schema_before IS NOT NULL) ELSE 0 END AS recorded
         FROM runs r ORDER BY r.started_at DESC, r.rowid DESC LIMIT ?`,
      )
      .all(limit) as RunRow[];
    // A rollback starts after the run it reverses, so it is among the newest runs whenever that run is.
    const applies = rows.filter((r) => r.mode === 'apply');
    const rollbacks = rollbacksOf(
      applies.map((r) => ({ runId: r.run_id, workflow: r.workflow, status: r.status, startedAt: r.started_at })),
    );
    return rows.map((r) => ({
      runId: r.run_id,
      workflow: r.workflow,
      mode: r.mode,
      connection: r.connection,
      status: r.status,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
      filePath: r.file_path,
      connectionId: r.connection_id,
      state: r.applied === 1 ? 'partially applied' : r.status,
      resumable: r.recorded === 1,
      rolledBackBy: rollbacks.get(r.run_id)?.runId ?? null,
    }));
  }

  getRun(runId: string): RunResult | null {
    const row = this.db.prepare('SELECT result FROM runs WHERE run_id = ?').get(runId) as
      { result: string } | undefined;
    return row ? (JSON.parse(row.result) as RunResult) : null;
  }

  getSetting<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  setSetting(key: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }
}

function toConnection(row: ConnectionRow): StoredConnection {
  return {
    ...connectionSchema.parse(JSON.parse(row.config)),
    id: row.id,
    demo: row.demo === 1,
    environment: environmentOf(row),
  };
}

/** The table's CHECKs keep the label and colour present exactly for `custom`. */
function environmentOf(row: ConnectionRow): Environment | null {
  if (row.environment === null) return null;
  if (row.environment === 'custom')
    return { kind: 'custom', label: row.environment_label!, color: row.environment_color! };
  return { kind: row.environment };
}
