import { describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { docFromWorkflow, moveNodes, setParams, setRoute } from '../store/doc.ts';
import { ESTIMATED_CARD, createEdgeCache, createEdgeModelCache, edgeRunClass, toFlowNodes } from './flow-model.ts';

const doc = docFromWorkflow(parseWorkflow(exampleText('migration-workflow-pattern')).workflow);
const none = new Set<string>();
const noSizes = new Map<string, { width: number; height: number }>();

describe('document to React Flow', () => {
  it('keeps every unchanged node object when one node moves', () => {
    const before = toFlowNodes(doc.nodes, none, noSizes);
    const moved = moveNodes(doc, new Map([['apply_migration', { x: 5, y: 5 }]]));
    const after = toFlowNodes(moved.nodes, none, noSizes);
    const changed = after.filter((n, i) => n !== before[i]).map((n) => n.id);
    expect(changed).toEqual(['apply_migration']);
    expect(after.find((n) => n.id === 'apply_migration')!.data).toBe(
      before.find((n) => n.id === 'apply_migration')!.data,
    );
  });

  it('makes a new node object when its selection or measured size changes', () => {
    const before = toFlowNodes(doc.nodes, none, noSizes);
    const selected = toFlowNodes(doc.nodes, new Set(['check_migration']), noSizes);
    expect(selected[0]).not.toBe(before[0]);
    expect(selected[0]!.selected).toBe(true);
    expect(selected[1]).toBe(before[1]);
    const sized = toFlowNodes(doc.nodes, none, new Map([['check_migration', { width: 240, height: 90 }]]));
    expect(sized[0]!.measured).toEqual({ width: 240, height: 90 });
  });

  it('gives a card not yet measured an estimated size and ports when only the cards in view are drawn', () => {
    const sizes = new Map([['check_migration', { width: 240, height: 90 }]]);
    const drawnAll = toFlowNodes(doc.nodes, none, sizes);
    expect(drawnAll.every((n) => n.handles === undefined)).toBe(true);
    const [measured, estimated] = toFlowNodes(doc.nodes, none, sizes, new Set(), true);
    expect(measured!.measured).toEqual({ width: 240, height: 90 });
    expect(measured!.handles).toBeUndefined();
    // Half a pixel taller than any measured card: React Flow measures it again once it is drawn.
    expect(estimated!.measured).toBe(ESTIMATED_CARD);
    const node = doc.nodes[1]!;
    expect(estimated!.id).toBe(node.id);
    // A Switch: every route's port at the middle of the right edge, as on a light card.
    expect(estimated!.handles!.map((h) => `${h.type} ${h.id} ${h.x},${h.y}`)).toEqual([
      'target input -4.5,32.75',
      'source case:pending 235.5,32.75',
      'source case:completed 235.5,32.75',
      'source default 235.5,32.75',
      'source new-case 235.5,32.75',
      'source result 235.5,32.75',
    ]);
  });

  it('reuses the edge models while only positions or edge-neutral params change, and rebuilds them when a route changes', () => {
    const models = createEdgeModelCache();
    const first = models(doc);
    expect(models(moveNodes(doc, new Map([['skip_migration', { x: 1, y: 2 }]])))).toBe(first);
    // Typing in a param that draws no edge keeps the same edges (React Flow does not re-index them).
    expect(models(setParams(doc, 'apply_migration', { ...doc.nodes[2]!.params, column_name: 'x' }))).toBe(first);
    const rerouted = models(setRoute(doc, 'migration_decision', 'completed', 'update_status'));
    expect(rerouted.find((e) => e.label === 'completed')!.target).toBe('update_status');
  });

  it('keeps edge objects whose look did not change, and marks taken and skipped routes after a run', () => {
    const edges = createEdgeCache();
    const models = createEdgeModelCache()(doc);
    const first = edges(models, none, {});
    const run = {
      migration_decision: {
        status: 'succeeded' as const,
        startedAt: null,
        durationMs: 1,
        rowsAffected: 0,
        error: null,
      },
      skip_migration: { status: 'succeeded' as const, startedAt: null, durationMs: 1, rowsAffected: 0, error: null },
      apply_migration: { status: 'skipped' as const, startedAt: null, durationMs: null, rowsAffected: 0, error: null },
    };
    const after = edges(models, none, run);
    const byLabel = (label: string) => after.find((e) => e.label === label)!;
    expect(byLabel('completed').className).toBe('edge-route edge-taken');
    expect(byLabel('pending').className).toBe('edge-route edge-skipped');
    const untouched = after.find((e) => e.source === 'check_migration')!;
    expect(first.find((e) => e.id === untouched.id)).toBe(untouched);
    expect(edgeRunClass(models[0]!, {})).toBe('edge-route');
  });
});
