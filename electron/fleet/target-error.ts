/**
 * Why one target of a fleet did not succeed, as a kind programs can count and a message that
 * names the target, what went wrong and the fix. Opening a target (`openFleetTarget`) tells an
 * unreachable server from refused credentials and from a server too old.
 */
import { UnsupportedServerError, type Database } from '../db/connect.ts';
import { DatabaseError } from '../db/driver.ts';
import { openTarget, type DbTarget } from '../worker/targets.ts';

export type TargetErrorKind =
  /** The entry cannot be a target (targets.ts InvalidTarget): never run. */
  | 'invalid'
  /** No server at the address, no such database or SQLite file. */
  | 'unreachable'
  /** The server refused the user or the password. */
  | 'bad_credentials'
  /** A server older than the product supports (PostgreSQL before 12). */
  | 'unsupported_server'
  /** Another run held the target's migration lock. */
  | 'lock_held'
  /** The target changed outside the product since its last recorded apply. */
  | 'drift'
  /** The safety review refused the apply. */
  | 'lint_refused'
  /** The run failed (a node, or the preflight plan refused it). */
  | 'failed'
  /** Cancelled while it ran. */
  | 'cancelled';

export interface TargetError {
  kind: TargetErrorKind;
  /** For people: names the target's label, what is wrong and the fix. */
  message: string;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNRESET',
  '3D000',
]);
const CREDENTIALS = new Set(['28P01', '28000']);

/** The error opening `label` threw, classified, with the fix for its kind. */
export function openError(label: string, e: unknown): TargetError {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof UnsupportedServerError) return { kind: 'unsupported_server', message: `${label}: ${message}` };
  const code = e instanceof DatabaseError ? e.code : undefined;
  if (
    (code !== undefined && CREDENTIALS.has(code)) ||
    /password authentication failed|client password must be a string|no password/i.test(message)
  )
    return {
      kind: 'bad_credentials',
      message: `${label}: the server refused the credentials (${message}): check the user, and the password in the variable "password_env" names (or PGPASSWORD)`,
    };
  if ((code !== undefined && UNREACHABLE.has(code)) || /no SQLite database at/.test(message))
    return {
      kind: 'unreachable',
      message: `${label}: unreachable (${message}): check the host, the port and the database name, or the file path, and that the server runs`,
    };
  return { kind: 'failed', message: `${label}: cannot open the database: ${message}` };
}

/** Opens a fleet target; throws a `TargetError` (as `FleetTargetError`) when it cannot. */
export async function openFleetTarget(label: string, target: DbTarget): Promise<Database> {
  try {
    return await openTarget(target, {
      passwordAdvice:
        'no password was given: name the environment variable that holds it in the target\'s "password_env", or set PGPASSWORD',
    });
  } catch (e) {
    throw new FleetTargetError(openError(label, e));
  }
}

/** A TargetError thrown (by `openFleetTarget`). */
export class FleetTargetError extends Error {
  override name = 'FleetTargetError';
  constructor(readonly error: TargetError) {
    super(error.message);
  }
}
