/**
 * The one IPC contract between the renderer and the main process (VS Code / Bruno style): every
 * request channel has a zod schema for its payload and a TypeScript type for its answer; events
 * flow main -> renderer on the `event` channel. The preload exposes exactly `invoke(channel,
 * payload)` and `on(listener)` for this namespace; the Electron handlers and the web host serve the
 * same handler table, and both validate every payload with these schemas.
 *
 * In Electron the bridge is `window.dataflowBridge` (a `Bridge`, exposed by the preload with
 * contextBridge). A failed `invoke` rejects with the IpcError itself (plain data: `message`,
 * `code`, `field`; contextBridge would strip those from an Error), and so should the WebSocket
 * client, so that callers see the same thing in both modes.
 *
 * ## The WebSocket protocol (browser mode, served by electron/host)
 * The page is served at `http://127.0.0.1:<port>/?token=<token>`; the client connects a WebSocket
 * to `ws://127.0.0.1:<port>/ipc?token=<token>` (same origin as the page, `WS_PATH`). Every frame
 * is one JSON text message.
 * - Request, client -> server: `{"id": <number>, "channel": "<channel>", "payload": {...}}`
 *   (`WsRequest`). `id` is chosen by the client, unique among its pending requests.
 * - Answer, server -> client, exactly one per request, in any order:
 *   `{"id": <same>, "ok": true, "result": <Responses[channel]>}` or
 *   `{"id": <same>, "ok": false, "error": <IpcError>}` (`WsAnswer`).
 *   A frame that is not such a request object (not JSON, no numeric `id`, no string `channel`)
 *   is answered `{"id": null, "ok": false, "error": {"code": "invalid_payload", ...}}`.
 * - Event, server -> client, at any time: `{"event": <AppEvent>}` (`WsEventFrame`). Run events
 *   go to the socket that started the run.
 * A request without the right token (HTTP 401) or from another Host/Origin (HTTP 403) is refused
 * before the upgrade; the server never sends anything else.
 */
import * as z from 'zod';
import type { ErrorData } from './errors.ts';
import { uiSettingsSchema, type UiSettings } from './ui-settings.ts';
import type { LintReport } from './lint/finding.ts';
import type { LintWaiver } from './lint/waiver.ts';
import { isLintCode } from './lint/rules.ts';
import type { NodeDescription } from './nodes/description.ts';
import type { Schema } from './schema.ts';
import type { RunEvent, RunResult, RunStatus } from './run.ts';
import type { RunState } from './run-state.ts';
import type { EditedNode } from './drift.ts';
import { environmentSchema, type Environment } from './environment.ts';
import type { FleetSummary, FleetTargetInfo, FleetUiEvent, InvalidTarget, PlanMatrix, RunMatrix } from './fleet.ts';

/** Electron channel prefix: `dataflow:<channel>`; nothing else is bridged. */
export const IPC_NAMESPACE = 'dataflow';
/** The single main -> renderer event channel. */
export const IPC_EVENT_CHANNEL = `${IPC_NAMESPACE}:event`;
/** Name of the preload bridge on `window`. */
export const BRIDGE_GLOBAL = 'dataflowBridge';
/** Path of the web host's WebSocket endpoint. */
export const WS_PATH = '/ipc';

const id = z.string().min(1).max(200);
const filePath = z.string().min(1).max(4096);
/** A saved connection's tags (`eu`, `tenant-db`...): the fleet panel picks targets by them. */
const connectionTags = z.array(z.string().trim().min(1).max(40)).max(20);

/**
 * A saved connection, without its secret. `environment` absent: a new connection has none set, an
 * updated one keeps its own.
 */
