// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { Profiler } from 'react';
import { act, cleanup, render, screen } from '@testing-library/react';
import { ReactFlowProvider, useStoreApi, type NodeProps } from '@xyflow/react';
import { useApp } from '../store/index.ts';
import { FAR_ZOOM } from './detail.ts';
import { NodeCard, type FlowNode } from './NodeCard.tsx';
import { nodeInputs } from '../store/run-inputs.ts';
import { emptyNodeResult } from '../../shared/run.ts';
import type { Schema } from '../../shared/schema.ts';

afterEach(() => {
  cleanup();
  useApp.getState().clearRun();
});

const params = {
  table: 'orders',
  operation: 'add_column',
  column_name: 'processing_status',
  column_type: 'varchar(50)',
  nullable: false,
  default_value: 'pending',
};
const props: NodeProps<FlowNode> = {
  id: 'add_status',
  type: 'workflow',
  data: { type: 'SchemaModificationNode', params, disabled: false },
  selected: false,
  dragging: false,
  zIndex: 0,
  selectable: true,
  deletable: true,
  draggable: true,
  isConnectable: true,
  positionAbsoluteX: 0,
  positionAbsoluteY: 0,
};

/** Renders one card under a React Flow store zoomed to `zoom`; answers a zoom setter (what a wheel zoom does to the store) and the card's commit count. */
function renderCard(zoom: number) {
  let flow: ReturnType<typeof useStoreApi> | null = null;
  function Flow() {
    flow = useStoreApi();
    return null;
  }
  const commits = { count: 0 };
  const tree = (withCard: boolean) => (
    <ReactFlowProvider>
      <Flow />
      {withCard && (
        <Profiler id="card" onRender={() => commits.count++}>
          <NodeCard {...props} />
        </Profiler>
      )}
    </ReactFlowProvider>
  );
  const zoomTo = (z: number) => act(() => flow!.setState({ transform: [0, 0, z] }));
  const { rerender } = render(tree(false));
  zoomTo(zoom);
  rerender(tree(true));
  return { zoomTo, commits };
}

const card = () => screen.getByTestId('node-add_status');

const SUMMARY = "orders.processing_status varchar(50) NOT NULL DEFAULT 'pending'";
const isLight = () => card().classList.contains('light');

