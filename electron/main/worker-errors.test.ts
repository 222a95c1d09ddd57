import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataflowError, ERROR_CODES, type ErrorCode } from '../../shared/errors.ts';
import { ConnectionStringError, parseConnectionString } from '../db/connect.ts';
import { DemoExistsError } from '../db/demo.ts';
import { MigrationLockError } from '../db/migration-lock.ts';
import { RollbackRefused } from '../engine/rollback.ts';
import { NodeFailure, RunCancelled } from '../engine/types.ts';
import { startJob } from '../worker/client.ts';
import type { WorkerJob, WorkerMessage } from '../worker/messages.ts';
import { IpcFailure } from './ipc-table.ts';
import { rebuildError } from './worker-errors.ts';

/** One error of each code, as the code that raises it builds it. */
const SAMPLES: Record<ErrorCode, () => DataflowError> = {
  invalid_payload: () => new IpcFailure('must be a number', 'limit'),
  unknown_channel: () => new IpcFailure('no handler', undefined, 'unknown_channel'),
  forbidden: () => new IpcFailure('connection "prod" is read-only', 'mode', 'forbidden'),
  failed: () => new DataflowError('failed', 'cannot open connection "x"'),
  node_failed: () => new NodeFailure('table "orders" does not exist', 'table', '42P01', 'add_col'),
  run_cancelled: () => new RunCancelled(),
  migration_lock_held: () => new MigrationLockError('the migration lock is held by run r1'),
  invalid_connection_string: () => {
    try {
      parseConnectionString('mysql://db');
    } catch (e) {
      return e as DataflowError;
    }
    throw new Error('parseConnectionString accepted mysql://');
  },
  demo_exists: () => new DemoExistsError('the database already has the demo table(s) users'),
  lint_refused: () => new DataflowError('lint_refused', 'node "drop_note": [DF802] dropping "orders"."note"'),
  schema_drift: () =>
    new DataflowError('schema_drift', 'sqlite:demo.db changed outside DataFlow Studio: + column users.x'),
  rollback_refused: () => new RollbackRefused('run 9f744a6b was rolled back already, by run 1c2d3e4f'),
};

const CLASS_OF: Record<ErrorCode, abstract new (...args: never[]) => DataflowError> = {
  invalid_payload: IpcFailure,
  unknown_channel: IpcFailure,
  forbidden: IpcFailure,
  failed: DataflowError,
  node_failed: NodeFailure,
  run_cancelled: RunCancelled,
  migration_lock_held: MigrationLockError,
  invalid_connection_string: ConnectionStringError,
  demo_exists: DemoExistsError,
  lint_refused: DataflowError,
  schema_drift: DataflowError,
  rollback_refused: RollbackRefused,
};

describe('errors across the worker boundary', () => {
  it.each([...ERROR_CODES])('%s: its data, cloned as postMessage does, is rebuilt into its class', (code) => {
    const original = SAMPLES[code]();
    expect(original.code).toBe(code);
    expect(original).toBeInstanceOf(CLASS_OF[code]);
    const rebuilt = rebuildError(structuredClone(original.toData()));
    expect(rebuilt).toBeInstanceOf(CLASS_OF[code]);
    expect(rebuilt.constructor).toBe(original.constructor);
    expect(rebuilt.toData()).toEqual(original.toData());
  });

  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** Runs one job in a real run worker; resolves with its final message. */
  function runJob(job: WorkerJob): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      let last: WorkerMessage | null = null;
      const handle = startJob(job, { onMessage: (m) => (last = m) });
      void handle.ended.then((e) => (last ? resolve(last) : reject(e ?? new Error('no message'))));
    });
  }

  it('a demo job on a database that has the demo tables posts demo_exists; the main side rebuilds DemoExistsError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataflow-worker-errors-'));
    dirs.push(dir);
    const path = join(dir, 'demo.db');
    const target = { kind: 'sqlite' as const, path, label: `sqlite:${path}` };
    expect(await runJob({ kind: 'demo', target, rows: 20, force: false })).toMatchObject({ type: 'demo' });
    const failed = await runJob({ kind: 'demo', target, rows: 20, force: false });
    expect(failed).toMatchObject({ type: 'failed', error: { code: 'demo_exists', field: 'force' } });
    if (failed.type !== 'failed') return;
    expect(failed.error.message).toMatch(/already has the demo table\(s\) .*users/);
    const rebuilt = rebuildError(failed.error);
    expect(rebuilt).toBeInstanceOf(DemoExistsError);
    expect(rebuilt.message).toBe(failed.error.message);
  });
});
