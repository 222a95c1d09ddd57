/** The canvas viewport as commands see it (fit view, where to paste), set by the mounted canvas. */
import type { Position } from '../store/doc.ts';
import { readableFit, workflowBounds } from './initial-view.ts';

/** The part of React Flow's instance the commands use. */
export interface ViewportApi {
  fitView(options?: {
    padding?: number;
    duration?: number;
    maxZoom?: number;
    nodes?: { id: string }[];
  }): Promise<boolean>;
  screenToFlowPosition(p: Position): Position;
  flowToScreenPosition(p: Position): Position;
  setViewport(viewport: { x: number; y: number; zoom: number }, options?: { duration?: number }): Promise<boolean>;
  getNodes(): { id: string; position: Position; measured?: { width?: number; height?: number } }[];
}

let instance: ViewportApi | null = null;
let element: HTMLElement | null = null;

export function attachViewport(flow: ViewportApi | null, el: HTMLElement | null): void {
  instance = flow;
  element = el;
}

/** Shows the workflow at a readable zoom (initial-view.ts: whole when it fits, else its start). */
export function fitView(duration = 200): void {
  if (!instance || !element) return;
  const bounds = workflowBounds(instance.getNodes(), nodeSizes());
  if (!bounds) return;
  void instance.setViewport(readableFit(bounds, { width: element.clientWidth, height: element.clientHeight }), {
    duration,
  });
}

/** Brings node `id` into the middle of the canvas (not closer than zoom 1). */
export function revealOnCanvas(id: string): void {
  void instance?.fitView({ nodes: [{ id }], padding: 0.6, maxZoom: 1, duration: 200 });
}

/** The flow position at the centre of the visible canvas. */
export function viewportCentre(): Position {
  if (!instance || !element) return { x: 0, y: 0 };
  const r = element.getBoundingClientRect();
  return instance.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
}

/** Where a flow position is on the screen (a menu opened from the keyboard opens there). */
export function screenOf(p: Position): Position {
  return instance ? instance.flowToScreenPosition(p) : { x: 0, y: 0 };
}

/** Measured sizes of the nodes on the canvas (empty before the first render). */
export function nodeSizes(): Map<string, { width: number; height: number }> {
  const sizes = new Map<string, { width: number; height: number }>();
  for (const n of instance?.getNodes() ?? []) {
    if (n.measured?.width && n.measured.height) sizes.set(n.id, { width: n.measured.width, height: n.measured.height });
  }
  return sizes;
}
