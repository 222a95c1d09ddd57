import { describe, expect, it } from 'vitest';
import { exampleText } from '../../test/examples.ts';
import { parseWorkflow, type Workflow } from '../../shared/workflow.ts';
import type { NodeResult, RunEvent } from '../../shared/run.ts';
import type { SavedConnection } from '../../shared/ipc.ts';
import { createAppStore, isDirty, type AppStore } from './index.ts';
import { docToWorkflow } from './doc.ts';
import { docEdges, linkFromHandles, routeEdgeId } from './edges.ts';

const example = (name: string): Workflow => parseWorkflow(exampleText(name)).workflow;

function loaded(name: string): AppStore {
  const store = createAppStore();
  store.getState().loadDocument(example(name), null);
  return store;
}

const node = (store: AppStore, id: string) => store.getState().doc.nodes.find((n) => n.id === id);
const past = (store: AppStore) => store.temporal.getState().pastStates.length;

describe('undo and redo', () => {
  it('undoes and redoes a new node, one step each', () => {
    const store = createAppStore();
    const id = store.getState().addNode('SchemaModificationNode', { x: 10, y: 20 });
    expect(id).toBe('schema_modification');
    expect(past(store)).toBe(1);
    store.temporal.getState().undo();
    expect(store.getState().doc.nodes).toHaveLength(0);
    store.temporal.getState().redo();
    expect(node(store, id)?.params).toEqual({ operation: 'add_column' });
  });

  it('records a whole drag as one step', () => {
    const store = loaded('zero-downtime');
    const before = node(store, 'phase1_add')!.position;
    store.getState().beginDrag();
    for (let i = 1; i <= 10; i++)
      store.getState().moveNodes(new Map([['phase1_add', { x: before.x + i * 10, y: before.y + i }]]));
    store.getState().endDrag();
    expect(past(store)).toBe(1);
    expect(node(store, 'phase1_add')!.position).toEqual({ x: before.x + 100, y: before.y + 10 });
    store.temporal.getState().undo();
    expect(node(store, 'phase1_add')!.position).toEqual(before);
    store.temporal.getState().redo();
    expect(node(store, 'phase1_add')!.position).toEqual({ x: before.x + 100, y: before.y + 10 });
  });

  it('makes typing in one field one step, and a different field another', () => {
    const store = loaded('zero-downtime');
    const p = () => node(store, 'phase1_add')!.params;
    for (const name of ['t', 'to', 'tot', 'total'])
      store.getState().setParams('phase1_add', { ...p(), column_name: name });
    expect(past(store)).toBe(1);
    store.getState().setParams('phase1_add', { ...p(), column_type: 'integer' });
    expect(past(store)).toBe(2);
    store.temporal.getState().undo();
    expect(p()).toMatchObject({ column_name: 'total', column_type: 'decimal(10,2)' });
    store.temporal.getState().undo();
    expect(p().column_name).toBe('total_amount');
  });

  it('does not record selection, runs or panels, and drops history on load', () => {
    const store = loaded('zero-downtime');
    store.getState().select({ nodes: ['phase1_add'], edges: [] });
    store.getState().setBottomTab('diff');
    store.getState().runStarting('plan', {});
    expect(past(store)).toBe(0);
    store.getState().deleteSelection();
    expect(past(store)).toBe(1);
    store.getState().loadDocument(example('migration-workflow-pattern'), '/tmp/x.dataflow.json');
    expect(past(store)).toBe(0);
    expect(isDirty(store.getState())).toBe(false);
  });

  it('undoing a deletion brings back the node with its connections', () => {
    const store = loaded('zero-downtime');
    store.getState().select({ nodes: ['phase2_backfill'], edges: [] });
    store.getState().deleteSelection();
    expect(store.getState().doc.connections).toHaveLength(0);
    expect(isDirty(store.getState())).toBe(true);
    store.temporal.getState().undo();
    expect(store.getState().doc.connections).toHaveLength(2);
    expect(isDirty(store.getState())).toBe(false);
  });
});

describe('renaming a node', () => {
  it('renames connections, switch routes and compare_with', () => {
    const store = loaded('migration-workflow-pattern');
    store.getState().select({ nodes: ['apply_migration'], edges: [] });
    expect(store.getState().renameNode('apply_migration', 'add_last_login')).toBeNull();
    const wf = docToWorkflow(store.getState().doc);
    expect(node(store, 'migration_decision')!.params.cases).toEqual({
      pending: 'add_last_login',
      completed: 'skip_migration',
    });
    expect(wf.connections.filter((c) => c.source === 'add_last_login' || c.target === 'add_last_login')).toHaveLength(
      2,
    );
    expect(store.getState().selection.nodes).toEqual(['add_last_login']);

    const mon = loaded('monitor-migration-impact');
    expect(mon.getState().renameNode('pre_migration_metrics', 'before')).toBeNull();
    expect(node(mon, 'post_migration_metrics')!.params.compare_with).toBe('before');
  });

  it('refuses a taken or malformed id, naming the reason', () => {
    const store = loaded('migration-workflow-pattern');
    expect(store.getState().renameNode('apply_migration', 'skip_migration')).toMatch(/already called "skip_migration"/);
    expect(store.getState().renameNode('apply_migration', '1bad id')).toMatch(/must be a letter/);
    expect(node(store, 'apply_migration')).toBeDefined();
  });
});

