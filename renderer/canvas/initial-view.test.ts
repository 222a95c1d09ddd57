import { describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { benchWorkflow } from '../../bench/canvas-page/workflow.ts';
import { docFromWorkflow, emptyDoc, moveNodes, setParams } from '../store/doc.ts';
import { FIT_MARGIN, FIT_MAX_ZOOM, FIT_MIN_ZOOM, readableFit, replacesAll, workflowBounds } from './initial-view.ts';

const area = { width: 1600, height: 1000 };
/** Opens the example as the app does: the file's text parsed afresh. */
const open = () => parseWorkflow(exampleText('migration-workflow-pattern')).workflow;
const example = open();

describe('readableFit', () => {
  it('shows a workflow that fits whole and centred, not blown up past zoom 1', () => {
    const bounds = workflowBounds(example.nodes)!;
    const view = readableFit(bounds, area);
    expect(view.zoom).toBeGreaterThanOrEqual(FIT_MIN_ZOOM);
    expect(view.zoom).toBeLessThanOrEqual(FIT_MAX_ZOOM);
    const left = bounds.x * view.zoom + view.x;
    const right = (bounds.x + bounds.width) * view.zoom + view.x;
    expect(left).toBeGreaterThanOrEqual(FIT_MARGIN);
    expect(right).toBeLessThanOrEqual(area.width - FIT_MARGIN);
    expect(left).toBeCloseTo(area.width - right, 5);
  });

  it('keeps a 1,000-node workflow readable and shows its start, to pan from there', () => {
    const { nodes } = benchWorkflow(1000);
    const bounds = workflowBounds(nodes)!;
    const view = readableFit(bounds, area);
    expect(view.zoom).toBe(FIT_MIN_ZOOM);
    expect(bounds.x * view.zoom + view.x).toBe(FIT_MARGIN);
    expect(bounds.y * view.zoom + view.y).toBe(FIT_MARGIN);
  });

  it('measures with the measured sizes where known, and has nothing to fit in an empty workflow', () => {
    const [a] = example.nodes;
    const measured = new Map([[a!.id, { width: 240, height: 400 }]]);
    expect(workflowBounds([a!], measured)!.height).toBe(400);
    expect(workflowBounds([a!])!.height).toBe(74);
    expect(workflowBounds([])).toBeNull();
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
