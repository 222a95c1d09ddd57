import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../../shared/workflow.ts';
import { layoutRun } from './scopes.ts';
import { js, node, workflow } from '../../test/workflows.ts';

const scope = (id: string) => node(id, 'TransactionScopeNode', {});

describe('layoutRun', () => {
  it('an unconnected scope covers every node after it, in file order', () => {
    const wf = workflow([js('a', 'result = 1'), scope('s'), js('b', 'result = 1'), js('c', 'result = 1')]);
    const layout = layoutRun(wf);
    expect(layout.order).toEqual(['a', 's', 'b', 'c']);
    expect(layout.scopes.get('s')).toEqual(['b', 'c']);
  });

  it('a connected scope covers its descendants, and unrelated nodes leave its span', () => {
    // File order puts x (unrelated) and y (needed by c) between the scope's members.
    const wf = workflow(
      [scope('s'), js('b', 'result = 1'), js('x', 'result = 1'), js('y', 'result = 1'), js('c', 'result = 1')],
      ['s.result->b.input', 'b.result->c.input', 'y.result->c.other'],
    );
    const layout = layoutRun(wf);
    expect(layout.scopes.get('s')).toEqual(['b', 'c']);
    expect(layout.order).toEqual(['y', 's', 'b', 'c', 'x']);
  });

  it('nests a scope inside another and records the parent', () => {
    const wf = workflow([scope('outer'), js('a', 'result = 1'), scope('inner'), js('b', 'result = 1')]);
    const layout = layoutRun(wf);
    expect(layout.scopes.get('outer')).toEqual(['a', 'inner', 'b']);
    expect(layout.scopes.get('inner')).toEqual(['b']);
    expect(layout.parents.get('inner')).toBe('outer');
    expect(layout.parents.get('outer')).toBeNull();
  });

  it('rejects two scopes that share a node without nesting, naming the node', () => {
    const wf = workflow(
      [scope('s1'), scope('s2'), js('shared', 'result = 1')],
      ['s1.result->shared.input', 's2.result->shared.other'],
    );
    expect(() => layoutRun(wf)).toThrowError(WorkflowError);
    expect(() => layoutRun(wf)).toThrowError(/node "shared".*"s1" and "s2"/);
  });
});
