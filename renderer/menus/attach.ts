/**
 * Adding a node attached to what the user pointed at: after an output port (a connection dropped on
 * empty canvas), before an input port, or into an edge (the edge is split: source → new → target).
 * Pure document functions: the caller stores the result as one undo step.
 */
import { addLink, addNode, connectionKey, linkProblem, type Doc, type Link, type Position } from '../store/doc.ts';
import { docEdges, linkFromHandles, removeEdges } from '../store/edges.ts';
import type { Attach } from './overlay-state.ts';

export type Attached = { doc: Doc; id: string } | { problem: string };

/** Adds the links in order; the first refused one is the problem. */
function linked(doc: Doc, links: Link[]): Doc | string {
  let next = doc;
  for (const l of links) {
    const problem = linkProblem(next, l);
    if (problem) return problem;
    next = addLink(next, l);
  }
  return next;
}

const conn = (source: string, sourceOutput: string, target: string, targetInput: string): Link => ({
  kind: 'connection',
  connection: { source, sourceOutput, target, targetInput },
});

/** Adds a `type` node at `position`, attached as `attach` says; a refused link refuses the whole change. */
export function addAttached(doc: Doc, type: string, position: Position, attach: Attach): Attached {
  const added = addNode(doc, type, position);
  const id = added.id;
  let links: Link[] = [];
  let base = added.doc;
  if (attach.kind === 'from') {
    const link = linkFromHandles(attach.nodeId, attach.handle, id, 'input');
    if (!link) return { problem: 'a new Switch case needs its value: drag the case onto the node instead' };
    links = [link];
  } else if (attach.kind === 'to') {
    links = [conn(id, 'result', attach.nodeId, attach.handle ?? 'input')];
  } else if (attach.kind === 'split') {
    const edge = docEdges(doc).find((e) => e.id === attach.edgeId);
    if (!edge) return { problem: 'that connection is no longer there' };
    base = removeEdges(added.doc, new Set([edge.id]));
    const c = doc.connections.find((x) => connectionKey(x) === edge.connections[0]);
    const first =
      edge.route || !c
        ? linkFromHandles(edge.source, edge.sourceHandle, id, 'input')
        : conn(c.source, c.sourceOutput, id, 'input');
    links = [first!, conn(id, 'result', edge.target, c?.targetInput ?? 'input')];
  }
  const next = linked(base, links);
  return typeof next === 'string' ? { problem: next } : { doc: next, id };
}
