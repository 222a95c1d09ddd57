/** Find on the canvas: open or not, the query, and which hit is current. */
import { create } from 'zustand';
import { useApp } from '../store/index.ts';
import { revealOnCanvas } from '../canvas/viewport.ts';
import { findHits, type FindHit } from './find-match.ts';

export interface FindState {
  open: boolean;
  query: string;
  /** Index of the current hit; -1 before the first move. */
  current: number;
  /** Bumped to put the keyboard focus in the find field again (Mod+F while open). */
  focusSeq: number;
}

export const useFind = create<FindState>()(() => ({ open: false, query: '', current: -1, focusSeq: 0 }));

/** The hits of the query in the document, with the SQL preview's planned SQL when it is of this document. */
export function currentHits(query = useFind.getState().query): FindHit[] {
  const s = useApp.getState();
  const planned = s.preview.result;
  return findHits(s.doc.nodes, query, (id) => planned?.nodes[id]?.sql ?? []);
}

export function openFind(): void {
  useFind.setState((f) => ({ open: true, focusSeq: f.focusSeq + 1 }));
}

export function closeFind(): void {
  useFind.setState({ open: false, current: -1 });
}

export function setQuery(query: string): void {
  useFind.setState({ query, current: -1 });
}

/** Moves to the next (or previous) hit: brings it to the middle of the canvas and selects it. */
export function moveHit(step: 1 | -1): void {
  const hits = currentHits();
  if (hits.length === 0) return;
  const { current } = useFind.getState();
  const next = current < 0 ? (step === 1 ? 0 : hits.length - 1) : (current + step + hits.length) % hits.length;
  useFind.setState({ current: next, open: true });
  const id = hits[next]!.nodeId;
  useApp.getState().select({ nodes: [id], edges: [] });
  revealOnCanvas(id);
}