describe('switch routes as edges', () => {
  it('draws each route from its case handle, labelled, once even when a connection duplicates it', () => {
    const store = loaded('migration-workflow-pattern');
    const edges = docEdges(store.getState().doc);
    const pending = edges.find((e) => e.id === routeEdgeId('migration_decision', 'pending'))!;
    expect(pending).toMatchObject({ sourceHandle: 'case:pending', target: 'apply_migration', label: 'pending' });
    expect(pending.connections).toEqual(['migration_decision.result->apply_migration.input']);
    expect(edges.filter((e) => e.source === 'migration_decision')).toHaveLength(2);
    expect(edges).toHaveLength(4);
  });

  it('connecting a case handle sets that case, the default handle the default route', () => {
    const store = loaded('migration-workflow-pattern');
    store.getState().addNode('ValidationNode', { x: 0, y: 0 });
    const link = linkFromHandles('migration_decision', 'case:completed', 'validation', 'input')!;
    expect(store.getState().link(link)).toBeNull();
    expect(node(store, 'migration_decision')!.params.cases).toEqual({
      pending: 'apply_migration',
      completed: 'validation',
    });
    expect(
      store.getState().link(linkFromHandles('migration_decision', 'default', 'skip_migration', 'input')!),
    ).toBeNull();
    expect(node(store, 'migration_decision')!.params.default).toBe('skip_migration');
    expect(linkFromHandles('migration_decision', 'new-case', 'x', 'input')).toBeNull();
    expect(linkFromHandles('migration_decision', 'new-case', 'x', 'input', 'failed')).toEqual({
      kind: 'route',
      source: 'migration_decision',
      value: 'failed',
      target: 'x',
    });
  });

  it('deleting a route edge removes the case and the connection it stands for', () => {
    const store = loaded('migration-workflow-pattern');
    store.getState().select({ nodes: [], edges: [routeEdgeId('migration_decision', 'completed')] });
    store.getState().deleteSelection();
    expect(node(store, 'migration_decision')!.params.cases).toEqual({ pending: 'apply_migration' });
    expect(store.getState().doc.connections.some((c) => c.target === 'skip_migration')).toBe(false);
  });

  it('deleting a routed node removes its route', () => {
    const store = loaded('migration-workflow-pattern');
    store.getState().select({ nodes: ['skip_migration'], edges: [] });
    store.getState().deleteSelection();
    expect(node(store, 'migration_decision')!.params.cases).toEqual({ pending: 'apply_migration' });
  });
});

describe('connection validation', () => {
  const conn = (source: string, target: string) => ({
    kind: 'connection' as const,
    connection: { source, sourceOutput: 'result', target, targetInput: 'input' },
  });

  it('refuses self loops, duplicates, cycles (also through routes) and unknown ports', () => {
    const store = loaded('migration-workflow-pattern');
    const s = store.getState();
    expect(s.link(conn('apply_migration', 'apply_migration'))).toBe(
      'Cannot connect apply_migration to apply_migration: a node cannot feed itself; connect its output to a node that runs after it',
    );
    expect(s.link(conn('apply_migration', 'update_status'))).toBe(
      `Cannot connect apply_migration to update_status: apply_migration's output "result" already feeds update_status's input "input"; nothing to add, or drag from another output`,
    );
    expect(s.link(conn('update_status', 'check_migration'))).toBe(
      'Cannot connect update_status to check_migration: check_migration already leads to update_status, so this link would close a cycle; connect update_status to a node that runs after it, or remove a link between check_migration and update_status first',
    );
    expect(s.link(conn('skip_migration', 'migration_decision'))).toMatch(
      /^Cannot connect skip_migration to migration_decision: migration_decision already leads to skip_migration, so this link would close a cycle/,
    );
    expect(
      s.link({
        kind: 'connection',
        connection: { source: 'apply_migration', sourceOutput: 'rows', target: 'skip_migration', targetInput: 'input' },
      }),
    ).toBe(
      'Cannot connect apply_migration to skip_migration: apply_migration has no output "rows"; drag from one of its outputs (result)',
    );
    expect(
      s.link({
        kind: 'connection',
        connection: {
          source: 'apply_migration',
          sourceOutput: 'result',
          target: 'skip_migration',
          targetInput: 'rows',
        },
      }),
    ).toBe(
      'Cannot connect apply_migration to skip_migration: skip_migration has no input "rows"; drop on one of its inputs (input)',
    );
    expect(s.link({ kind: 'route', source: 'apply_migration', value: 'x', target: 'skip_migration' })).toBe(
      'Cannot connect apply_migration to skip_migration: apply_migration is not a Switch and has no routes; drag from one of its outputs instead',
    );
    expect(s.link({ kind: 'route', source: 'migration_decision', value: 'pending', target: 'apply_migration' })).toBe(
      `Cannot connect migration_decision to apply_migration: migration_decision's case "pending" already leads to apply_migration; nothing to add, or drag from another case`,
    );
    expect(
      s.link({
        kind: 'connection',
        connection: {
          source: 'check_migration',
          sourceOutput: 'migration_status',
          target: 'skip_migration',
          targetInput: 'input',
        },
      }),
    ).toBeNull();
    expect(past(store)).toBe(1);
  });
});

