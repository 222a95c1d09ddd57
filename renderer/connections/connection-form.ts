/**
 * The connection form's values, their check against `connectionSchema` (one message per field, in
 * words a user can act on), and how a saved connection reads in the list. Pure: no React, no IPC.
 */
import { connectionSchema, type ConnectionInput, type SavedConnection } from '../../shared/ipc.ts';
import {
  CUSTOM_DEFAULT_COLOR,
  environmentColor,
  environmentLabel,
  type Environment,
  type EnvironmentKind,
} from '../../shared/environment.ts';

export type ConnectionKind = SavedConnection['kind'];
export type SslMode = Extract<SavedConnection, { kind: 'postgres' }>['sslMode'];

/** What the form edits, as typed (the port stays text until it is checked). The password is not here. */
export interface FormValues {
  id?: string;
  kind: ConnectionKind;
  name: string;
  path: string;
  host: string;
  port: string;
  database: string;
  user: string;
  sslMode: SslMode;
  readOnly: boolean;
  /** `unset`: a connection saved before environments existed, left as it is until one is chosen. */
  environment: EnvironmentKind | 'unset';
  /** The label and colour of a `custom` environment. */
  environmentLabel: string;
  environmentColor: string;
  /** The tags, comma-separated as typed. */
  tags: string;
}

/** A form field that can carry an error. */
export type FormField =
  'name' | 'path' | 'host' | 'port' | 'database' | 'user' | 'sslMode' | 'environment' | 'tags' | 'password';
/** Errors by field; `general` for one that belongs to no field. */
export type FieldErrors = Partial<Record<FormField | 'general', string>>;

export const SSL_MODES: readonly { value: SslMode; label: string }[] = [
  { value: 'disable', label: 'disable: never use SSL' },
  { value: 'prefer', label: 'prefer: SSL when the server offers it' },
  { value: 'require', label: 'require: SSL, certificate not checked' },
  { value: 'verify-full', label: 'verify-full: SSL, certificate and host name checked' },
];

export function emptyValues(kind: ConnectionKind = 'sqlite'): FormValues {
  return {
    kind,
    name: '',
    path: '',
    host: 'localhost',
    port: '5432',
    database: '',
    user: '',
    sslMode: 'prefer',
    readOnly: false,
    environment: 'development',
    environmentLabel: '',
    environmentColor: CUSTOM_DEFAULT_COLOR,
    tags: '',
  };
}

/** The environment choices of the form, in its words. */
export const ENVIRONMENT_CHOICES: readonly { value: EnvironmentKind; label: string }[] = [
  { value: 'development', label: 'Development' },
  { value: 'staging', label: 'Staging' },
  { value: 'production', label: 'Production: asks for the name before applying' },
  { value: 'custom', label: 'Another label…' },
];

function environmentValues(
  env: Environment | null,
): Pick<FormValues, 'environment' | 'environmentLabel' | 'environmentColor'> {
  if (!env) return { environment: 'unset', environmentLabel: '', environmentColor: CUSTOM_DEFAULT_COLOR };
  if (env.kind === 'custom') return { environment: 'custom', environmentLabel: env.label, environmentColor: env.color };
  return { environment: env.kind, environmentLabel: '', environmentColor: CUSTOM_DEFAULT_COLOR };
}

export function valuesOf(conn: SavedConnection): FormValues {
  const base = {
    ...emptyValues(conn.kind),
    ...environmentValues(conn.environment),
    tags: (conn.tags ?? []).join(', '),
  };
  if (conn.kind === 'sqlite')
    return { ...base, id: conn.id, name: conn.name, path: conn.path, readOnly: conn.readOnly };
  return {
    ...base,
    id: conn.id,
    name: conn.name,
    host: conn.host,
    port: String(conn.port),
    database: conn.database,
    user: conn.user,
    sslMode: conn.sslMode,
    readOnly: conn.readOnly,
  };
}

