/**
 * Where fitting a document will put the viewport, estimated from its node positions and a nominal
 * card size before any card is measured. Set before the cards first render, it lets a large
 * workflow's cards be created in the level of detail they will be seen in (light, fitted far out)
 * rather than full and then swapped; React Flow's fit, once the cards are measured, corrects it.
 */
import { getViewportForBounds, type Viewport } from '@xyflow/react';
import type { WorkflowNode } from '../../shared/workflow.ts';

/** A card's width and a light card's height (`.node-card`, `.node-card.light` in styles.css): the estimate matters when cards will be light. */
const CARD = { width: 240, height: 74 };

export interface FitArea {
  width: number;
  height: number;
  minZoom: number;
  maxZoom: number;
  padding: number;
}

/** The viewport fitting `nodes` into `area`, or null when there are none. */
export function estimatedFit(nodes: readonly Pick<WorkflowNode, 'position'>[], area: FitArea): Viewport | null {
  if (nodes.length === 0) return null;
  let left = Infinity,
    top = Infinity,
    right = -Infinity,
    bottom = -Infinity;
  for (const { position: p } of nodes) {
    left = Math.min(left, p.x);
    top = Math.min(top, p.y);
    right = Math.max(right, p.x + CARD.width);
    bottom = Math.max(bottom, p.y + CARD.height);
  }
  return getViewportForBounds(
    { x: left, y: top, width: right - left, height: bottom - top },
    area.width,
    area.height,
    area.minZoom,
    area.maxZoom,
    area.padding,
  );
}

/** True when `next` has nodes and shares none with `prev`: a document was opened (edits keep the node objects they do not change). */
export function replacesAll(prev: readonly WorkflowNode[], next: readonly WorkflowNode[]): boolean {
  if (next.length === 0) return false;
  const before = new Set(prev);
  return !next.some((n) => before.has(n));
}