describe('NodeCard level of detail', () => {
  it('draws the full card at normal zoom', () => {
    renderCard(1);
    expect(isLight()).toBe(false);
    expect(screen.getByTestId('node-summary-add_status').textContent).toBe(SUMMARY);
    expect(card().querySelector('.node-type')!.textContent).toBe('Schema change');
    expect(card().querySelector('.badge-ok')).not.toBeNull();
  });

  it('draws a card created zoomed far out light (frame, category colour, id in large type and as tooltip), full once zoomed in, and keeps it full', () => {
    const { zoomTo } = renderCard(FAR_ZOOM - 0.01);
    expect(isLight()).toBe(true);
    expect(card().getAttribute('title')).toBe('add_status');
    expect(card().querySelector('.node-icon.cat-Schema')).not.toBeNull();
    // Its only text is the id in large type (styles.css shows it between ID_ZOOM and FAR_ZOOM).
    expect(card().querySelector('.node-far-id')!.textContent).toBe('add_status');
    expect(card().textContent).toBe('add_status');

    zoomTo(FAR_ZOOM + 0.01);
    expect(isLight()).toBe(false);
    expect(screen.getByTestId('node-summary-add_status').textContent).toBe(SUMMARY);

    zoomTo(0.1);
    expect(isLight()).toBe(false);
    expect(screen.getByTestId('node-summary-add_status').textContent).toBe(SUMMARY);
  });

  it('re-renders only when the zoom crosses FAR_ZOOM', () => {
    const { zoomTo, commits } = renderCard(0.1);
    const mounted = commits.count;
    zoomTo(0.2);
    zoomTo(FAR_ZOOM - 0.01);
    expect(commits.count).toBe(mounted);
    zoomTo(FAR_ZOOM + 0.01);
    zoomTo(1.5);
    expect(commits.count).toBe(mounted + 1);
    zoomTo(0.3);
    expect(commits.count).toBe(mounted + 2);
  });

  it('does not re-render while other nodes are dragged (its store selections keep their values)', () => {
    const { commits } = renderCard(1);
    const s = useApp.getState();
    act(() => {
      useApp.setState({
        doc: {
          ...s.doc,
          nodes: [
            { id: 'add_status', type: 'SchemaModificationNode', params, position: { x: 0, y: 0 } },
            { id: 'other', type: 'SchemaModificationNode', params, position: { x: 300, y: 0 } },
          ],
        },
      });
    });
    const before = commits.count;
    for (let x = 320; x <= 400; x += 20) act(() => useApp.getState().moveNodes(new Map([['other', { x, y: 0 }]])));
    expect(commits.count).toBe(before);
  });

  it('shows the run status on the light card too', () => {
    renderCard(0.1);
    const s = useApp.getState();
    act(() => {
      s.runStarting('apply', nodeInputs(s.doc));
      s.runAccepted('r1');
      s.receiveRunEvent({
        type: 'run_started',
        runId: 'r1',
        mode: 'apply',
        workflow: 'w',
        order: ['add_status'],
        at: '2026-11-26T00:00:00.000Z',
      });
      s.receiveRunEvent({ type: 'node_started', runId: 'r1', nodeId: 'add_status', at: '2026-11-26T00:00:00.100Z' });
    });
    expect(isLight()).toBe(true);
    expect(card().classList.contains('status-running')).toBe(true);
    expect(card().getAttribute('data-status')).toBe('running');
  });

  it('shows a failed node with ✗ (never ✓), and dims its result as "edited since this run" once its params change', () => {
    renderCard(1);
    const s = useApp.getState();
    act(() => {
      useApp.setState({
        doc: {
          ...s.doc,
          nodes: [{ id: 'add_status', type: 'SchemaModificationNode', params, position: { x: 0, y: 0 } }],
        },
      });
      s.runStarting('apply', nodeInputs(useApp.getState().doc));
      s.runAccepted('r2');
      s.receiveRunEvent({
        type: 'run_started',
        runId: 'r2',
        mode: 'apply',
        workflow: 'w',
        order: ['add_status'],
        at: '2026-11-26T00:00:00.000Z',
      });
      s.receiveRunEvent({
        type: 'node_finished',
        runId: 'r2',
        nodeId: 'add_status',
        result: { ...emptyNodeResult('failed'), error: { message: 'column "processing_status" already exists' } },
      });
    });
    expect(card().getAttribute('data-status')).toBe('failed');
    expect(screen.getByTestId('node-failed-add_status').textContent).toBe('✗');
    expect(screen.queryByTestId('node-valid-add_status')).toBeNull();
    expect(screen.queryByTestId('node-stale-add_status')).toBeNull();

    act(() => useApp.getState().setParams('add_status', { ...params, column_name: 'processing_state' }));
    expect(card().getAttribute('data-stale')).toBe('true');
    expect(screen.getByTestId('node-stale-add_status').textContent).toBe('edited since this run');
    expect(screen.queryByTestId('node-failed-add_status')).toBeNull();
    expect(screen.queryByTestId('node-valid-add_status')).toBeNull();
    expect(screen.getByTestId('node-edited-add_status').textContent).toBe('✎');

    act(() => useApp.getState().setParams('add_status', params));
    expect(card().getAttribute('data-stale')).toBeNull();
    expect(screen.getByTestId('node-failed-add_status')).toBeTruthy();
  });

  it("shows the problem, not ✓, for a node whose table is not in the schema it sees (the inspector's words)", () => {
    const column = { name: 'id', type: 'integer', nullable: false, default: null, primaryKey: true };
    const users = { name: 'users', columns: [column], indexes: [], constraints: [], rowEstimate: 0, ddl: '' };
    const schema: Schema = { dialect: 'sqlite', version: '3.53.2', tables: [users], views: [], triggers: [] };
    const misspelt = { ...params, table: 'userz' };
    act(() =>
      useApp.setState({
        schema,
        doc: {
          ...useApp.getState().doc,
          nodes: [{ id: 'add_status', type: 'SchemaModificationNode', params: misspelt, position: { x: 0, y: 0 } }],
        },
      }),
    );
    render(
      <ReactFlowProvider>
        <NodeCard {...props} data={{ ...props.data, params: misspelt }} />
      </ReactFlowProvider>,
    );
    expect(screen.queryByTestId('node-valid-add_status')).toBeNull();
    expect(screen.getByTestId('node-problems-add_status').getAttribute('title')).toBe(
      'Table: No table "userz" on the target connection. Did you mean users?',
    );
    act(() => useApp.setState({ schema: null }));
  });
});
