/**
 * The app without a window: the store, the secrets, the run workers and the complete handler
 * table. Electron's main process and the web host each create one and serve its table.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SavedConnection } from '../../shared/ipc.ts';
import { terminalText } from '../../shared/terminal-text.ts';
import { SecretStore } from '../store/secrets.ts';
import { AppStore, type StoredConnection } from '../store/store.ts';
import { targetFor, type DbTarget } from '../worker/targets.ts';
import { registerAppHandlers } from './handlers/app.ts';
import { registerCatalogHandlers } from './handlers/catalog.ts';
import { registerConnectionHandlers } from './handlers/connections.ts';
import { registerDemoHandlers } from './handlers/demo.ts';
import { registerFilesHandlers } from './handlers/files.ts';
import { registerHistoryHandlers } from './handlers/history.ts';
import { FleetRuns } from './fleet-runs.ts';
import { registerFleetHandlers } from './handlers/fleet.ts';
import { registerLintHandlers } from './handlers/lint.ts';
import { registerRollbackHandlers } from './handlers/rollback.ts';
import { registerRunHandlers } from './handlers/run.ts';
import { registerSchemaHandlers } from './handlers/schema.ts';
import { registerSecretHandlers } from './handlers/secrets.ts';
import { registerWindowHandlers } from './handlers/window.ts';
import { registerSettingsHandlers } from './handlers/settings.ts';
import { registerWorkflowHandlers } from './handlers/workflow.ts';
import { HandlerTable, IpcFailure, type IpcSender } from './ipc-table.ts';
import type { PathRoots } from './paths.ts';
import type { Platform } from './platform.ts';
import { Planners } from './planners.ts';
import { RunManager } from './run-manager.ts';
import { CodeTrust } from './code-trust.ts';

export interface CoreOptions {
  /** The app's data folder (store.db, secrets.json, demo.db). */
  dataDir: string;
  platform: Platform;
  examplesDir: string;
  /** Where the app is installed (its code and assets): no workflow is saved in it. */
  appDir: string;
  homeDir: string;
  version: string;
  /** Whether a sender may call at all (the main window's frame; an authenticated socket). */
  trusts(sender: IpcSender): boolean;
  /** better-sqlite3 binding for Electron's ABI; absent on Node. */
  nativeBinding?: string;
  workerEntry?: URL;
  /** Orders in the demo database created on first start (default: createDemoDatabase's). */
  demoRows?: number;
}

/** The demo connection's id: stable, so the renderer and tests can name it. */
export const DEMO_CONNECTION_ID = 'demo';
export const DEMO_INITIALIZED_SETTING = 'demo.initialized';

export interface AppContext {
  options: CoreOptions;
  store: AppStore;
  secrets: SecretStore;
  runs: RunManager;
  /** The editor's fleets in flight, one worker each. */
  fleets: FleetRuns;
  /** The warm planners, one per connection: the editor's plans, reviews and schema reads. */
  planners: Planners;
  /** The user's confirmations of workflow code, per file (code-trust.ts). */
  codeTrust: CodeTrust;
  /** Settles once the first start's demo database is there (or could not be made). */
  ready: Promise<void>;
  /** The saved connection `id`, or a failure naming `field`. */
  connection(id: string, field: string): StoredConnection;
  saved(conn: StoredConnection): SavedConnection;
  /** Where to connect, with the kept password unless one is given. */
  target(conn: StoredConnection, password?: string): DbTarget;
  roots(): PathRoots;
  demoPath(): string;
}

export interface AppCore {
  table: HandlerTable;
  context: AppContext;
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): AppCore {
  const store = new AppStore(options.dataDir, { nativeBinding: options.nativeBinding });
  const secrets = new SecretStore(options.dataDir, options.platform.secrets, store);
  const planners = new Planners({ nativeBinding: options.nativeBinding });
  const runs = new RunManager({
    store,
    nativeBinding: options.nativeBinding,
    workerEntry: options.workerEntry,
    changed: (connectionId) => planners.forget(connectionId),
  });
  const fleets = new FleetRuns({ nativeBinding: options.nativeBinding, workerEntry: options.workerEntry });
  const context: AppContext = {
    options,
    store,
    secrets,
    runs,
    fleets,
    planners,
    codeTrust: new CodeTrust(),
    ready: Promise.resolve(),
    connection(id, field) {
      const conn = store.getConnection(id);
      if (!conn) throw new IpcFailure(`there is no saved connection "${id}"; pick one from the connection list`, field);
      return conn;
    },
    saved(conn) {
      const kept = conn.kind === 'postgres' ? secrets.kept(conn.id) : null;
      return { ...conn, hasSecret: kept !== null, secretKept: kept };
    },
    target(conn, password) {
      return targetFor(conn, conn.kind === 'postgres' ? (password ?? secrets.get(conn.id)) : null);
    },
    roots: () => ({
      homeDir: options.homeDir,
      appFolders: [
        { path: options.examplesDir, what: 'the example workflows folder' },
        { path: options.dataDir, what: "the app's data folder" },
        { path: options.appDir, what: "the app's install folder" },
      ],
    }),
    demoPath: () => join(options.dataDir, 'demo.db'),
  };
  context.ready = ensureDemo(context);

  const table = new HandlerTable(options.trusts);
  registerAppHandlers(table, context);
  registerWindowHandlers(table, context);
  registerSettingsHandlers(table, context);
  registerCatalogHandlers(table);
  registerWorkflowHandlers(table, context);
  registerFilesHandlers(table, context);
  registerConnectionHandlers(table, context);
  registerSecretHandlers(table, context);
  registerSchemaHandlers(table, context);
  registerRunHandlers(table, context);
  registerRollbackHandlers(table, context);
  registerLintHandlers(table, context);
  registerHistoryHandlers(table, context);
  registerFleetHandlers(table, context);
  registerDemoHandlers(table, context);
  const missing = table.missing();
  if (missing.length > 0) throw new Error(`no handler for the IPC channel(s) ${missing.join(', ')}`);

  return {
    table,
    context,
    async close() {
      await context.ready;
      await runs.stopAll();
      await fleets.stopAll();
      await planners.stopAll();
      store.close();
    },
  };
}

/** Saves the demo connection (first in every list). */
export function saveDemoConnection(context: AppContext): StoredConnection {
  return context.store.saveConnection(
    {
      id: DEMO_CONNECTION_ID,
      name: 'Demo database',
      kind: 'sqlite',
      path: context.demoPath(),
      readOnly: false,
      environment: { kind: 'development' },
    },
    { demo: true },
  );
}

/**
 * First start: creates `demo.db` in the data folder and offers it as a connection. Runs once; a
 * user who deletes the demo connection later keeps it deleted (demo.create brings it back).
 */
async function ensureDemo(context: AppContext): Promise<void> {
  const { store } = context;
  if (store.getSetting<boolean>(DEMO_INITIALIZED_SETTING)) return;
  try {
    if (!existsSync(context.demoPath())) {
      await context.runs.demo(
        { kind: 'sqlite', path: context.demoPath(), label: `sqlite:${context.demoPath()}` },
        context.options.demoRows,
        false,
      );
    }
    saveDemoConnection(context);
    store.setSetting(DEMO_INITIALIZED_SETTING, true);
  } catch (e) {
    process.stderr.write(
      `${terminalText(`DataFlow Studio: could not create the demo database in ${context.demoPath()}: ${(e as Error).message}`)}\n`,
    );
  }
}
