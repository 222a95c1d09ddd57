import { describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { docFromWorkflow, type Doc } from '../store/doc.ts';
import { addAttached } from './attach.ts';

const doc = docFromWorkflow(parseWorkflow(exampleText('zero-downtime')).workflow);
const links = (d: Doc) => d.connections.map((c) => `${c.source}.${c.sourceOutput}->${c.target}.${c.targetInput}`);
const at = { x: 100, y: 200 };

describe('adding a node attached to a port or an edge', () => {
  it('connects a node added from an output port, or into an input port', () => {
    const from = addAttached(doc, 'ValidationNode', at, {
      kind: 'from',
      nodeId: 'phase3_constraint',
      handle: 'result',
    });
    if ('problem' in from) throw new Error(from.problem);
    expect(from.id).toBe('validation');
    expect(links(from.doc)).toContain('phase3_constraint.result->validation.input');
    expect(from.doc.nodes.find((n) => n.id === 'validation')?.position).toEqual(at);
    const to = addAttached(doc, 'MonitoringNode', at, { kind: 'to', nodeId: 'phase1_add', handle: 'input' });
    if ('problem' in to) throw new Error(to.problem);
    expect(links(to.doc)).toContain('monitoring.result->phase1_add.input');
  });

  it('splits an edge: source → new → target, the old connection gone', () => {
    const split = addAttached(doc, 'ValidationNode', at, {
      kind: 'split',
      edgeId: 'conn:phase1_add.result->phase2_backfill.input',
    });
    if ('problem' in split) throw new Error(split.problem);
    expect(links(split.doc)).toEqual([
      'phase2_backfill.result->phase3_constraint.input',
      'phase1_add.result->validation.input',
      'validation.result->phase2_backfill.input',
    ]);
  });

  it('refuses the whole change when a link would close a cycle', () => {
    const loop = addAttached(doc, 'ValidationNode', at, { kind: 'split', edgeId: 'conn:missing' });
    expect(loop).toEqual({ problem: 'that connection is no longer there' });
  });
});