export const connectionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      id: id.optional(),
      name: z.string().min(1).max(200),
      kind: z.literal('sqlite'),
      path: filePath,
      readOnly: z.boolean().default(false),
      environment: environmentSchema.optional(),
      tags: connectionTags.optional(),
    })
    .strict(),
  z
    .object({
      id: id.optional(),
      name: z.string().min(1).max(200),
      kind: z.literal('postgres'),
      host: z.string().min(1).max(255),
      port: z.number().int().min(1).max(65535).default(5432),
      database: z.string().min(1).max(63),
      user: z.string().min(1).max(63),
      sslMode: z.enum(['disable', 'prefer', 'require', 'verify-full']).default('prefer'),
      readOnly: z.boolean().default(false),
      environment: environmentSchema.optional(),
      tags: connectionTags.optional(),
    })
    .strict(),
]);
export type ConnectionInput = z.input<typeof connectionSchema>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type SavedConnection = DistributiveOmit<z.output<typeof connectionSchema>, 'environment'> & {
  id: string;
  /** development, staging, production or a label of the user's; null for one saved before environments existed. */
  environment: Environment | null;
  /** True for the demo database the app creates on first start. */
  demo: boolean;
  /** True when a password is available for it, stored or for this session (never the password itself). */
  hasSecret: boolean;
  /** Where its password is kept: `stored` (encrypted on disk), `session` (memory, until the app quits), or null (none). */
  secretKept: 'stored' | 'session' | null;
};

/** How secrets can be kept on this machine (Electron safeStorage's backend). */
export interface SecretsStatus {
  /** `os`: an OS secret store encrypts them; `basic_text`: only obfuscated; `none`: not available (web host). */
  backend: 'os' | 'basic_text' | 'none';
  /** Whether the user agreed to store secrets with a weak backend. */
  weakStorageAccepted: boolean;
}

/** A node type as the palette and inspector see it: its description without the zod schema and the subtitle function. */
export type CatalogEntry = Omit<NodeDescription, 'params' | 'subtitle'>;

/** A run in the history list: the head of its RunResult, and the workflow file it came from. */
export type RunSummary = Pick<RunResult, 'runId' | 'workflow' | 'mode' | 'connection' | 'startedAt'> & {
  /** The run's status; `running` only for an apply another process is running (recordedBy). */
  status: RunStatus | 'running';
  /** Null while it runs. */
  durationMs: number | null;
  filePath: string | null;
  /** The saved connection the run was on (null when it was deleted since). */
  connectionId: string | null;
  /**
   * The status, or `partially applied` (shared/run-state.ts); a database's record may also say
   * `running`, or `interrupted` for a run whose process is gone having applied nothing.
   */
  state: RunState | 'running' | 'interrupted';
  /** An apply that stopped in its nodes: Resume continues it (shared/run-state.ts `resumable`). */
  resumable: boolean;
  /** The apply that rolled this run back (shared/run-state.ts `rollbacksOf`), or null. */
  rolledBackBy: string | null;
  /**
   * Set on an apply known only from the database's run record (run by the `dataflow` CLI, on
   * another machine or by a colleague): who ran it and where. The editor keeps no result of it.
   */
  recordedBy?: { appliedBy: string | null; host: string | null };
  /**
   * From the database's run record: the run that resumed this one (its record closed by that
   * resume when its process died), and the run this one resumed.
   */
  continuedBy?: string | null;
  continues?: string | null;
};

/**
 * The reverse of a recorded apply (`rollback.plan`, electron/engine/rollback.ts): the rollback
 * workflow as text (rehearse or apply it with `run.start`, giving `waivers`), its plan on the
 * connection, and the migrations it records `rolled_back`.
 */
export interface RollbackPlan {
  runId: string;
  /** The rolled-back run's workflow name, state and start. */
  workflow: string;
  state: string;
  startedAt: string;
  text: string;
  migrations: string[];
  /** The drops of what the run added, which the safety review flags and the rollback accepts. */
  waivers: LintWaiver[];
  plan: RunResult;
}

/**
 * What resuming a recorded run would do (`run.resumeCheck`): the nodes it completed, not run
 * again, and the nodes edited, added or removed since it ran (the resume is refused while there
 * are any, unless forced).
 */
export interface ResumeCheck {
  runId: string;
  /** The run's state as `dataflow runs` lists it (`partially applied`, `failed`, `cancelled`, `interrupted`). */
  state: string;
  workflow: string;
  startedAt: string;
  done: string[];
  changed: EditedNode[];
}

export interface ImportProblem {
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
}

const runMode = z.enum(['plan', 'rehearse', 'apply']);
/** Part of a workflow to run (shared/run.ts RunSubset). */
const runSubset = z.union([
  z.object({ from: id }).strict(),
  z.object({ only: z.array(id).min(1).max(100_000) }).strict(),
]);
/** The user's acceptance of an error-level finding of the safety review (shared/lint/waiver.ts). */
const lintWaiver = z
  .object({
    code: z.string().refine(isLintCode, 'is not a rule code of docs/lint.md'),
    node: id.optional(),
    reason: z.string().trim().min(1, 'give the reason the finding is accepted').max(2000),
  })
  .strict();
