import { describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow, serializeWorkflow } from '../../shared/workflow.ts';
import { createAppStore } from './index.ts';
import { docText, docToWorkflow } from './doc.ts';

function zeroDowntime() {
  const store = createAppStore();
  store.getState().loadDocument(parseWorkflow(exampleText('zero-downtime')).workflow, null);
  return store;
}

describe('notes and groups in the editor', () => {
  it('leaves a file without notes or groups exactly as it was', () => {
    const text = exampleText('zero-downtime');
    const store = zeroDowntime();
    expect(docText(store.getState().doc)).toBe(serializeWorkflow(parseWorkflow(text).workflow));
    expect(docText(store.getState().doc)).not.toMatch(/"notes"|"groups"/);
  });

  it('colours a note (yellow written as no colour) and brings it to front, each one undo step', () => {
    const store = zeroDowntime();
    const s = () => store.getState();
    const first = s().addNote({ x: 0, y: 0 });
    const second = s().addNote({ x: 300, y: 0 });
    s().setNoteColor(first, 'blue');
    s().bringNoteToFront(first);
    s().bringNoteToFront(first);
    expect(docToWorkflow(s().doc).notes!.map((n) => [n.id, n.color])).toEqual([
      [second, undefined],
      [first, 'blue'],
    ]);
    s().setNoteColor(first, 'yellow');
    expect(docToWorkflow(s().doc).notes![1]).not.toHaveProperty('color');
    expect(store.temporal.getState().pastStates).toHaveLength(5);
  });

  it('groups, moves, collapses, renames and ungroups, each one undo step, and the result is a valid file', () => {
    const store = zeroDowntime();
    const s = () => store.getState();
    s().select({ nodes: ['phase1_add', 'phase2_backfill'], edges: [] });
    const id = s().groupSelection()!;
    s().renameGroup(id, '  Expand  ');
    const before = s().doc.nodes.map((n) => n.position);
    s().moveGroup(id, { x: 40, y: -20 });
    s().setGroupCollapsed(id, true);
    s().addNote({ x: 0.4, y: -100 });
    expect(store.temporal.getState().pastStates).toHaveLength(5);
    const wf = docToWorkflow(s().doc);
    expect(wf.groups).toEqual([
      { id: 'group', name: 'Expand', nodes: ['phase1_add', 'phase2_backfill'], collapsed: true },
    ]);
    expect(wf.nodes.map((n) => n.position)).toEqual([
      { x: before[0]!.x + 40, y: before[0]!.y - 20 },
      { x: before[1]!.x + 40, y: before[1]!.y - 20 },
      before[2],
    ]);
    expect(wf.notes).toMatchObject([{ id: 'note', position: { x: 0, y: -100 } }]);
    expect(parseWorkflow(serializeWorkflow(wf)).workflow).toEqual(wf);
    store.temporal.getState().undo();
    store.temporal.getState().undo();
    expect(s().doc.notes).toEqual([]);
    expect(s().doc.groups[0]!.collapsed).toBeUndefined();
    s().ungroup(id);
    expect(docToWorkflow(s().doc).groups).toBeUndefined();
  });

  it('moves a node into a new group out of its old one, dropping a group left empty', () => {
    const store = zeroDowntime();
    const s = () => store.getState();
    s().select({ nodes: ['phase1_add'], edges: [] });
    s().groupSelection();
    s().select({ nodes: ['phase1_add', 'phase3_constraint'], edges: [] });
    const second = s().groupSelection();
    expect(s().doc.groups).toEqual([{ id: second, name: 'Group 2', nodes: ['phase1_add', 'phase3_constraint'] }]);
    s().select({ nodes: [], edges: [] });
    expect(s().groupSelection()).toBeNull();
  });
});
