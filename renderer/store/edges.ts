/**
 * The edges the canvas draws, derived from the document: one per connection, one per Switch route
 * (from the case's own handle, labelled with the case value). A connection from a Switch's
 * `result` to a node it also routes to is drawn once, as the route (the guide's pattern writes
 * both); deleting that edge removes both.
 */
import type { WorkflowNode } from '../../shared/workflow.ts';
import { nodeDescription } from '../../shared/nodes/index.ts';
import { connectionKey, removeConnections, setRoute, switchRoutesOf, type Doc, type Link } from './doc.ts';

export interface EdgeModel {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
  /** Case value, `default`, or the dotted output / named input when they are not the plain ports. */
  label: string | null;
  /** The Switch route this edge draws, if any (value null = the default route). */
  route: { value: string | null } | null;
  /** Keys of the connections this edge stands for. */
  connections: string[];
}

export const DEFAULT_HANDLE = 'default';
export const NEW_CASE_HANDLE = 'new-case';
const CASE_PREFIX = 'case:';

export function caseHandle(value: string): string {
  return `${CASE_PREFIX}${value}`;
}

export function routeEdgeId(source: string, value: string | null): string {
  return value === null ? `route:${source}:default` : `route:${source}:${caseHandle(value)}`;
}

function outputHandle(node: WorkflowNode | undefined, sourceOutput: string): string {
  const port = sourceOutput.split('.')[0] ?? 'result';
  const outputs = node ? (nodeDescription(node.type)?.outputs ?? []) : [];
  return outputs.includes(port) ? port : 'result';
}

export function docEdges(doc: Doc): EdgeModel[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const edges: EdgeModel[] = [];
  const merged = new Set<string>();
  const connectionKeys = new Set(doc.connections.map(connectionKey));
  for (const n of doc.nodes) {
    if (n.type !== 'SwitchNode') continue;
    for (const r of switchRoutesOf(n)) {
      if (!byId.has(r.target)) continue;
      const key = connectionKey({ source: n.id, sourceOutput: 'result', target: r.target, targetInput: 'input' });
      const carries = connectionKeys.has(key) && !merged.has(key) ? [key] : [];
      carries.forEach((k) => merged.add(k));
      edges.push({
        id: routeEdgeId(n.id, r.value),
        source: n.id,
        sourceHandle: r.value === null ? DEFAULT_HANDLE : caseHandle(r.value),
        target: r.target,
        targetHandle: 'input',
        label: r.value ?? 'default',
        route: { value: r.value },
        connections: carries,
      });
    }
  }
  for (const c of doc.connections) {
    const key = connectionKey(c);
    if (merged.has(key)) continue;
    const source = byId.get(c.source);
    const sourceHandle = outputHandle(source, c.sourceOutput);
    const target = byId.get(c.target);
    const inputs = target ? (nodeDescription(target.type)?.inputs ?? []) : [];
    const targetHandle = inputs.includes(c.targetInput) ? c.targetInput : 'input';
    const labels = [
      c.sourceOutput !== sourceHandle ? c.sourceOutput : '',
      c.targetInput !== 'input' ? `→ ${c.targetInput}` : '',
    ].filter(Boolean);
    edges.push({
      id: `conn:${key}`,
      source: c.source,
      sourceHandle,
      target: c.target,
      targetHandle,
      label: labels.join(' ') || null,
      route: null,
      connections: [key],
    });
  }
  return edges;
}

/** Removes what the given edges draw: their connections and their Switch routes. */
export function removeEdges(doc: Doc, edgeIds: ReadonlySet<string>): Doc {
  if (edgeIds.size === 0) return doc;
  const edges = docEdges(doc).filter((e) => edgeIds.has(e.id));
  let next = removeConnections(doc, new Set(edges.flatMap((e) => e.connections)));
  for (const e of edges) if (e.route) next = setRoute(next, e.source, e.route.value, null);
  return next;
}

/**
 * What dragging from `sourceHandle` to `target` means. A case handle sets that case's route, the
 * default handle the default route; any other handle is a data connection. The "new case" handle
 * needs a value first (`newCaseValue`).
 */
export function linkFromHandles(
  source: string,
  sourceHandle: string | null,
  target: string,
  targetHandle: string | null,
  newCaseValue?: string,
): Link | null {
  const handle = sourceHandle ?? 'result';
  if (handle === DEFAULT_HANDLE) return { kind: 'route', source, value: null, target };
  if (handle.startsWith(CASE_PREFIX)) return { kind: 'route', source, value: handle.slice(CASE_PREFIX.length), target };
  if (handle === NEW_CASE_HANDLE)
    return newCaseValue === undefined ? null : { kind: 'route', source, value: newCaseValue, target };
  return {
    kind: 'connection',
    connection: { source, sourceOutput: handle, target, targetInput: targetHandle ?? 'input' },
  };
}