/** A workflow travels as its JSON text, validated on the other side by shared/workflow.ts. */
const workflowText = z.string().min(2).max(20_000_000);
/** A fleet's targets (shared/fleet.ts FleetTargetsChoice). */
const fleetTargets = z.union([
  z.object({ connectionIds: z.array(id).min(1).max(10_000) }).strict(),
  z.object({ file: filePath }).strict(),
]);

/**
 * Request payload schemas, one per channel.
 * - `workflow.open`: without `path`, a file dialog (Electron); with `path` (Open Recent, examples,
 *   and always in browser mode, where the host's file dialog of `files.list` chooses it) an
 *   absolute `.json` path, symlinks resolved; only a workflow document is read back. Answers null
 *   when the dialog is cancelled.
 * - `workflow.save`: writes `text` to `path`, or asks with a dialog when `path` is absent or
 *   `saveAs` is true (browser mode: `path` is required). Never into the app's own folders (its
 *   install, the examples, the data folder) nor over a file that is not a workflow document.
 *   Null when cancelled.
 * - `files.list`: a folder's subfolders and `.json` files (hidden ones left out), symlinks
 *   resolved; without `path`, the home folder. With the places the dialog offers: home, the
 *   examples, the folders of the recent files.
 * - `files.mkdir`: creates the folder `name` in `parent` (not in one of the app's own folders).
 * - `connections.list`: the demo database first (id `demo`, created on first start), then by name.
 * - `connections.save`: `connection.id` absent creates, present updates. `password` given:
 *   kept encrypted on disk when `storePassword` and the machine can (see `secrets.status`),
 *   otherwise in memory for this session; `''` removes the kept one; absent: the kept password
 *   stays. SQLite paths must be absolute.
 * - `run.start`: refused for mode `apply` on a read-only connection. Events follow as AppEvents
 *   `{type: 'run'}`; the result lands in the history before `run_finished` is sent. `subset`
 *   runs part of the workflow (from a node on, or only some nodes), with the same preflight.
 *   Code nodes run only when the host holds the user's confirmation for this file and this code
 *   (`run.trust`); a request cannot carry trust itself. An apply lints first (docs/lint.md,
 *   "Before apply") with the dataflow.lint.json next to `filePath`, and is refused
 *   (`lint_refused` in the result) while an error-level finding stands that no `waivers` covers.
 * - `lint.workflow`: the safety review of `text` planned on the connection (nothing written),
 *   with the dataflow.lint.json next to `filePath` (its path in the report's `config`).
 * - `run.trusted`: whether the host holds that confirmation for `text` in `filePath` (absent: an
 *   unsaved document); always true for a workflow without code nodes.
 * - `run.trust`: records the confirmation the user just gave for the code of `text` in
 *   `filePath`, for this host's lifetime; code changed afterwards needs a new one.
 * - `demo.create`: `sqlite` (re)creates the demo database file in the app's data folder and
 *   answers its connection; `postgres` creates the demo tables in the saved PostgreSQL connection
 *   `connectionId` (refused when they exist unless `force`).
 * - `run.start` with `resume` (apply only): the worker checks the run again (electron/engine/resume.ts)
 *   and continues it; the result carries `resumed`.
 * - `window.setDocumentState`: the renderer reports the open document's title and dirty state;
 *   the window title shows them and closing a dirty document asks first.
 * - `settings.ui` / `settings.saveUi`: the editor's theme, panel sizes and minimap
 *   (shared/ui-settings.ts), kept in store.db; a save replaces what was stored.
 */
