import { describe, expect, it } from 'vitest';
import { DataflowError, ERROR_CODES, errorData, isErrorCode } from './errors.ts';

describe('DataflowError', () => {
  it('carries its code, node and field, and as data only what is set', () => {
    const e = new DataflowError('node_failed', 'table "orders" does not exist', { node: 'add_col', field: 'table' });
    expect(e).toBeInstanceOf(Error);
    expect(e.toData()).toEqual({
      code: 'node_failed',
      message: 'table "orders" does not exist',
      node: 'add_col',
      field: 'table',
    });
    expect(new DataflowError('failed', 'x').toData()).toEqual({ code: 'failed', message: 'x' });
  });

  it('as data survives the structured clone that postMessage and the preload bridge apply', () => {
    const data = new DataflowError('demo_exists', 'the database already has demo tables', { field: 'force' }).toData();
    expect(structuredClone(data)).toEqual(data);
  });

  it('errorData: a DataflowError keeps its code, anything else is `failed` with its message', () => {
    expect(errorData(new DataflowError('migration_lock_held', 'held by run r1'))).toEqual({
      code: 'migration_lock_held',
      message: 'held by run r1',
    });
    expect(errorData(new TypeError('boom'))).toEqual({ code: 'failed', message: 'boom' });
    expect(errorData('plain text')).toEqual({ code: 'failed', message: 'plain text' });
  });

  it('isErrorCode knows exactly the listed codes', () => {
    for (const code of ERROR_CODES) expect(isErrorCode(code)).toBe(true);
    expect(isErrorCode('demo_exist')).toBe(false);
    expect(isErrorCode(7)).toBe(false);
  });
});
