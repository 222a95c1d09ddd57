import { describe, expect, it } from 'vitest';
import type { NodeResult } from '../../shared/run.ts';
import { gatherInputs, lookupReference, normalizeOutputs, resolveParams } from './references.ts';
import { js, workflow } from '../../test/workflows.ts';

const ok = (outputs: Record<string, unknown>): NodeResult => ({
  status: 'succeeded',
  startedAt: null,
  durationMs: 0,
  outputs,
  sql: [],
  rowsAffected: 0,
  error: null,
  warnings: [],
});

describe('data passing', () => {
  it('copies a dotted output path into the target input', () => {
    const wf = workflow([js('a', 'result = 1'), js('b', 'result = 1')], ['a.result.rows->b.input', 'a.count->b.n']);
    const results = new Map([['a', ok({ result: { rows: [1, 2] }, count: 2 })]]);
    expect(gatherInputs(wf, 'b', results, new Set()).inputs).toEqual({ input: [1, 2], n: 2 });
  });

  it('reports a connection to an output the source did not produce', () => {
    const wf = workflow([js('a', 'result = 1'), js('b', 'result = 1')], ['a.nope->b.input']);
    const g = gatherInputs(wf, 'b', new Map([['a', ok({ result: {} })]]), new Set());
    expect(g.missing).toEqual([{ source: 'a', sourceOutput: 'nope', targetInput: 'input', available: ['result'] }]);
  });

  it('ignores skipped sources and lists unknown ones', () => {
    const wf = workflow(
      [js('a', 'result = 1'), js('u', 'result = 1'), js('b', 'result = 1')],
      ['a.result->b.input', 'u.result->b.other'],
    );
    const skipped = { ...ok({}), status: 'skipped' as const };
    const g = gatherInputs(wf, 'b', new Map([['a', skipped]]), new Set(['u']));
    expect(g.inputs).toEqual({});
    expect(g.unknownSources).toEqual(['u']);
  });
});

describe('references', () => {
  it('reads an input by name first, then a field of an input object', () => {
    expect(lookupReference('status', { status: 'direct', input: { status: 'nested' } })).toEqual({
      found: true,
      value: 'direct',
    });
    expect(lookupReference('status', { input: { status: 'nested' } })).toEqual({ found: true, value: 'nested' });
    expect(lookupReference('a.b', { input: { a: { b: 3 } } })).toEqual({ found: true, value: 3 });
    expect(lookupReference('deep', { input: { x: { deep: 1 } } }).found).toBe(false);
  });

  it('resolves top-level reference params and lists the unresolved ones', () => {
    const r = resolveParams(
      { input: ':migration_status', cases: { a: 'b' }, other: ':missing' },
      { input: { migration_status: 'pending' } },
    );
    expect(r.params).toEqual({ input: 'pending', cases: { a: 'b' }, other: ':missing' });
    expect(r.unresolved).toEqual([{ field: 'other', reference: ':missing' }]);
  });
});

describe('normalizeOutputs', () => {
  it('puts every other output into result', () => {
    expect(normalizeOutputs({ migration_status: 'pending' })).toEqual({
      migration_status: 'pending',
      result: { migration_status: 'pending' },
    });
    expect(normalizeOutputs({ result: { a: 1 }, n: 2 })).toEqual({ n: 2, result: { a: 1, n: 2 } });
    expect(normalizeOutputs({ result: 5 })).toEqual({ result: 5 });
  });
});