export const requests = {
  'app.info': z.object({}).strict(),
  'catalog.list': z.object({}).strict(),
  'workflow.open': z.object({ path: filePath.optional() }).strict(),
  'workflow.save': z
    .object({ path: filePath.optional(), text: workflowText, saveAs: z.boolean().default(false) })
    .strict(),
  'workflow.recent': z.object({}).strict(),
  'files.list': z.object({ path: filePath.optional() }).strict(),
  'files.mkdir': z
    .object({
      parent: filePath,
      name: z
        .string()
        .trim()
        .min(1)
        .max(255)
        .refine(
          (n) => !/[/\\]/.test(n) && !n.includes('\u0000') && n !== '.' && n !== '..',
          'a folder name has no / or \\ and is not . or ..',
        ),
    })
    .strict(),
  'workflow.examples': z.object({}).strict(),
  'workflow.importPython': z
    .object({ source: z.string().max(5_000_000), lenient: z.boolean().default(false) })
    .strict(),
  'workflow.exportPython': z.object({ text: workflowText }).strict(),
  'workflow.exportSql': z.object({ text: workflowText, connectionId: id }).strict(),
  'connections.list': z.object({}).strict(),
  'connections.save': z
    .object({
      connection: connectionSchema,
      password: z.string().max(1024).optional(),
      storePassword: z.boolean().default(false),
    })
    .strict(),
  'connections.delete': z.object({ id }).strict(),
  'connections.test': z
    .object({ id: id.optional(), connection: connectionSchema.optional(), password: z.string().max(1024).optional() })
    .strict(),
  'secrets.status': z.object({}).strict(),
  'secrets.acceptWeakStorage': z.object({ accept: z.boolean() }).strict(),
  /** `refresh`: read the database again rather than the schema its planner keeps (the schema browser's Refresh). */
  'schema.introspect': z.object({ connectionId: id, refresh: z.boolean().optional() }).strict(),
  'run.start': z
    .object({
      text: workflowText,
      connectionId: id,
      mode: runMode,
      filePath: filePath.optional(),
      subset: runSubset.optional(),
      waivers: z.array(lintWaiver).max(1000).default([]),
      /** Apply: the user accepted the drift the last apply was refused for (docs/recovery.md). */
      acceptDrift: z.boolean().optional(),
      /**
       * Apply: continue the recorded run `runId` that stopped part-way (docs/recovery.md);
       * `force` resumes although nodes changed since. Not with `subset`.
       */
      resume: z
        .object({ runId: id, force: z.boolean().default(false) })
        .strict()
        .optional(),
    })
    .strict(),
  'run.cancel': z.object({ runId: id }).strict(),
  /** What resuming the run `runId` of `text` on the connection would do; refused naming why it cannot be resumed. */
  'run.resumeCheck': z.object({ text: workflowText, connectionId: id, runId: id }).strict(),
  'run.trusted': z.object({ text: workflowText, filePath: filePath.optional() }).strict(),
  'run.trust': z.object({ text: workflowText, filePath: filePath.optional() }).strict(),
  /** A plan for the SQL preview and the apply confirmation: no events, not recorded in history. */
  'run.plan': z
    .object({
      text: workflowText,
      connectionId: id,
      filePath: filePath.optional(),
      subset: runSubset.optional(),
      /**
       * The editor's plan: keep the simulated schema before and after each node in the result
       * (RunResult.plannedSchemas), and plan the text as a draft (a node whose params are not valid
       * fails in the plan with their problem; the others are planned).
       */
      plannedSchemas: z.boolean().optional(),
      /**
       * With `plannedSchemas`: the read of the live schema whose table outlines the editor holds
       * from its last plan (PlannedSchemas.live.read); a plan of the same read leaves them out.
       */
      haveLive: z.string().max(100).optional(),
    })
    .strict(),
  'lint.workflow': z.object({ text: workflowText, connectionId: id, filePath: filePath.optional() }).strict(),
  /**
   * The newest runs; with `connectionId`, also the applies recorded only on that connection's
   * database (its run records: the `dataflow` CLI, another machine or a colleague).
   */
  'history.list': z
    .object({ limit: z.number().int().positive().max(1000).default(100), connectionId: id.optional() })
    .strict(),
  /** `targets`: saved connections by id, or a targets file (docs/fleet.md): what the fleet would hit. */
  'fleet.targets': z.object({ targets: fleetTargets }).strict(),
  /** Plans the workflow on every target (nothing written): the plan matrix. */
  'fleet.plan': z.object({ text: workflowText, targets: fleetTargets, filePath: filePath.optional() }).strict(),
  /**
   * Applies the workflow to the targets in waves (electron/fleet/waves.ts); events `fleet` follow.
   * Read-only saved connections are refused as invalid targets.
   */
  'fleet.start': z
    .object({
      text: workflowText,
      targets: fleetTargets,
      filePath: filePath.optional(),
      canary: z.number().int().min(0).max(10_000).default(1),
      wave: z.number().int().positive().max(100_000).optional(),
      parallel: z.number().int().positive().max(64).default(4),
      onError: z.enum(['stop', 'continue']).default('stop'),
      maxFailures: z.number().int().positive().max(100_000).optional(),
      pause: z.boolean().default(false),
      acceptDrift: z.boolean().default(false),
    })
    .strict(),
  /** Answers a `wave_confirm` event: go on with the wave, or stop the fleet there. */
  'fleet.confirmWave': z.object({ fleetId: id, go: z.boolean() }).strict(),
  /** Starts no new target and cancels the running ones between statements. */
  'fleet.cancel': z.object({ fleetId: id }).strict(),
  'fleet.list': z.object({ limit: z.number().int().positive().max(1000).default(50) }).strict(),
  'fleet.get': z.object({ fleetId: id }).strict(),
  'history.get': z.object({ runId: id }).strict(),
  /**
   * The rollback of the recorded apply `runId` on the connection, planned (nothing written);
   * refused (`rollback_refused`) naming what it cannot bring back or what is in the way.
   */
  'rollback.plan': z.object({ connectionId: id, runId: id }).strict(),
  /** A schema snapshot the run history keeps (a node's `schemaBefore` / `schemaAfter`), or null. */
  'history.snapshot': z.object({ hash: z.string().regex(/^[0-9a-f]{8,64}$/, 'is not a snapshot hash') }).strict(),
  'demo.create': z
    .object({
      dialect: z.enum(['sqlite', 'postgres']).default('sqlite'),
      rows: z.number().int().positive().max(10_000_000).optional(),
      connectionId: id.optional(),
      force: z.boolean().default(false),
    })
    .strict(),
  'window.setDocumentState': z.object({ title: z.string().max(500), dirty: z.boolean() }).strict(),
  'settings.ui': z.object({}).strict(),
  'settings.saveUi': uiSettingsSchema,
} as const;