const HELP: Record<Exclude<FormField, 'password'>, string> = {
  name: 'Give the connection a name (up to 200 characters).',
  path: 'Give the full path of the SQLite file, e.g. /home/you/app.db.',
  host: 'Give the server’s host name or IP address (up to 255 characters).',
  port: 'The port is a whole number from 1 to 65535 (PostgreSQL listens on 5432 by default).',
  database: 'Give the name of the database (up to 63 characters).',
  user: 'Give the user name to log in with (up to 63 characters).',
  sslMode: 'Choose an SSL mode from the list.',
  environment: 'Give the environment a label of up to 40 characters (e.g. QA), and a colour.',
  tags: 'Give up to 20 tags, separated by commas, each up to 40 characters (e.g. eu, tenant).',
};

/** Absolute on POSIX (`/…`) or Windows (`C:\…`, `\\server\…`): the main process refuses other paths. */
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

/** The connection as the channels take it (strings trimmed, the port a number), before checking. */
export function toInput(values: FormValues): ConnectionInput {
  const tags = values.tags
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const common = {
    ...(values.id ? { id: values.id } : {}),
    name: values.name.trim(),
    readOnly: values.readOnly,
    ...(values.environment === 'unset' ? {} : { environment: environmentInput(values) }),
    // No tags: none sent (a save replaces the connection's settings, so that clears them).
    ...(tags.length > 0 && { tags }),
  };
  if (values.kind === 'sqlite') return { ...common, kind: 'sqlite', path: values.path.trim() };
  const port = values.port.trim();
  return {
    ...common,
    kind: 'postgres',
    host: values.host.trim(),
    port: /^\d+$/.test(port) ? Number(port) : Number.NaN,
    database: values.database.trim(),
    user: values.user.trim(),
    sslMode: values.sslMode,
  };
}

function environmentInput(values: FormValues): Environment {
  if (values.environment === 'custom')
    return { kind: 'custom', label: values.environmentLabel.trim(), color: values.environmentColor };
  return { kind: values.environment as Exclude<EnvironmentKind, 'custom'> };
}

export type Checked = { ok: true; connection: ConnectionInput } | { ok: false; errors: FieldErrors };

/** Checks the form with the contract's schema, plus the absolute path the main process requires. */
export function checkValues(values: FormValues): Checked {
  const input = toInput(values);
  const errors: FieldErrors = {};
  const parsed = connectionSchema.safeParse(input);
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string' && field in HELP)
      errors[field as keyof typeof HELP] ??= HELP[field as keyof typeof HELP];
    else errors.general ??= issue.message;
  }
  if (input.kind === 'sqlite' && input.path !== '' && !ABSOLUTE.test(input.path))
    errors.path = `“${input.path}” is not a full path. ${HELP.path}`;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, connection: input };
}

/** The form field an IpcError's `field` points at (`connection.path` -> `path`), if it is one. */
export function formFieldOf(field: string | undefined): FormField | null {
  if (!field) return null;
  const name = field.replace(/^connection\./, '');
  return name === 'password' || name in HELP ? (name as FormField) : null;
}

/** An IpcError's message without the field it starts with, to show under that field. */
export function inlineMessage(message: string): string {
  return message.replace(/^field "[^"]*": /, '');
}

/** Where a connection points: the file, or `user@host:port/database`. */
export function targetOf(conn: SavedConnection): string {
  return conn.kind === 'sqlite' ? conn.path : `${conn.user}@${conn.host}:${conn.port}/${conn.database}`;
}

/** How a connection's environment reads in the list and the toolbar, with its colour. */
export function environmentOf(conn: SavedConnection): { label: string; color: string | null; production: boolean } {
  if (!conn.environment) return { label: 'environment not set', color: null, production: false };
  return {
    label: environmentLabel(conn.environment),
    color: environmentColor(conn.environment),
    production: conn.environment.kind === 'production',
  };
}

export const KIND_LABEL: Record<ConnectionKind, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** How the connection's password is kept, in the list's words. */
export function secretLabel(conn: SavedConnection): string {
  if (conn.kind === 'sqlite') return 'no password needed';
  if (conn.secretKept === 'stored') return 'password stored';
  if (conn.secretKept === 'session' || conn.hasSecret) return 'password for this session only';
  return 'no password kept';
}
