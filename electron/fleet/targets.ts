/**
 * A fleet's targets (docs/fleet.md): read from a targets file (`targets.json`, a JSON array of
 * `{"label", "connection", "environment"?, "tags"?, "password_env"?}`) or from the rows a
 * read-only query returns on a registry database (`--targets-sql QUERY --db REGISTRY`).
 *
 * A password never comes from the file or the query: a connection holding one is refused. A
 * PostgreSQL target's password is read from the environment variable its `password_env` names,
 * else libpq's own sources apply as for psql (`PGPASSWORD`, `~/.pgpass`); the editor builds its
 * targets from saved connections, with the password from the secret store (worker/targets.ts).
 *
 * A problem with one entry (a missing label, a password in the URL, a duplicate) makes that entry
 * an `InvalidTarget`, reported with its line; the others stay usable. Only a file that cannot be
 * read as a list of targets at all is a `TargetsFileError` (file and line).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { connectionLabel, parseConnectionString, type Database } from '../db/connect.ts';
import { checkReadOnlySelect } from '../db/expression-check.ts';
import type { DbTarget } from '../worker/targets.ts';
import type { InvalidTarget } from '../../shared/fleet.ts';

/** One database of a fleet, as declared; never holds a password. */
export interface FleetTarget {
  /** The name people know the target by; unique in the fleet. */
  label: string;
  /** `sqlite:<absolute path>` or a `postgres://` URL without a password. */
  connection: string;
  /** The connection as messages show it (`sqlite:<path>`, `postgres://user@host:port/db`). */
  connectionLabel: string;
  environment: string | null;
  tags: string[];
  /** The environment variable holding the PostgreSQL password; null: PGPASSWORD / ~/.pgpass. */
  passwordEnv: string | null;
  /** Where it was declared: `targets.json:4`, `--targets-sql row 3`, or `saved connection "x"`. */
  source: string;
}

export type { InvalidTarget } from '../../shared/fleet.ts';

/** The targets read from a file or a query: the usable ones in order, and the refused entries. */
export interface TargetList {
  targets: FleetTarget[];
  invalid: InvalidTarget[];
}

/** A targets file that cannot be read as a list of targets: names the file and the line. */
export class TargetsFileError extends Error {
  override name = 'TargetsFileError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    message: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${message}`);
  }
}

const FIELDS = ['label', 'connection', 'environment', 'tags', 'password_env'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The 1-based line of each character offset's line start, for `offset`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/** The offsets where the elements of the top-level array start (outside strings, at depth 1). */
function elementOffsets(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (depth === 1 && expectValue && c !== ']') {
      starts.push(i);
      expectValue = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectValue = true;
  }
  return starts;
}

/** Where JSON.parse stopped, as a line: V8 says `at position N` (and on newer Node `line L`). */
function syntaxLine(text: string, message: string): number | null {
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line) return Number(line[1]);
  const at = /at position (\d+)/.exec(message);
  return at ? lineAt(text, Number(at[1])) : null;
}

/** What identifies a database: two entries with the same key are the same database. */
function databaseKey(connection: string): string {
  const parsed = parseConnectionString(connection);
  if (parsed.dialect === 'sqlite') return `sqlite:${parsed.path}`;
  const url = new URL(parsed.url);
  return `postgres://${url.hostname.toLowerCase()}:${url.port || '5432'}${decodeURIComponent(url.pathname)}`;
}

/** Reads one entry; `base` resolves a relative SQLite path (the targets file's folder). */
function readEntry(entry: unknown, n: number, source: string, base: string): FleetTarget | InvalidTarget {
  const fallback = `entry ${n}`;
  const bad = (field: string, message: string, label = fallback): InvalidTarget => ({ label, source, field, message });
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    return bad('entry', 'is not an object: write {"label": "...", "connection": "sqlite:<path> or postgres://..."}');
  const o = entry as Record<string, unknown>;
  const label = typeof o.label === 'string' && o.label.trim() !== '' ? o.label.trim() : null;
  if (!label) return bad('label', 'is missing or empty: give every target a unique "label"');
  const unknown = Object.keys(o).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown !== undefined) return bad(unknown, `is not a target field: the fields are ${FIELDS.join(', ')}`, label);
  if (typeof o.connection !== 'string' || o.connection === '')
    return bad('connection', 'is missing: write sqlite:<path> or postgres://user@host:port/database', label);
  let parsed: ReturnType<typeof parseConnectionString>;
  try {
    parsed = parseConnectionString(o.connection);
  } catch (e) {
    return bad('connection', (e as Error).message, label);
  }
  let connection: string;
  if (parsed.dialect === 'sqlite') {
    connection = `sqlite:${resolve(base, parsed.path)}`;
  } else {
    const url = new URL(parsed.url);
    if (url.password !== '' || url.searchParams.has('password'))
      return bad(
        'connection',
        'holds a password: passwords never go in the targets; remove it and name the environment variable that holds it in "password_env" (or set PGPASSWORD / ~/.pgpass)',
        label,
      );
    connection = parsed.url;
  }
  if (o.environment !== undefined && typeof o.environment !== 'string')
    return bad('environment', 'must be a string (e.g. "production")', label);
  if (o.tags !== undefined && !(Array.isArray(o.tags) && o.tags.every((t) => typeof t === 'string')))
    return bad('tags', 'must be a list of strings (e.g. ["eu", "tenant"])', label);
  if (o.password_env !== undefined && (typeof o.password_env !== 'string' || !ENV_NAME.test(o.password_env)))
    return bad('password_env', 'must be the name of an environment variable (letters, digits, _)', label);
  if (o.password_env !== undefined && parsed.dialect === 'sqlite')
    return bad('password_env', 'is for PostgreSQL targets: a SQLite file has no password', label);
  return {
    label,
    connection,
    connectionLabel: connectionLabel(parseConnectionString(connection)),
    environment: (o.environment as string | undefined) ?? null,
    tags: (o.tags as string[] | undefined) ?? [],
    passwordEnv: (o.password_env as string | undefined) ?? null,
    source,
  };
}