export type Channel = keyof typeof requests;
export type Request<C extends Channel> = z.input<(typeof requests)[C]>;
/** A payload after validation (defaults filled). */
export type Payload<C extends Channel> = z.output<(typeof requests)[C]>;

/** A folder as the host's file dialog shows it (`files.list`). */
export interface FolderListing {
  /** The folder, absolute, symlinks resolved. */
  path: string;
  /** Its parent folder; null at the root. */
  parent: string | null;
  /** Subfolders first, then `.json` files, each by name. */
  entries: { name: string; folder: boolean }[];
  /** Entries left out beyond the first 2,000. */
  more: number;
  /** Whether the user's account may create files in it. */
  writable: boolean;
  /** The folders the dialog offers to jump to. */
  places: { home: string; examples: string; recent: string[] };
}

/** What the app is running as. */
export interface AppInfo {
  version: string;
  /** `electron`: the desktop window; `web`: the browser app served by the web host. */
  host: 'electron' | 'web';
  /** The user's home folder (where browser-mode paths may point). */
  homeDir: string;
  /** The folder of the example workflows. */
  examplesDir: string;
  /** The app's data folder (store, demo database, stored secrets). */
  dataDir: string;
}

/** Answer types, one per channel. */
export interface Responses {
  'app.info': AppInfo;
  'catalog.list': CatalogEntry[];
  'workflow.open': { path: string; text: string } | null;
  'workflow.save': { path: string } | null;
  'workflow.recent': { path: string; openedAt: string }[];
  'files.list': FolderListing;
  'files.mkdir': { path: string };
  'workflow.examples': { name: string; path: string; text: string }[];
  'workflow.importPython': { text: string | null; problems: ImportProblem[] };
  'workflow.exportPython': { code: string };
  /** `failed`: why the plan failed (the script is then incomplete), null when it succeeded. */
  'workflow.exportSql': { sql: string; failed: string | null };
  'connections.list': SavedConnection[];
  'connections.save': SavedConnection;
  'connections.delete': { deleted: boolean };
  'connections.test': { ok: boolean; serverVersion: string | null; error: string | null };
  'secrets.status': SecretsStatus;
  'secrets.acceptWeakStorage': SecretsStatus;
  'schema.introspect': Schema;
  'run.start': { runId: string };
  'run.cancel': { cancelled: boolean };
  'run.resumeCheck': ResumeCheck;
  'run.trusted': { trusted: boolean };
  'run.trust': { trusted: true };
  'run.plan': RunResult;
  'lint.workflow': LintReport;
  'history.list': RunSummary[];
  'fleet.targets': { targets: FleetTargetInfo[]; invalid: InvalidTarget[] };
  'fleet.plan': PlanMatrix;
  'fleet.start': { fleetId: string };
  'fleet.confirmWave': { waiting: boolean };
  'fleet.cancel': { cancelled: boolean };
  'fleet.list': FleetSummary[];
  'fleet.get': RunMatrix | null;
  'history.get': RunResult | null;
  'history.snapshot': Schema | null;
  'rollback.plan': RollbackPlan;
  'demo.create': SavedConnection;
  'window.setDocumentState': null;
  'settings.ui': UiSettings;
  'settings.saveUi': null;
}

