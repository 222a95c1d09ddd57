/** The canvas viewport as commands see it (fit view, where to paste), set by the mounted canvas. */
import type { Position } from '../store/doc.ts';

/** The part of React Flow's instance the commands use. */
export interface ViewportApi {
  fitView(options?: {
    padding?: number;
    duration?: number;
    maxZoom?: number;
    nodes?: { id: string }[];
  }): Promise<boolean>;
  screenToFlowPosition(p: Position): Position;
  getNodes(): { id: string; measured?: { width?: number; height?: number } }[];
}

let instance: ViewportApi | null = null;
let element: HTMLElement | null = null;

export function attachViewport(flow: ViewportApi | null, el: HTMLElement | null): void {
  instance = flow;
  element = el;
}

export function fitView(): void {
  void instance?.fitView({ padding: 0.2, duration: 200 });
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

/** Measured sizes of the nodes on the canvas (empty before the first render). */
export function nodeSizes(): Map<string, { width: number; height: number }> {
  const sizes = new Map<string, { width: number; height: number }>();
  for (const n of instance?.getNodes() ?? []) {
    if (n.measured?.width && n.measured.height) sizes.set(n.id, { width: n.measured.width, height: n.measured.height });
  }
  return sizes;
}
