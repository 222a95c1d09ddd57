/**
 * The product's errors: one base class, `DataflowError`, carrying a stable `code` and, where one
 * is at fault, the workflow node and the field (param or payload field). Each condition has one
 * code and one class that extends DataflowError (electron/: NodeFailure, RunCancelled,
 * IpcFailure, MigrationLockError, ConnectionStringError, DemoExistsError). An error crosses a
 * boundary as `ErrorData` (plain data: the run worker's `failed` message, an IPC answer) and is
 * rebuilt into its class by code on the other side (electron/main/worker-errors.ts).
 */

/** Every code a DataflowError carries. */
export const ERROR_CODES = [
  /** An IPC request's payload does not match its channel's schema, or names a field that is wrong. */
  'invalid_payload',
  /** An IPC request names a channel nobody handles. */
  'unknown_channel',
  /** The request or the operation is not allowed (an untrusted sender, a read-only connection). */
  'forbidden',
  /** Anything else that failed; the message says what. */
  'failed',
  /** A workflow node failed (bad input, a database error while it ran). */
  'node_failed',
  /** The run was cancelled. */
  'run_cancelled',
  /** Another run holds the migration lock. */
  'migration_lock_held',
  /** A connection string is neither `sqlite:<path>` nor a `postgres://` URL. */
  'invalid_connection_string',
  /** The database already has the demo tables and `force` was not given. */
  'demo_exists',
  /** The safety review refused an apply: an error-level finding stands that no waiver covers (docs/lint.md). */
  'lint_refused',
  /** The database changed outside the product since its last recorded apply, and the drift was not accepted. */
  'schema_drift',
  /** A rollback cannot be built: the data it needs is gone, a later run depends on the run, or it was rolled back already. */
  'rollback_refused',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as plain data, as it crosses the worker boundary and IPC. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  /** The workflow node at fault, when one is. */
  node?: string;
  /** The field at fault (a node's param, an IPC payload field), when one is. */
  field?: string;
}

/** Where an error is: the node and the field at fault. */
export interface ErrorPlace {
  node?: string;
  field?: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** The base of the product's errors: a message for people, a code for programs, the node and field at fault. */
export class DataflowError extends Error {
  readonly node?: string;
  readonly field?: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    place: ErrorPlace = {},
  ) {
    super(message);
    this.name = 'DataflowError';
    if (place.node !== undefined) this.node = place.node;
    if (place.field !== undefined) this.field = place.field;
  }

  /** The error as plain data (what crosses the worker boundary and IPC). */
  toData(): ErrorData {
    const data: ErrorData = { code: this.code, message: this.message };
    if (this.node !== undefined) data.node = this.node;
    if (this.field !== undefined) data.field = this.field;
    return data;
  }
}

/** Any thrown value as ErrorData: a DataflowError's own, anything else as `failed` with its message. */
export function errorData(e: unknown): ErrorData {
  if (e instanceof DataflowError) return e.toData();
  return { code: 'failed', message: e instanceof Error ? e.message : String(e) };
}