/** Events main -> renderer. */
export type AppEvent =
  | { type: 'run'; event: RunEvent }
  | { type: 'fleet'; event: FleetUiEvent }
  /** `path` is set for `file.openRecent` (the file to open with `workflow.open {path}`). */
  | { type: 'menu'; command: MenuCommand; path?: string };

/**
 * Native menu commands forwarded to the renderer (the renderer owns the document). Cut, copy and
 * paste are handled by the window itself. The menu's accelerators (Ctrl+Z, Ctrl+Y, Ctrl+A...) are
 * taken before the page sees the keys, so `edit.*` also arrives while a text field has focus: apply
 * it to that field then. `file.save` is also sent when the user chooses Save in the
 * unsaved-changes prompt on close: the window closes once the renderer reports `dirty: false`.
 */
export type MenuCommand =
  | 'file.new'
  | 'file.open'
  | 'file.openRecent'
  | 'file.save'
  | 'file.saveAs'
  | 'file.importPython'
  | 'file.exportPython'
  | 'file.exportSql'
  | 'edit.undo'
  | 'edit.redo'
  | 'edit.selectAll'
  | 'run.plan'
  | 'run.rehearse'
  | 'run.apply'
  | 'run.cancel'
  | 'view.fit'
  | 'view.layout'
  | 'view.shortcuts';

/**
 * An IPC failure as it crosses the bridge: the error's `ErrorData` (shared/errors.ts): its code
 * (`invalid_payload`, `forbidden`, `demo_exists`...), a message for the user and, where one is at
 * fault, the field. The message never names the channel (the user did not call one; the editor
 * shows the message as it is): `channel` carries it for logs and tests.
 */
export type IpcError = ErrorData & { channel?: string };

/** The message of a request the host does not know: the page and the host are of different builds. */
export const UNKNOWN_REQUEST =
  'the DataFlow host does not know this request: the page and the host come from different builds; reload the page or restart the app';

/** A WebSocket request frame (see the protocol at the top of this file). */
export interface WsRequest {
  id: number;
  channel: string;
  payload: unknown;
}

/** A WebSocket answer frame; `id` is null only for a frame that was not a request. */
export type WsAnswer = { id: number; ok: true; result: unknown } | { id: number | null; ok: false; error: IpcError };

/** A WebSocket event frame. */
export interface WsEventFrame {
  event: AppEvent;
}

/** What the renderer's api/ gets from the preload bridge or the WebSocket client alike. */
export interface Bridge {
  invoke<C extends Channel>(channel: C, payload: Request<C>): Promise<Responses[C]>;
  on(listener: (event: AppEvent) => void): () => void;
}

/** Validates a request payload; returns the parsed payload or an IpcError naming the field. */
export function parseRequest<C extends Channel>(
  channel: string,
  payload: unknown,
): { ok: true; channel: C; payload: z.output<(typeof requests)[C]> } | { ok: false; error: IpcError } {
  if (!Object.hasOwn(requests, channel))
    return { ok: false, error: { code: 'unknown_channel', channel, message: UNKNOWN_REQUEST } };
  const parsed = requests[channel as C].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : (issue?.path ?? []);
    const field = path.map(String).join('.') || undefined;
    return {
      ok: false,
      error: {
        code: 'invalid_payload',
        channel,
        field,
        message: `${field ? `field "${field}": ` : ''}${issue?.message ?? 'invalid payload'}`,
      },
    };
  }
  return { ok: true, channel: channel as C, payload: parsed.data as z.output<(typeof requests)[C]> };
}
