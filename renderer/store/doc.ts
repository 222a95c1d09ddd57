/**
 * The editor's document: exactly the workflow file (shared/workflow.ts) minus its header, edited
 * with pure functions so that every change is one new object (zundo keeps them by reference).
 * Switch routes live in the Switch's params (`cases`, `default`), as in the file.
 */
import {
  WORKFLOW_FORMAT,
  WORKFLOW_VERSION,
  orderingEdges,
  serializeWorkflow,
  type Connection,
  type Group,
  type Note,
  type Workflow,
  type WorkflowNode,
} from '../../shared/workflow.ts';
import { nodeDescription } from '../../shared/nodes/index.ts';

export interface Doc {
  name: string;
  description: string;
  nodes: WorkflowNode[];
  connections: Connection[];
  /** Sticky notes (empty when the file has none). */
  notes: Note[];
  /** Named groups of nodes (empty when the file has none). */
  groups: Group[];
}

export type Position = { x: number; y: number };

export const NODE_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;

export function emptyDoc(name = 'untitled'): Doc {
  return { name, description: '', nodes: [], connections: [], notes: [], groups: [] };
}

export function docFromWorkflow(wf: Workflow): Doc {
  return {
    name: wf.name,
    description: wf.description,
    nodes: wf.nodes,
    connections: wf.connections,
    notes: wf.notes ?? [],
    groups: wf.groups ?? [],
  };
}

export function docToWorkflow(doc: Doc): Workflow {
  return {
    format: WORKFLOW_FORMAT,
    version: WORKFLOW_VERSION,
    name: doc.name,
    description: doc.description,
    nodes: doc.nodes,
    connections: doc.connections,
    ...(doc.notes.length > 0 ? { notes: doc.notes } : {}),
    ...(doc.groups.length > 0 ? { groups: doc.groups } : {}),
  };
}

const texts = new WeakMap<Doc, string>();

/** The workflow file's text of `doc`, serialised once per document object (documents are never mutated). */
export function docText(doc: Doc): string {
  let text = texts.get(doc);
  if (text === undefined) texts.set(doc, (text = serializeWorkflow(docToWorkflow(doc))));
  return text;
}

