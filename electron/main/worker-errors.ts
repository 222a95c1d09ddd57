/**
 * The main side of the run worker's `failed` message: the error the worker posted as plain data
 * (`ErrorData`: code, message, node, field) rebuilt into the class of its code, so the main
 * process tells conditions apart by class (`instanceof DemoExistsError`) as the worker did.
 */
import { DataflowError, type ErrorCode, type ErrorData } from '../../shared/errors.ts';
import { ConnectionStringError } from '../db/connect.ts';
import { DemoExistsError } from '../db/demo.ts';
import { MigrationLockError } from '../db/migration-lock.ts';
import { RollbackRefused } from '../engine/rollback.ts';
import { NodeFailure, RunCancelled } from '../engine/types.ts';
import { IpcFailure } from './ipc-table.ts';

/** One constructor per code: the class of that condition. */
const CLASSES: Record<ErrorCode, (data: ErrorData) => DataflowError> = {
  invalid_payload: (d) => new IpcFailure(d.message, d.field, 'invalid_payload'),
  unknown_channel: (d) => new IpcFailure(d.message, d.field, 'unknown_channel'),
  forbidden: (d) => new IpcFailure(d.message, d.field, 'forbidden'),
  failed: (d) => new DataflowError('failed', d.message, d),
  node_failed: (d) => new NodeFailure(d.message, d.field, undefined, d.node),
  run_cancelled: (d) => new RunCancelled(d.message),
  migration_lock_held: (d) => new MigrationLockError(d.message),
  invalid_connection_string: (d) => new ConnectionStringError(d.message),
  demo_exists: (d) => new DemoExistsError(d.message),
  lint_refused: (d) => new DataflowError('lint_refused', d.message, d),
  schema_drift: (d) => new DataflowError('schema_drift', d.message, d),
  rollback_refused: (d) => new RollbackRefused(d.message),
};

/** The error a worker posted, as an instance of its code's class. */
export function rebuildError(data: ErrorData): DataflowError {
  return (CLASSES[data.code] ?? CLASSES.failed)(data);
}
