/**
 * The canvas benchmark page (bench/editor-canvas.ts drives it): `?mode=app` renders the editor's
 * canvas (store, node cards, minimap) over a generated workflow, `?mode=bare` bare React Flow with
 * default nodes at the same size. `window.__bench.firstRenderMs` is set once every node is measured.
 */
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { ReactFlow, ReactFlowProvider, useEdgesState, useNodesInitialized, useNodesState, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { benchWorkflow } from './bench-workflow.ts';
import { useApp } from './store/index.ts';
import { Canvas } from './canvas/Canvas.tsx';

declare global {
  interface Window {
    __bench: { mode: string; nodes: number; firstRenderMs: number | null };
  }
}

const query = new URLSearchParams(window.location.search);
const mode = query.get('mode') === 'bare' ? 'bare' : 'app';
const workflow = benchWorkflow(Number(query.get('n') ?? 1000));
window.__bench = { mode, nodes: workflow.nodes.length, firstRenderMs: null };

function Ready() {
  const initialized = useNodesInitialized();
  useEffect(() => {
    if (initialized && window.__bench.firstRenderMs === null) requestAnimationFrame(() => (window.__bench.firstRenderMs = performance.now()));
  }, [initialized]);
  return null;
}

const bareNodes: Node[] = workflow.nodes.map((n) => ({ id: n.id, position: n.position, data: { label: n.id } }));
const bareEdges: Edge[] = workflow.connections.map((c, i) => ({ id: `e${i}`, source: c.source, target: c.target }));

function Bare() {
  const [nodes, , onNodesChange] = useNodesState(bareNodes);
  const [edges, , onEdgesChange] = useEdgesState(bareEdges);
  return (
    <ReactFlow nodes={nodes} edges={edges} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} minZoom={0.05} fitView>
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