/** True when `b` differs from `a` at most in where its nodes are: a drag, which neither validation nor a plan sees. */
export function movedOnly(a: Doc, b: Doc): boolean {
  if (a.name !== b.name || a.description !== b.description || a.connections !== b.connections) return false;
  if (a.notes !== b.notes || a.groups !== b.groups || a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((x, i) => {
    const y = b.nodes[i]!;
    if (x === y) return true;
    const keys = Object.keys(x) as (keyof typeof x)[];
    return keys.length === Object.keys(y).length && keys.every((k) => k === 'position' || x[k] === y[k]);
  });
}

let planned: { doc: Doc; text: string } | null = null;

/**
 * The workflow text the SQL preview and the safety review plan (and compare their results by):
 * docText, except that a document that differs from the last one asked for only in where its
 * nodes are (a drag) gets that one's text, so a drag plans and reviews nothing again. Positions
 * change no plan.
 */
export function planText(doc: Doc): string {
  if (planned?.doc !== doc)
    planned = { doc, text: planned && movedOnly(planned.doc, doc) ? planned.text : docText(doc) };
  return planned.text;
}

export function connectionKey(c: Connection): string {
  return `${c.source}.${c.sourceOutput}->${c.target}.${c.targetInput}`;
}

/** `base`, or `base_2`, `base_3`... whichever is not taken. */
export function uniqueId(taken: ReadonlySet<string>, base: string): string {
  const clean = NODE_ID.test(base) ? base : `node_${base.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 90);
  if (!taken.has(clean)) return clean;
  const stem = clean.replace(/_\d+$/, '');
  for (let i = 2; ; i++) if (!taken.has(`${stem}_${i}`)) return `${stem}_${i}`;
}

function idBase(type: string): string {
  return (
    type
      .replace(/Node$/, '')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase() || 'node'
  );
}

export function addNode(doc: Doc, type: string, position: Position): { doc: Doc; id: string } {
  const id = uniqueId(new Set(doc.nodes.map((n) => n.id)), idBase(type));
  const node: WorkflowNode = {
    id,
    type,
    params: structuredClone(nodeDescription(type)?.defaults ?? {}),
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

function mapNode(doc: Doc, id: string, fn: (n: WorkflowNode) => WorkflowNode): Doc {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id) return n;
    const next = fn(n);
    changed ||= next !== n;
    return next;
  });
  return changed ? { ...doc, nodes } : doc;
}

export function setParams(doc: Doc, id: string, params: Record<string, unknown>): Doc {
  return mapNode(doc, id, (n) => ({ ...n, params }));
}

/** Disables (the engine skips it) or enables a node; an enabled node carries no `disabled` key. */
export function setDisabled(doc: Doc, id: string, disabled: boolean): Doc {
  return mapNode(doc, id, (n) => {
    if ((n.disabled ?? false) === disabled) return n;
    const { disabled: _, ...rest } = n;
    return disabled ? { ...rest, disabled: true } : rest;
  });
}

/** Why `to` cannot be the new id of `from`, or null when it can. */
export function renameProblem(doc: Doc, from: string, to: string): string | null {
  if (to === from) return null;
  if (!NODE_ID.test(to)) return 'must be a letter or _, then letters, digits, _ or - (at most 100)';
  if (doc.nodes.some((n) => n.id === to)) return `another node is already called "${to}"`;
  return null;
}

/** Renames a node and every reference to it: connections, Switch routes and `compare_with`. */
export function renameNode(doc: Doc, from: string, to: string): Doc {
  const problem = renameProblem(doc, from, to);
  if (problem) throw new Error(`node "${from}", field "id": ${problem}`);
  if (from === to) return doc;
  const nodes = doc.nodes.map((n) => {
    const renamed = n.id === from ? { ...n, id: to } : n;
    const params = renamedRefs(renamed, from, to);
    return params === renamed.params ? renamed : { ...renamed, params };
  });
  const connections = doc.connections.map((c) =>
    c.source === from || c.target === from
      ? { ...c, source: c.source === from ? to : c.source, target: c.target === from ? to : c.target }
      : c,
  );
  const groups = doc.groups.map((g) =>
    g.nodes.includes(from) ? { ...g, nodes: g.nodes.map((m) => (m === from ? to : m)) } : g,
  );
  return { ...doc, nodes, connections, groups };
}

function renamedRefs(n: WorkflowNode, from: string, to: string): Record<string, unknown> {
  const p = n.params;
  if (n.type === 'SwitchNode') {
    let params = p;
    const cases = p.cases;
    if (cases && typeof cases === 'object' && Object.values(cases).includes(from)) {
      params = {
        ...params,
        cases: Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, v === from ? to : v])),
      };
    }
    if (p.default === from) params = { ...params, default: to };
    return params;
  }
  if (n.type === 'MonitoringNode' && p.compare_with === from) return { ...p, compare_with: to };
  return p;
}

/** Removes nodes with their connections and the Switch routes that lead to them. */
export function removeNodes(doc: Doc, ids: ReadonlySet<string>): Doc {
  if (ids.size === 0 || !doc.nodes.some((n) => ids.has(n.id))) return doc;
  const nodes = doc.nodes
    .filter((n) => !ids.has(n.id))
    .map((n) => {
      if (n.type !== 'SwitchNode') return n;
      let next = n;
      for (const r of switchRoutesOf(n)) if (ids.has(r.target)) next = withRoute(next, r.value, null);
      return next;
    });
  const connections = doc.connections.filter((c) => !ids.has(c.source) && !ids.has(c.target));
  const groups = doc.groups.flatMap((g) => {
    if (!g.nodes.some((m) => ids.has(m))) return [g];
    const members = g.nodes.filter((m) => !ids.has(m));
    return members.length > 0 ? [{ ...g, nodes: members }] : [];
  });
  return { ...doc, nodes, connections, groups };
}

export function switchRoutesOf(n: WorkflowNode): { value: string | null; target: string }[] {
  const routes: { value: string | null; target: string }[] = [];
  const cases = n.params.cases;
  if (cases && typeof cases === 'object' && !Array.isArray(cases)) {
    for (const [value, target] of Object.entries(cases)) if (typeof target === 'string') routes.push({ value, target });
  }
  if (typeof n.params.default === 'string') routes.push({ value: null, target: n.params.default });
  return routes;
}

/** Sets (target) or removes (null) one Switch route: a case value, or the default when value is null. */
function withRoute(n: WorkflowNode, value: string | null, target: string | null): WorkflowNode {
  const params = { ...n.params };
  if (value === null) {
    if (target === null) delete params.default;
    else params.default = target;
  } else {
    const cases = {
      ...(params.cases && typeof params.cases === 'object' && !Array.isArray(params.cases)
        ? (params.cases as Record<string, unknown>)
        : {}),
    };
    if (target === null) delete cases[value];
    else cases[value] = target;
    params.cases = cases;
  }
  return { ...n, params };
}

export function setRoute(doc: Doc, switchId: string, value: string | null, target: string | null): Doc {
  return mapNode(doc, switchId, (n) => (n.type === 'SwitchNode' ? withRoute(n, value, target) : n));
}

export function addConnection(doc: Doc, c: Connection): Doc {
  const key = connectionKey(c);
  if (doc.connections.some((x) => connectionKey(x) === key)) return doc;
  return { ...doc, connections: [...doc.connections, c] };
}

export function removeConnections(doc: Doc, keys: ReadonlySet<string>): Doc {
  const connections = doc.connections.filter((c) => !keys.has(connectionKey(c)));
  return connections.length === doc.connections.length ? doc : { ...doc, connections };
}

export function moveNodes(doc: Doc, positions: ReadonlyMap<string, Position>): Doc {
  if (positions.size === 0) return doc;
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    const p = positions.get(n.id);
    if (!p || (p.x === n.position.x && p.y === n.position.y)) return n;
    changed = true;
    return { ...n, position: { x: p.x, y: p.y } };
  });
  return changed ? { ...doc, nodes } : doc;
}

/** True when `to` can reach `from` over connections and routes (so from -> to would close a cycle). */
export function reaches(doc: Doc, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of orderingEdges(docToWorkflow(doc))) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}

/** What the user drew: a data connection, or a Switch route (a case value, or the default). */
export type Link =
  | { kind: 'connection'; connection: Connection }
  | { kind: 'route'; source: string; value: string | null; target: string };

/**
 * Why a link cannot be added (self loop, duplicate, cycle, unknown port), or null when it can: one
 * sentence that names both nodes, says why and what to do instead (`Cannot connect a to b: ...`).
 */
export function linkProblem(doc: Doc, link: Link): string | null {
  const source = link.kind === 'connection' ? link.connection.source : link.source;
  const target = link.kind === 'connection' ? link.connection.target : link.target;
  const refuse = (why: string) => `Cannot connect ${source} to ${target}: ${why}`;
  const src = doc.nodes.find((n) => n.id === source);
  const dst = doc.nodes.find((n) => n.id === target);
  if (!src || !dst)
    return refuse(`${src ? target : source} is not a node of this workflow; drop the link on a node's port`);
  if (source === target) return refuse('a node cannot feed itself; connect its output to a node that runs after it');
  if (link.kind === 'connection') {
    const { sourceOutput, targetInput } = link.connection;
    if (doc.connections.some((c) => connectionKey(c) === connectionKey(link.connection)))
      return refuse(
        `${source}'s output "${sourceOutput}" already feeds ${target}'s input "${targetInput}"; nothing to add, or drag from another output`,
      );
    const outputs = nodeDescription(src.type)?.outputs ?? [];
    const port = sourceOutput.split('.')[0] ?? '';
    if (!outputs.includes(port))
      return refuse(`${source} has no output "${port}"; drag from one of its outputs (${outputs.join(', ')})`);
    const inputs = nodeDescription(dst.type)?.inputs ?? [];
    if (!inputs.includes(targetInput))
      return refuse(`${target} has no input "${targetInput}"; drop on one of its inputs (${inputs.join(', ')})`);
  } else {
    if (src.type !== 'SwitchNode')
      return refuse(`${source} is not a Switch and has no routes; drag from one of its outputs instead`);
    const existing = switchRoutesOf(src).find((r) => r.value === link.value);
    if (existing?.target === target)
      return refuse(
        `${source}'s ${link.value === null ? 'default route' : `case "${link.value}"`} already leads to ${target}; nothing to add, or drag from another case`,
      );
  }
  if (reaches(doc, target, source))
    return refuse(
      `${target} already leads to ${source}, so this link would close a cycle; connect ${source} to a node that runs after it, or remove a link between ${target} and ${source} first`,
    );
  return null;
}

export function addLink(doc: Doc, link: Link): Doc {
  return link.kind === 'connection'
    ? addConnection(doc, link.connection)
    : setRoute(doc, link.source, link.value, link.target);
}

/**
 * A workflow holding the given nodes, the connections among them, and their Switch routes: what
 * copy puts on the clipboard and duplicate re-inserts.
 */
export function fragment(doc: Doc, ids: ReadonlySet<string>): Workflow {
  const nodes = doc.nodes.filter((n) => ids.has(n.id));
  const connections = doc.connections.filter((c) => ids.has(c.source) && ids.has(c.target));
  const { format, version, name, description } = docToWorkflow(doc);
  return { format, version, name, description, nodes, connections };
}

/**
 * Inserts a fragment (pasted or duplicated), renaming ids that are taken and every reference to
 * them, shifted by `offset`. Routes to nodes outside the fragment are kept only when such a node
 * exists here. Returns the new ids.
 */
export function insertFragment(doc: Doc, frag: Workflow, offset: Position): { doc: Doc; ids: string[] } {
  const taken = new Set(doc.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  for (const n of frag.nodes) {
    const id = uniqueId(taken, n.id);
    taken.add(id);
    rename.set(n.id, id);
  }
  const present = new Set(doc.nodes.map((n) => n.id));
  const mapped = (id: string): string | null => rename.get(id) ?? (present.has(id) ? id : null);
  const nodes = frag.nodes.map((n) => {
    let node: WorkflowNode = {
      ...n,
      id: rename.get(n.id)!,
      position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
    };
    if (n.type === 'SwitchNode') {
      for (const r of switchRoutesOf(n)) node = withRoute(node, r.value, mapped(r.target));
    }
    if (n.type === 'MonitoringNode' && typeof n.params.compare_with === 'string') {
      const ref = mapped(n.params.compare_with);
      node = { ...node, params: { ...node.params, compare_with: ref ?? n.params.compare_with } };
    }
    return node;
  });
  const connections = frag.connections
    .filter((c) => rename.has(c.source) && rename.has(c.target))
    .map((c) => ({ ...c, source: rename.get(c.source)!, target: rename.get(c.target)! }));
  return {
    doc: { ...doc, nodes: [...doc.nodes, ...nodes], connections: [...doc.connections, ...connections] },
    ids: nodes.map((n) => n.id),
  };
}
