/**
 * Where new nodes go so that they never land on top of existing ones: the nearest offset from the
 * wanted place (on the 20 px snap grid) at which none of the new cards overlaps, or comes closer
 * than GAP to, a card already there.
 */
import type { Position } from './doc.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A card's size until the canvas has measured it (its fixed width, a typical full card's height). */
export const CARD_FOOTPRINT = { width: 240, height: 130 };
/** The room kept between cards. */
export const GAP = 20;
const STEP = 20;
/** How far out the search goes (in steps) before it gives up and keeps the wanted place. */
const MAX_RINGS = 150;

function overlaps(a: Box, b: Box): boolean {
  return (
    a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP
  );
}

/**
 * The offset nearest `wanted` at which every box of `moving`, moved by it, is clear of `fixed`
 * (`wanted` itself when that is clear, or when no clear offset is found nearby).
 */
export function freeOffset(moving: readonly Box[], fixed: readonly Box[], wanted: Position): Position {
  const clear = (dx: number, dy: number) =>
    moving.every((m) => {
      const moved = { ...m, x: m.x + wanted.x + dx, y: m.y + wanted.y + dy };
      return fixed.every((f) => !overlaps(moved, f));
    });
  let best: Position | null = null;
  let bestDistance = Infinity;
  // Ring r holds the grid points at r steps (Chebyshev): none of a later ring is nearer than r steps.
  // On a tie, below and right come before above and left.
  for (let r = 0; r <= MAX_RINGS && r * STEP < bestDistance; r++) {
    for (let i = -r; i <= r; i++) {
      for (const [sx, sy] of r === 0
        ? [[0, 0]]
        : [
            [i, r],
            [r, i],
            [i, -r],
            [-r, i],
          ]) {
        const dx = sx! * STEP;
        const dy = sy! * STEP;
        const distance = Math.hypot(dx, dy);
        if (distance < bestDistance && clear(dx, dy)) {
          best = { x: wanted.x + dx, y: wanted.y + dy };
          bestDistance = distance;
        }
      }
      if (r === 0) break;
    }
  }
  return best ?? wanted;
}

/** Nodes as boxes: their measured size where the canvas has drawn them, else CARD_FOOTPRINT. */
export function cardBoxes(
  nodes: readonly { id: string; position: Position }[],
  sizes: ReadonlyMap<string, { width: number; height: number }>,
): Box[] {
  return nodes.map((n) => ({ ...n.position, ...(sizes.get(n.id) ?? CARD_FOOTPRINT) }));
}
