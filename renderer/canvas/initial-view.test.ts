import { describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { benchWorkflow } from '../../bench/canvas-page/workflow.ts';
import { docFromWorkflow, emptyDoc, moveNodes, setParams } from '../store/doc.ts';
import { FAR_ZOOM } from '../nodes/detail.ts';
import { estimatedFit, replacesAll } from './initial-view.ts';

const area = { width: 1600, height: 1000, minZoom: 0.05, maxZoom: 2, padding: 0.2 };
/** Opens the example as the app does: the file's text parsed afresh. */
const open = () => parseWorkflow(exampleText('migration-workflow-pattern')).workflow;
const example = open();

describe('estimatedFit', () => {
  it('puts a 1,000-node workflow far out, every card inside the canvas', () => {
    const { nodes } = benchWorkflow(1000);
    const view = estimatedFit(nodes, area)!;
    expect(view.zoom).toBeLessThan(FAR_ZOOM);
    for (const { position: p } of nodes) {
      const x = p.x * view.zoom + view.x;
      const y = p.y * view.zoom + view.y;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x + 240 * view.zoom).toBeLessThanOrEqual(area.width);
      expect(y + 74 * view.zoom).toBeLessThanOrEqual(area.height);
    }
  });

  it('keeps a small workflow at a zoom where its cards are drawn in full, and has nothing to fit in an empty one', () => {
    expect(estimatedFit(example.nodes, area)!.zoom).toBeGreaterThanOrEqual(FAR_ZOOM);
    expect(estimatedFit([], area)).toBeNull();
  });
});

describe('replacesAll', () => {
  const doc = docFromWorkflow(example);

  it('is true for an opened document, also one with the same ids', () => {
    expect(replacesAll(emptyDoc().nodes, doc.nodes)).toBe(true);
    expect(replacesAll(doc.nodes, docFromWorkflow(open()).nodes)).toBe(true);
  });

  it('is false for edits, and for a document without nodes', () => {
    const first = doc.nodes[0]!;
    expect(replacesAll(doc.nodes, moveNodes(doc, new Map([[first.id, { x: 1, y: 2 }]])).nodes)).toBe(false);
    expect(replacesAll(doc.nodes, setParams(doc, first.id, { ...first.params }).nodes)).toBe(false);
    expect(replacesAll(doc.nodes, emptyDoc().nodes)).toBe(false);
  });
});
