/**
 * Why one target of a fleet did not succeed, as a kind programs can count and a message that
 * names the target, what went wrong and the fix. Opening a target (`openFleetTarget`) tells an
 * unreachable server from refused credentials and from a server too old.
 */
import { UnsupportedServerError, type Database } from '../db/connect.ts';
import { DatabaseError } from '../db/driver.ts';
import { openTarget, type DbTarget } from '../worker/targets.ts';
import type { TargetError } from '../../shared/fleet.ts';

export type { TargetError, TargetErrorKind } from '../../shared/fleet.ts';

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
export async function openFleetTarget(label: string, target: DbTarget, nativeBinding?: string): Promise<Database> {
  try {
    return await openTarget(target, {
      ...(nativeBinding !== undefined && { nativeBinding }),
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
