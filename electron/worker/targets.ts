/**
 * Where a job connects: built in the main process from a saved connection and its password, opened
 * in the worker (or, for quick reads, the main process). The password only ever sits in the
 * PostgreSQL URLs of a target, which cross to the worker by postMessage and nowhere else.
 */
import { existsSync } from 'node:fs';
import { DataflowError } from '../../shared/errors.ts';
import { openDatabase, type Database } from '../db/connect.ts';
import { DatabaseError } from '../db/driver.ts';
import type { StoredConnection } from '../store/store.ts';

export type DbTarget =
  | { kind: 'sqlite'; path: string; label: string }
  /** `urls` are tried in order while the server refuses SSL (sslmode prefer: SSL first, then plain). */
  | { kind: 'postgres'; urls: string[]; label: string; password: string | null };

/** URL parameters per SSL mode, as key/value pairs, one list per URL to try (libpq semantics). */
const SSL_PARAMS: Record<StoredPostgres['sslMode'], string[][]> = {
  disable: [['sslmode', 'disable']],
  prefer: [
    ['uselibpqcompat', 'true', 'sslmode', 'prefer'],
    ['sslmode', 'disable'],
  ],
  require: [['uselibpqcompat', 'true', 'sslmode', 'require']],
  'verify-full': [['sslmode', 'verify-full']],
};

type StoredPostgres = Extract<StoredConnection, { kind: 'postgres' }>;

export function targetFor(conn: StoredConnection, password: string | null): DbTarget {
  if (conn.kind === 'sqlite') return { kind: 'sqlite', path: conn.path, label: `sqlite:${conn.path}` };
  const urls = SSL_PARAMS[conn.sslMode].map((pairs) => {
    const url = new URL('postgres://placeholder');
    url.hostname = conn.host.includes(':') && !conn.host.startsWith('[') ? `[${conn.host}]` : conn.host;
    url.port = String(conn.port);
    url.username = conn.user;
    if (password) url.password = password;
    url.pathname = `/${encodeURIComponent(conn.database)}`;
    for (let i = 0; i < pairs.length; i += 2) url.searchParams.set(pairs[i]!, pairs[i + 1]!);
    return url.toString();
  });
  return {
    kind: 'postgres',
    urls,
    label: `postgres://${conn.user}@${conn.host}:${conn.port}/${conn.database}`,
    password,
  };
}

export interface OpenOptions {
  nativeBinding?: string;
  /** Create a missing SQLite file (only the demo database is ever created). */
  create?: boolean;
  /** Where to give the password when none was given (default: the saved connection's settings). */
  passwordAdvice?: string;
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The password's places in `text`. A password of letters only (`postgres`, a common development
 * password) is replaced only where it stands as a credential: a URL's user info (`:pw@`) and `password=pw`. Everywhere else it is an ordinary word (the dialect's name,
 * a user or database of that name), and replacing it there made messages and values unreadable
 * (`***://***@host`, a schema whose dialect read `***`). Any other password is replaced wherever
 * it appears.
 */
function passwordPattern(password: string): RegExp {
  if (!/^[A-Za-z]+$/.test(password)) return new RegExp(escaped(password), 'g');
  const word = escaped(password);
  return new RegExp(`(?<=:)${word}(?=@)|(?<=password\\s*[=:]\\s*['"]?)${word}\\b`, 'gi');
}

/** Replaces the password in a message (a driver error may quote the URL); see passwordPattern. */
export function scrub(text: string, target: DbTarget): string {
  return target.kind === 'postgres' && target.password && target.password.length >= 4
    ? text.replace(passwordPattern(target.password), '***')
    : text;
}

/**
 * `value` with the password removed from every string in it (a driver error may quote a URL), by
 * one walk of it: each string is searched for the password before the credential pattern runs, and
 * only the objects and arrays on the way to a string that changed are copied (the usual answer, a
 * plan or a schema of thousands of tables, holds none and is returned as it is).
 */
export function scrubDeep<T>(value: T, target: DbTarget): T {
  if (target.kind !== 'postgres' || !target.password || target.password.length < 4) return value;
  const pattern = passwordPattern(target.password);
  const holds = new RegExp(escaped(target.password), pattern.flags.includes('i') ? 'i' : '');
  return scrubStrings(value, (s) => (holds.test(s) ? s.replace(pattern, '***') : s));
}

/** `value` with `scrubbed` applied to its strings; the same object or array where no string in it changed. */
function scrubStrings<T>(value: T, scrubbed: (s: string) => string): T {
  if (typeof value === 'string') return scrubbed(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const next = scrubStrings(v, scrubbed);
      if (next !== v) (copy ??= [...value])[i] = next;
    }
    return (copy ?? value) as T;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const k in record) {
    if (!Object.hasOwn(record, k)) continue;
    const v = record[k];
    const next = scrubStrings(v, scrubbed);
    if (next !== v) (copy ??= { ...record })[k] = next;
  }
  return (copy ?? value) as T;
}

export async function openTarget(target: DbTarget, options: OpenOptions = {}): Promise<Database> {
  if (target.kind === 'sqlite') {
    if (!options.create && !existsSync(target.path))
      throw new Error(`no SQLite database at ${target.path}: check the connection's file path`);
    return openDatabase(`sqlite:${target.path}`, { nativeBinding: options.nativeBinding });
  }
  let last: unknown;
  for (const url of target.urls) {
    try {
      return await openDatabase(url);
    } catch (e) {
      last = e;
      if (!/does not support SSL/i.test((e as Error).message)) break;
    }
  }
  if (last instanceof DataflowError) throw last;
  const message = scrub((last as Error).message, target);
  // The driver's code (ECONNREFUSED, 28P01...) stays, for the fleet to tell unreachable from refused.
  throw new DatabaseError(
    target.password === null && /password/i.test(message)
      ? `${message}; ${options.passwordAdvice ?? "no password is kept for this connection: enter it in the connection's settings"}`
      : message,
    (last as DatabaseError).code,
  );
}
