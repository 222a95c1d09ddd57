/**
 * What a node's run result depends on in the editor: its type, its params and the connections
 * that touch it. The live run keeps these as they were when it started; a node whose inputs
 * differ now shows its result as stale ("edited since this run").
 */
import type { Doc } from './doc.ts';
import type { AppState } from './types.ts';

/** Each node's inputs as one comparable string, by node id. */
export function nodeInputs(doc: Doc): Record<string, string> {
  const links = new Map<string, string[]>();
  for (const c of doc.connections) {
    const text = JSON.stringify(c);
    for (const id of new Set([c.source, c.target])) links.set(id, [...(links.get(id) ?? []), text]);
  }
  return Object.fromEntries(
    doc.nodes.map((n) => [n.id, JSON.stringify([n.type, n.params, (links.get(n.id) ?? []).sort()])]),
  );
}

let cached: { doc: Doc; inputs: Record<string, string>; stale: ReadonlySet<string> } | null = null;
const NONE: ReadonlySet<string> = new Set();

/** The nodes whose params or connections changed since the live run started (computed once per edit). */
export function staleNodes(s: Pick<AppState, 'doc' | 'run'>): ReadonlySet<string> {
  const then = s.run.inputs;
  if (!then) return NONE;
  if (cached?.doc === s.doc && cached.inputs === then) return cached.stale;
  const now = nodeInputs(s.doc);
  const stale = new Set(Object.keys(then).filter((id) => id in now && now[id] !== then[id]));
  cached = { doc: s.doc, inputs: then, stale };
  return stale;
}
