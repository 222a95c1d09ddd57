/**
 * Where Fit puts the viewport: the whole workflow when it fits at a readable zoom, otherwise the
 * readable zoom (FIT_MIN_ZOOM, card text about 10 px) on the workflow's start (its top left) and
 * the user pans to the rest. Node sizes are the measured ones where known, else a nominal card,
 * so that an opened document is placed before any card is measured (its cards are then created
 * at the zoom they will be seen in).
 */
import type { Viewport } from '@xyflow/react';
import type { WorkflowNode } from '../../shared/workflow.ts';

/** A card's width and a light card's height (`.node-card`, `.node-card.light` in styles.css). */
const CARD = { width: 240, height: 74 };

/** Fit never zooms out further than this (13 px text at 0.75 is 10 px) nor in further than FIT_MAX_ZOOM. */
export const FIT_MIN_ZOOM = 0.75;
export const FIT_MAX_ZOOM = 1;
/** Room left around the workflow, in screen pixels. */
export const FIT_MARGIN = 40;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box around `nodes`, or null when there are none. */
export function workflowBounds(
  nodes: readonly Pick<WorkflowNode, 'id' | 'position'>[],
  sizes: ReadonlyMap<string, { width: number; height: number }> = new Map(),
): Rect | null {
  if (nodes.length === 0) return null;
  let left = Infinity,
    top = Infinity,
    right = -Infinity,
    bottom = -Infinity;
  for (const { id, position: p } of nodes) {
    const size = sizes.get(id) ?? CARD;
    left = Math.min(left, p.x);
    top = Math.min(top, p.y);
    right = Math.max(right, p.x + size.width);
    bottom = Math.max(bottom, p.y + size.height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** The viewport showing `bounds` in a canvas of `area` at a readable zoom (see the file's comment). */
export function readableFit(bounds: Rect, area: { width: number; height: number }): Viewport {
  const room = { width: Math.max(1, area.width - 2 * FIT_MARGIN), height: Math.max(1, area.height - 2 * FIT_MARGIN) };
  const fitting = Math.min(room.width / Math.max(1, bounds.width), room.height / Math.max(1, bounds.height));
  const zoom = Math.min(FIT_MAX_ZOOM, Math.max(FIT_MIN_ZOOM, fitting));
  // Along each axis: centred when the workflow fits, else its start at the margin.
  const place = (start: number, length: number, screen: number) => {
    const drawn = length * zoom;
    return drawn <= screen - 2 * FIT_MARGIN ? (screen - drawn) / 2 - start * zoom : FIT_MARGIN - start * zoom;
  };
  return {
    x: place(bounds.x, bounds.width, area.width),
    y: place(bounds.y, bounds.height, area.height),
    zoom,
  };
}

/** True when `next` has nodes and shares none with `prev`: a document was opened (edits keep the node objects they do not change). */
export function replacesAll(prev: readonly WorkflowNode[], next: readonly WorkflowNode[]): boolean {
  if (next.length === 0) return false;
  const before = new Set(prev);
  return !next.some((n) => before.has(n));
}
