/** Selected nodes and edges (React Flow reports changes; commands read them). Not undone. */
import type { Slice } from './types.ts';

export interface Selection {
  nodes: string[];
  edges: string[];
}

export interface SelectionSlice {
  selection: Selection;
  select(selection: Selection): void;
  selectAll(): void;
}

export const createSelectionSlice: Slice<SelectionSlice> = (set, get) => ({
  selection: { nodes: [], edges: [] },
  select(selection) {
    const cur = get().selection;
    if (sameIds(cur.nodes, selection.nodes) && sameIds(cur.edges, selection.edges)) return;
    set({ selection });
  },
  selectAll() {
    set({ selection: { nodes: get().doc.nodes.map((n) => n.id), edges: [] } });
  },
});

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
