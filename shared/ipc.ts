/**
 * The one IPC contract between the renderer and the main process (VS Code / Bruno style): every
 * request channel has a zod schema for its payload and a TypeScript type for its answer; events
 * flow main -> renderer on the `event` channel. The preload exposes exactly `invoke(channel,
 * payload)` and `on(listener)` for this namespace; the Electron handlers and the web host serve the
 * same handler table, and both validate every payload with these schemas.
 */
import { z } from 'zod';
import type { NodeCategory, FieldHint } from './nodes/description.ts';
import type { Schema } from './schema.ts';
import type { RunEvent, RunMode, RunResult, RunStatus } from './run.ts';

/** Electron channel prefix: `dataflow:<channel>`; nothing else is bridged. */
export const IPC_NAMESPACE = 'dataflow';
/** The single main -> renderer event channel. */
export const IPC_EVENT_CHANNEL = `${IPC_NAMESPACE}:event`;

const id = z.string().min(1).max(200);
const filePath = z.string().min(1).max(4096);

/** A saved connection, without its secret. */
export const connectionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      id: id.optional(),
      name: z.string().min(1).max(200),
      kind: z.literal('sqlite'),
      path: filePath,
      readOnly: z.boolean().default(false),
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
    })
    .strict(),
]);
export type ConnectionInput = z.input<typeof connectionSchema>;
export type SavedConnection = z.output<typeof connectionSchema> & {
  id: string;
  /** True for the demo database the app creates on first start. */
  demo: boolean;
  /** True when a password is stored for it (never the password itself). */
  hasSecret: boolean;
};

/** How secrets can be kept on this machine (Electron safeStorage's backend). */
export interface SecretsStatus {
  /** `os`: an OS secret store encrypts them; `basic_text`: only obfuscated; `none`: not available (web host). */
  backend: 'os' | 'basic_text' | 'none';
  /** Whether the user agreed to store secrets with a weak backend. */
  weakStorageAccepted: boolean;
}

export interface CatalogEntry {
  type: string;
  label: string;
  category: NodeCategory;
  icon: string;
  description: string;
  inputs: readonly string[];
  outputs: readonly string[];
  fields: readonly FieldHint[];
  writes: boolean;
}

export interface RunSummary {
  runId: string;
  workflow: string;
  mode: RunMode;
  connection: string;
  status: RunStatus;
  startedAt: string;
  durationMs: number;
  filePath: string | null;
}

export interface ImportProblem {
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
}

const runMode = z.enum(['plan', 'rehearse', 'apply']);
/** A workflow travels as its JSON text, validated on the other side by shared/workflow.ts. */
const workflowText = z.string().min(2).max(20_000_000);

/** Request payload schemas, one per channel. */
export const requests = {
  'catalog.list': z.object({}).strict(),
  'workflow.open': z.object({ path: filePath.optional() }).strict(),
  'workflow.save': z.object({ path: filePath.optional(), text: workflowText, saveAs: z.boolean().default(false) }).strict(),
  'workflow.recent': z.object({}).strict(),
  'workflow.examples': z.object({}).strict(),
  'workflow.importPython': z.object({ source: z.string().max(5_000_000), lenient: z.boolean().default(false) }).strict(),
  'workflow.exportPython': z.object({ text: workflowText }).strict(),
  'workflow.exportSql': z.object({ text: workflowText, connectionId: id }).strict(),
  'connections.list': z.object({}).strict(),
  'connections.save': z
    .object({ connection: connectionSchema, password: z.string().max(1024).optional(), storePassword: z.boolean().default(false) })
    .strict(),
  'connections.delete': z.object({ id }).strict(),
  'connections.test': z.object({ id: id.optional(), connection: connectionSchema.optional(), password: z.string().max(1024).optional() }).strict(),
  'secrets.status': z.object({}).strict(),
  'secrets.acceptWeakStorage': z.object({ accept: z.boolean() }).strict(),
  'schema.introspect': z.object({ connectionId: id }).strict(),
  'run.start': z
    .object({ text: workflowText, connectionId: id, mode: runMode, trustCode: z.boolean().default(false), filePath: filePath.optional() })
    .strict(),
  'run.cancel': z.object({ runId: id }).strict(),
  'history.list': z.object({ limit: z.number().int().positive().max(1000).default(100) }).strict(),
  'history.get': z.object({ runId: id }).strict(),
  'demo.create': z.object({ dialect: z.enum(['sqlite', 'postgres']).default('sqlite'), rows: z.number().int().positive().max(10_000_000).optional() }).strict(),
} as const;

export type Channel = keyof typeof requests;
export type Request<C extends Channel> = z.input<(typeof requests)[C]>;

/** Answer types, one per channel. */
export interface Responses {
  'catalog.list': CatalogEntry[];
  'workflow.open': { path: string; text: string } | null;
  'workflow.save': { path: string } | null;
  'workflow.recent': { path: string; openedAt: string }[];
  'workflow.examples': { name: string; path: string; text: string }[];
  'workflow.importPython': { text: string | null; problems: ImportProblem[] };
  'workflow.exportPython': { code: string };
  'workflow.exportSql': { sql: string };
  'connections.list': SavedConnection[];
  'connections.save': SavedConnection;
  'connections.delete': { deleted: boolean };
  'connections.test': { ok: boolean; serverVersion: string | null; error: string | null };
  'secrets.status': SecretsStatus;
  'secrets.acceptWeakStorage': SecretsStatus;
  'schema.introspect': Schema;
  'run.start': { runId: string };
  'run.cancel': { cancelled: boolean };
  'history.list': RunSummary[];
  'history.get': RunResult | null;
  'demo.create': SavedConnection;
}

/** Events main -> renderer. */
export type AppEvent =
  | { type: 'run'; event: RunEvent }
  | { type: 'menu'; command: MenuCommand };

/** Native menu commands forwarded to the renderer (the renderer owns the document). */
export type MenuCommand =
  | 'file.new' | 'file.open' | 'file.save' | 'file.saveAs' | 'file.importPython' | 'file.exportPython' | 'file.exportSql'
  | 'edit.undo' | 'edit.redo' | 'edit.selectAll'
  | 'run.plan' | 'run.rehearse' | 'run.apply' | 'run.cancel'
  | 'view.fit' | 'view.layout' | 'view.shortcuts';

/** An IPC failure as it crosses the bridge: a message for the user and, for bad payloads, the field. */
export interface IpcError {
  message: string;
  field?: string;
  code: 'invalid_payload' | 'unknown_channel' | 'forbidden' | 'failed';
}

/** What the renderer's api/ gets from the preload bridge or the WebSocket client alike. */
export interface Bridge {
  invoke<C extends Channel>(channel: C, payload: Request<C>): Promise<Responses[C]>;
  on(listener: (event: AppEvent) => void): () => void;
}

/** Validates a request payload; returns the parsed payload or an IpcError naming the field. */
export function parseRequest<C extends Channel>(channel: string, payload: unknown): { ok: true; channel: C; payload: z.output<(typeof requests)[C]> } | { ok: false; error: IpcError } {
  if (!Object.hasOwn(requests, channel)) return { ok: false, error: { code: 'unknown_channel', message: `unknown channel "${channel}"` } };
  const parsed = requests[channel as C].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || undefined;
    return { ok: false, error: { code: 'invalid_payload', field, message: `${channel}: ${field ? `field "${field}": ` : ''}${issue?.message ?? 'invalid payload'}` } };
  }
  return { ok: true, channel: channel as C, payload: parsed.data as z.output<(typeof requests)[C]> };
}
