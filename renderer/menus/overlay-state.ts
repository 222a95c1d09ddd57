/**
 * What floats over the canvas: a right-click menu (on a node, an edge, a note or the canvas) and the node
 * search (a connection dropped on empty canvas, "Add node here", "Insert a node" on an edge). One
 * of them at a time; the canvas and the commands open them, `Overlays.tsx` draws them.
 */
import { create } from 'zustand';
import type { Position } from '../store/doc.ts';

export type MenuTarget =
  | { kind: 'node'; nodeId: string }
  | { kind: 'edge'; edgeId: string }
  | { kind: 'note'; noteId: string }
  | { kind: 'canvas' };

/** How the node the search adds is attached: not at all, after a port, before a port, or into an edge. */
export type Attach =
  | { kind: 'none' }
  | { kind: 'from'; nodeId: string; handle: string | null }
  | { kind: 'to'; nodeId: string; handle: string | null }
  | { kind: 'split'; edgeId: string };

/** `x`, `y`: where on the screen it opens; `at`: the canvas point it acts on (where a node is added). */
export interface Anchor {
  x: number;
  y: number;
  at: Position;
}

export interface OverlayState {
  menu: (Anchor & { target: MenuTarget }) | null;
  search: (Anchor & { attach: Attach }) | null;
  openMenu(target: MenuTarget, anchor: Anchor): void;
  openSearch(attach: Attach, anchor: Anchor): void;
  close(): void;
}

export const useOverlay = create<OverlayState>()((set) => ({
  menu: null,
  search: null,
  openMenu: (target, anchor) => set({ menu: { ...anchor, target }, search: null }),
  openSearch: (attach, anchor) => set({ search: { ...anchor, attach }, menu: null }),
  close: () => set({ menu: null, search: null }),
}));