/** Keeps the first of each label and of each database; a later one is refused naming the first. */
function refuseDuplicates(read: (FleetTarget | InvalidTarget)[]): TargetList {
  const list: TargetList = { targets: [], invalid: [] };
  const labels = new Map<string, FleetTarget>();
  const databases = new Map<string, FleetTarget>();
  for (const t of read) {
    if (!('connection' in t)) {
      list.invalid.push(t);
      continue;
    }
    const key = databaseKey(t.connection);
    const sameLabel = labels.get(t.label);
    const sameDb = databases.get(key);
    if (sameLabel)
      list.invalid.push({
        label: t.label,
        source: t.source,
        field: 'label',
        message: `duplicates the label of the target at ${sameLabel.source}: give each target its own label`,
      });
    else if (sameDb)
      list.invalid.push({
        label: t.label,
        source: t.source,
        field: 'connection',
        message: `is the same database as target "${sameDb.label}" (${sameDb.source}): a fleet runs on each database once; remove one of them`,
      });
    else {
      labels.set(t.label, t);
      databases.set(key, t);
      list.targets.push(t);
    }
  }
  return list;
}

/** Reads a targets file's text; `file` names it in errors and its folder resolves SQLite paths. */
export function parseTargetsFile(text: string, file: string): TargetList {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new TargetsFileError(
      file,
      syntaxLine(text, (e as Error).message),
      `not valid JSON (${(e as Error).message}): fix the file's syntax`,
    );
  }
  if (!Array.isArray(data))
    throw new TargetsFileError(file, 1, 'is not a JSON array: write [{"label": "...", "connection": "..."}, ...]');
  if (data.length === 0) throw new TargetsFileError(file, 1, 'lists no targets: add at least one');
  const offsets = elementOffsets(text);
  const base = dirname(resolve(file));
  return refuseDuplicates(
    data.map((entry, i) => readEntry(entry, i + 1, `${file}:${lineAt(text, offsets[i] ?? 0)}`, base)),
  );
}

/** Reads the targets file at `path` (a missing or unreadable file is a TargetsFileError). */
export async function readTargetsFile(path: string): Promise<TargetList> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TargetsFileError(path, null, code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  return parseTargetsFile(text, path);
}

/**
 * Runs `query` on the registry database `db` (one read-only query, checked as a monitoring query
 * is: electron/db/expression-check.ts) and reads a target from each row: its columns are the
 * targets file's fields, `connection` required; a row without `label` is labelled by its
 * connection. Relative SQLite paths resolve from the working directory.
 */
export async function queryTargets(db: Database, query: string): Promise<TargetList> {
  const check = await checkReadOnlySelect(db.dialect, query);
  if (!check.ok) throw new Error(`--targets-sql: ${check.error}`);
  const { rows } = await db.driver.query<Record<string, unknown>>(query);
  if (rows.length > 0 && !('connection' in rows[0]!))
    throw new Error(
      '--targets-sql: the query returns no "connection" column: select the connection strings AS connection (and a label AS label)',
    );
  const read = rows.map((row, i) => {
    const entry = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
    if (typeof entry.tags === 'string') entry.tags = entry.tags.split(',').map((t) => t.trim());
    if (entry.label === undefined && typeof entry.connection === 'string') {
      try {
        entry.label = connectionLabel(parseConnectionString(entry.connection));
      } catch {
        // readEntry reports the connection string.
      }
    }
    return readEntry(entry, i + 1, `--targets-sql row ${i + 1}`, process.cwd());
  });
  return refuseDuplicates(read);
}

/**
 * The target as the worker opens it (worker/targets.ts `openTarget`), its password read from
 * `env` now: throws naming the variable when `password_env` is set but the variable is not.
 */
export function dbTargetOf(target: FleetTarget, env: NodeJS.ProcessEnv = process.env): DbTarget {
  const parsed = parseConnectionString(target.connection);
  if (parsed.dialect === 'sqlite') return { kind: 'sqlite', path: parsed.path, label: target.connectionLabel };
  let password: string | null = null;
  const url = new URL(parsed.url);
  if (target.passwordEnv !== null) {
    password = env[target.passwordEnv] ?? null;
    if (password === null)
      throw new Error(
        `"password_env" names ${target.passwordEnv}, which is not set: export ${target.passwordEnv} with the password of ${target.connectionLabel}`,
      );
    url.password = encodeURIComponent(password);
  }
  return { kind: 'postgres', urls: [url.toString()], label: target.connectionLabel, password };
}
