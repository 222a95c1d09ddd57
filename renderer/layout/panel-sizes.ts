/**
 * How big each resizable panel may be: its default, its bounds, and the room the canvas keeps.
 * Pure, so the clamping is tested apart from the DOM (panel-sizes.test.ts).
 */
import type { PanelId, PanelState } from '../../shared/ui-settings.ts';

/** The default size of each panel in CSS pixels (the layout before the user resizes anything). */
export const DEFAULT_SIZES: Readonly<Record<PanelId, number>> = { left: 250, right: 380, bottom: 290 };

/** The smallest and largest size a panel is dragged to (a smaller one is collapsed instead). */
export const SIZE_BOUNDS: Readonly<Record<PanelId, { min: number; max: number }>> = {
  left: { min: 180, max: 640 },
  right: { min: 280, max: 1400 },
  bottom: { min: 120, max: 1600 },
};

/** The canvas never gets narrower or shorter than this from resizing panels. */
export const CANVAS_MIN = { width: 360, height: 180 };

/** What a key press on a splitter moves: arrows 16 px, with Shift 64 px. */
export const KEY_STEP = 16;
export const KEY_STEP_LARGE = 64;

export const DEFAULT_PANELS: Readonly<Record<PanelId, PanelState>> = {
  left: { size: DEFAULT_SIZES.left, collapsed: false },
  right: { size: DEFAULT_SIZES.right, collapsed: false },
  bottom: { size: DEFAULT_SIZES.bottom, collapsed: false },
};

/** The room the window gives: the main area's width and the centre column's height, and the open side panels' widths. */
export interface Room {
  width: number;
  height: number;
  /** The other side panel's width (0 when collapsed), for left and right. */
  otherSide: number;
}

/** The largest size panel `id` may take in `room`, leaving the canvas its minimum. */
export function maxSize(id: PanelId, room: Room): number {
  const bound = SIZE_BOUNDS[id].max;
  const fromRoom = id === 'bottom' ? room.height - CANVAS_MIN.height : room.width - room.otherSide - CANVAS_MIN.width;
  return Math.max(SIZE_BOUNDS[id].min, Math.min(bound, Math.floor(fromRoom)));
}

/** `size` rounded and kept between the panel's minimum and the largest the room allows. */
export function clampSize(id: PanelId, size: number, room: Room): number {
  if (!Number.isFinite(size)) return DEFAULT_SIZES[id];
  return Math.min(maxSize(id, room), Math.max(SIZE_BOUNDS[id].min, Math.round(size)));
}

/** The size after a key press on the panel's splitter, or null for a key it does not handle. */
export function keyedSize(id: PanelId, size: number, key: string, shift: boolean, room: Room): number | null {
  const step = shift ? KEY_STEP_LARGE : KEY_STEP;
  // Arrows move the splitter: towards the canvas grows the panel, away shrinks it.
  const grow: Record<PanelId, string> = { left: 'ArrowRight', right: 'ArrowLeft', bottom: 'ArrowUp' };
  const shrink: Record<PanelId, string> = { left: 'ArrowLeft', right: 'ArrowRight', bottom: 'ArrowDown' };
  if (key === grow[id]) return clampSize(id, size + step, room);
  if (key === shrink[id]) return clampSize(id, size - step, room);
  if (key === 'Home') return SIZE_BOUNDS[id].min;
  if (key === 'End') return maxSize(id, room);
  return null;
}
