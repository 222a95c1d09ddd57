/**
 * The canvas benchmark page (bench/editor-canvas.ts drives it): `?mode=app` renders the editor's
 * canvas (store, node cards, minimap) over a generated workflow, `?mode=bare` bare React Flow with
 * default nodes at the same size. `window.__bench.firstRenderMs` is set once every node is measured.
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

declare global {
  interface Window {
    __bench: {
      mode: string;
      nodes: number;
      firstRenderMs: number | null;
      /** `overview`: the whole workflow in view (zoomed far out); `detail`: zoom 1 at its centre. */
      view(kind: 'overview' | 'detail'): Promise<void>;
      /** Drags the node nearest the centre, or pans the pane, by `steps` mouse moves; answers each move's time until the next frame is drawn. */
      gesture(kind: 'drag' | 'pan', steps: number): Promise<number[]>;
    };
  }
}

const query = new URLSearchParams(window.location.search);
const mode = query.get('mode') === 'bare' ? 'bare' : 'app';
const workflow = benchWorkflow(Number(query.get('n') ?? 1000));
const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

async function gesture(kind: 'drag' | 'pan', steps: number): Promise<number[]> {
  const centre = { x: innerWidth / 2, y: innerHeight / 2 };
  const distance = (el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    return Math.hypot(r.left + r.width / 2 - centre.x, r.top + r.height / 2 - centre.y);
  };
  // The workflow's cards (bare React Flow's default nodes), not the notes or group frames.
  const nodes = [
    ...document.querySelectorAll<HTMLElement>(
      '.react-flow__node:not(.react-flow__node-note):not(.react-flow__node-groupFrame)',
    ),
  ];
  const target =
    kind === 'drag'
      ? nodes.sort((a, b) => distance(a) - distance(b))[0]!
      : document.querySelector<HTMLElement>('.react-flow__pane')!;
  const r = target.getBoundingClientRect();
  let x = kind === 'drag' ? r.left + r.width / 2 : r.left + 12;
  let y = kind === 'drag' ? r.top + Math.min(8, r.height / 2) : r.top + 12;
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
  const times: number[] = [];
  mouse('mousedown', target);
  await frame();
  for (let i = 0; i < steps; i++) {
    x += i < steps / 2 ? 4 : -4;
    y += 1;
    const t0 = performance.now();
    mouse('mousemove', document);
    await frame();
    await frame();
    times.push(performance.now() - t0);
  }
  mouse('mouseup', document);
  await frame();
  return times;
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

window.__bench = { mode, nodes: workflow.nodes.length, firstRenderMs: null, gesture, view };

function Ready() {
  flow = useReactFlow();
  const initialized = useNodesInitialized();
  useEffect(() => {
    if (initialized && window.__bench.firstRenderMs === null)
      requestAnimationFrame(() => (window.__bench.firstRenderMs = performance.now()));
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