describe('copy and paste', () => {
  it('pastes a fragment with fresh ids and its routes remapped', () => {
    const store = loaded('migration-workflow-pattern');
    store.getState().select({ nodes: ['migration_decision', 'apply_migration', 'skip_migration'], edges: [] });
    const frag = store.getState().selectionFragment()!;
    store.getState().paste(frag, { x: 0, y: 400 });
    const ids = store.getState().selection.nodes;
    expect(ids).toEqual(['migration_decision_2', 'apply_migration_2', 'skip_migration_2']);
    expect(node(store, 'migration_decision_2')!.params.cases).toEqual({
      pending: 'apply_migration_2',
      completed: 'skip_migration_2',
    });
    expect(store.getState().doc.connections.filter((c) => c.source === 'migration_decision_2')).toHaveLength(2);
    expect(node(store, 'apply_migration_2')!.position.y).toBe(node(store, 'apply_migration')!.position.y + 400);
  });
});

describe('run events', () => {
  const result = (status: NodeResult['status']): NodeResult => ({
    status,
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 12,
    outputs: {},
    sql: [],
    rowsAffected: 3,
    error: null,
    warnings: [],
  });

  it('keeps events that arrive before run.start answers, and folds them into node statuses', () => {
    const store = createAppStore();
    store.getState().runStarting('apply', {});
    const events: RunEvent[] = [
      { type: 'run_started', runId: 'r1', mode: 'apply', workflow: 'w', order: ['a', 'b'], at: '2026-01-01T00:00:00Z' },
      { type: 'node_started', runId: 'r1', nodeId: 'a', at: '2026-01-01T00:00:00Z' },
    ];
    events.forEach((e) => store.getState().receiveRunEvent(e));
    expect(store.getState().run.nodes).toEqual({});
    store.getState().runAccepted('r1');
    expect(store.getState().run.nodes.a?.status).toBe('running');
    expect(store.getState().run.nodes.b?.status).toBe('waiting');
    store.getState().receiveRunEvent({ type: 'node_finished', runId: 'r1', nodeId: 'a', result: result('succeeded') });
    store.getState().receiveRunEvent({ type: 'node_finished', runId: 'other', nodeId: 'b', result: result('failed') });
    expect(store.getState().run.nodes.a).toMatchObject({ status: 'succeeded', durationMs: 12, rowsAffected: 3 });
    expect(store.getState().run.nodes.b?.status).toBe('waiting');
    expect(store.getState().run.events.map((e) => e.type)).toEqual(['run_started', 'node_started', 'node_finished']);
  });
});

describe('the target connection', () => {
  const conn = (id: string, name: string, demo = false): SavedConnection => ({
    id,
    name,
    kind: 'sqlite',
    path: `/data/${id}.db`,
    readOnly: false,
    demo,
    environment: null,
    hasSecret: false,
    secretKept: null,
  });

  it('is the demo database at start-up, and adding a connection (even one sorted first) never changes it', () => {
    const store = createAppStore();
    store.getState().setConnections([conn('b', 'beta'), conn('demo', 'Demo database', true)]);
    expect(store.getState().connectionId).toBe('demo');
    store.getState().chooseConnection('b');
    store.getState().setConnections([conn('a', 'alpha'), conn('b', 'beta'), conn('demo', 'Demo database', true)]);
    expect(store.getState().connectionId).toBe('b');
  });

  it('is none after the target is deleted, until the user chooses one', () => {
    const store = createAppStore();
    store.getState().setConnections([conn('demo', 'Demo database', true), conn('b', 'beta')]);
    store.getState().chooseConnection('b');
    store.getState().setConnections([conn('demo', 'Demo database', true)]);
    expect(store.getState().connectionId).toBeNull();
    store.getState().setConnections([conn('demo', 'Demo database', true), conn('c', 'gamma')]);
    expect(store.getState().connectionId).toBeNull();
  });
});
