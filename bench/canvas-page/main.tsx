/**
 * The canvas benchmark page (bench/editor-canvas.ts drives it): `?mode=app` renders the editor's
 * canvas (store, node cards, minimap) over a generated workflow, `?mode=bare` bare React Flow with
 * default nodes at the same size. `window.__bench.firstRenderMs` is set at the first frame in which
 * every node is measured and every node on the page is measured at the size it is drawn.
 */
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import {
  ReactFlow,
  ReactFlowProvider,
  useEdgesState,
  useNodesInitialized,
  useNodesState,
  useReactFlow,
  type Edge,
  type Node,
  type ReactFlowInstance,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import '../../renderer/styles.css';
import { benchWorkflow } from './workflow.ts';
import { useApp } from '../../renderer/store/index.ts';
import { Canvas } from '../../renderer/canvas/Canvas.tsx';

const CARDS = '.react-flow__node:not(.react-flow__node-note):not(.react-flow__node-groupFrame)';

export interface GestureResult {
  times: number[];
  /** How far the dragged node (flow units) or the viewport (screen pixels) moved to the right. */
  dx: number;
  zoom: number;
}

declare global {
  interface Window {
    __bench: {
      mode: string;
      nodes: number;
      firstRenderMs: number | null;
      /** `overview`: the whole workflow in view (zoomed far out); `detail`: zoom 1 at its centre. */
      view(kind: 'overview' | 'detail'): Promise<void>;
      /**
       * Drags the node nearest the centre, or pans the pane, by `steps` mouse moves of STEP_PX to
       * the right; answers each move's time until the next frame is drawn, and how far the node
       * (flow units) or the viewport (screen pixels) moved.
       */
      gesture(kind: 'drag' | 'pan', steps: number): Promise<GestureResult>;
      /** Screen pixels per mouse move of a gesture. */
      stepPx: number;
    };
  }
}

const query = new URLSearchParams(window.location.search);
const mode = query.get('mode') === 'bare' ? 'bare' : 'app';
const workflow = benchWorkflow(Number(query.get('n') ?? 1000));
const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** Screen pixels per mouse move: at zoom 1 one step of the editor's 20 px snap grid, so every move moves the node. */
const STEP_PX = 20;

/** Where `el` is drawn: a node's or the viewport's translate (screen pixels for the viewport, flow units for a node). */
function translate(el: Element): { x: number; y: number } {
  const m = /translate\((-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec((el as HTMLElement).style.transform);
  if (!m) throw new Error(`no translate on ${el.className}`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

async function gesture(kind: 'drag' | 'pan', steps: number): Promise<GestureResult> {
  const centre = { x: innerWidth / 2, y: innerHeight / 2 };
  const distance = (el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    return Math.hypot(r.left + r.width / 2 - centre.x, r.top + r.height / 2 - centre.y);
  };
  // The workflow's cards (bare React Flow's default nodes), not the notes or group frames.
  const nodes = [...document.querySelectorAll<HTMLElement>(CARDS)];
  const target =
    kind === 'drag'
      ? nodes.sort((a, b) => distance(a) - distance(b))[0]!
      : document.querySelector<HTMLElement>('.react-flow__pane')!;
  const moved = kind === 'drag' ? target : document.querySelector('.react-flow__viewport')!;
  const r = target.getBoundingClientRect();
  // A node is taken by its middle; the pane left of the centre, so that the moves stay on screen.
  let x = kind === 'drag' ? r.left + r.width / 2 : centre.x - (steps * STEP_PX) / 2;
  const y = kind === 'drag' ? r.top + r.height / 2 : centre.y;
  const mouse = (type: string, el: EventTarget) =>
    el.dispatchEvent(
      new MouseEvent(type, {
        bubbles: true,
        cancelable: true,
        view: window,
        clientX: x,
        clientY: y,
        button: 0,
        buttons: type === 'mouseup' ? 0 : 1,
      }),
    );
  const before = translate(moved);
  const times: number[] = [];
  // Pressed on the node itself, or on the bare pane where a node is not in the way.
  mouse('mousedown', target);
  await frame();
  for (let i = 0; i < steps; i++) {
    x += STEP_PX;
    const t0 = performance.now();
    mouse('mousemove', document);
    await frame();
    await frame();
    times.push(performance.now() - t0);
  }
  mouse('mouseup', document);
  await frame();
  const after = translate(moved);
  return { times, dx: after.x - before.x, zoom: flow!.getZoom() };
}

let flow: ReactFlowInstance | null = null;

async function view(kind: 'overview' | 'detail'): Promise<void> {
  if (!flow) throw new Error('the canvas is not mounted');
  if (kind === 'overview') await flow.fitView();
  else {
    const xs = workflow.nodes.map((n) => n.position.x);
    const ys = workflow.nodes.map((n) => n.position.y);
    await flow.setCenter((Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2, { zoom: 1 });
  }
  await frame();
  await frame();
}

window.__bench = { mode, nodes: workflow.nodes.length, firstRenderMs: null, gesture, view, stepPx: STEP_PX };

function Ready() {
  flow = useReactFlow();
  const initialized = useNodesInitialized();
  useEffect(() => {
    if (!initialized || window.__bench.firstRenderMs !== null) return;
    // The first frame in which every card on the page carries the size it is drawn at (the
    // editor gives cards not yet drawn an estimated size, measured again once they are drawn).
    const settled = () => {
      const drawn = [...document.querySelectorAll<HTMLElement>('.react-flow__node')];
      const measured = drawn.every((el) => {
        const size = flow!.getInternalNode(el.dataset.id!)?.measured;
        return size?.width === el.offsetWidth && size.height === el.offsetHeight;
      });
      if (measured) window.__bench.firstRenderMs = performance.now();
      else requestAnimationFrame(settled);
    };
    requestAnimationFrame(settled);
  }, [initialized]);
  return null;
}

const bareNodes: Node[] = workflow.nodes.map((n) => ({ id: n.id, position: n.position, data: { label: n.id } }));
const bareEdges: Edge[] = workflow.connections.map((c, i) => ({ id: `e${i}`, source: c.source, target: c.target }));

function Bare() {
  const [nodes, , onNodesChange] = useNodesState(bareNodes);
  const [edges, , onEdgesChange] = useEdgesState(bareEdges);
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      minZoom={0.05}
      fitView
    >
      <Ready />
    </ReactFlow>
  );
}

function App() {
  return (
    <ReactFlowProvider>
      <div className="bench-app">
        <Canvas />
      </div>
      <Ready />
    </ReactFlowProvider>
  );
}

if (mode === 'app') useApp.getState().loadDocument(workflow, null);
createRoot(document.getElementById('root')!).render(mode === 'bare' ? <Bare /> : <App />);
