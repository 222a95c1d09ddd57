/**
 * The workflow file (`*.dataflow.json`) and its validation. Every problem names the node and the
 * field, so that the CLI, the inspector and the engine report the same thing.
 */
import * as z from 'zod';
import { formLabel, isReference, nodeDescription } from './nodes/index.ts';
import { colonValueMessage, fieldLabel } from './nodes/colon-values.ts';
import type { RunSubset } from './run.ts';
import { formatProblem, type WorkflowProblem } from './workflow-problem.ts';
import { unstorableCharacters, unstorableMessage } from './unicode-text.ts';
import { PROTO_KEY_MESSAGE, protoKeyPaths } from './proto-keys.ts';
import { parseJson, stringifyJson } from './json-text.ts';

export { formatProblem, type WorkflowProblem };

export const WORKFLOW_FORMAT = 'dataflow-workflow';
export const WORKFLOW_VERSION = 1;

const nodeId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/, {
  message: 'must be a letter or _, then letters, digits, _ or - (at most 100)',
});

export const workflowNodeSchema = z
  .object({
    id: nodeId,
    type: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
    position: z.object({ x: z.number(), y: z.number() }).strict().default({ x: 0, y: 0 }),
    /** True: the node does not run (the engine reports it `skipped`, reason `disabled`). Absent: enabled. */
    disabled: z.boolean().optional(),
  })
  .strict();

export const connectionSchema = z
  .object({
    source: z.string().min(1),
    sourceOutput: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, {
      message: 'must be an output name or a dotted path (result.rows)',
    }),
    target: z.string().min(1),
    targetInput: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an input name' }),
  })
  .strict();

const position = z.object({ x: z.number(), y: z.number() }).strict();

/** The colours a sticky note or a group frame can take (the editor maps them to its theme). */
export const ANNOTATION_COLORS = ['yellow', 'blue', 'green', 'pink', 'grey'] as const;
export type AnnotationColor = (typeof ANNOTATION_COLORS)[number];

/**
 * A sticky note of the editor: markdown text at a place on the canvas. Notes are for people; the
 * engine, the validator's run checks and the Python export ignore them.
 */
export const noteSchema = z
  .object({
    id: nodeId,
    text: z.string().max(100_000),
    position,
    size: z.object({ width: z.number().positive(), height: z.number().positive() }).strict().optional(),
    color: z.enum(ANNOTATION_COLORS).optional(),
  })
  .strict();

/**
 * A named group of nodes: a frame around them on the canvas that moves them together, can be
 * collapsed, and can be run as a unit. Its place is its members' place (nothing stored); a node
 * belongs to at most one group.
 */
export const groupSchema = z
  .object({
    id: nodeId,
    name: z.string().min(1).max(200),
    nodes: z.array(z.string().min(1)),
    collapsed: z.boolean().optional(),
    color: z.enum(ANNOTATION_COLORS).optional(),
  })
  .strict();

/**
 * The workflow file. `notes` and `groups` are optional so that files written before they existed
 * open unchanged (and files without any are written without the keys).
 */
export const workflowSchema = z
  .object({
    format: z.literal(WORKFLOW_FORMAT),
    version: z.literal(WORKFLOW_VERSION),
    name: z.string().default('untitled'),
    description: z.string().default(''),
    nodes: z.array(workflowNodeSchema),
    connections: z.array(connectionSchema).default([]),
    notes: z.array(noteSchema).optional(),
    groups: z.array(groupSchema).optional(),
  })
  .strict();

export type WorkflowNode = z.infer<typeof workflowNodeSchema>;
export type Connection = z.infer<typeof connectionSchema>;
export type Note = z.infer<typeof noteSchema>;
export type Group = z.infer<typeof groupSchema>;
export type Workflow = z.infer<typeof workflowSchema>;

export class WorkflowError extends Error {
  constructor(readonly problems: WorkflowProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'WorkflowError';
  }
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * Checks a node's params against its type's schema. Fields holding a `":name"` reference are
 * checked at run time, once the reference is resolved.
 */
export function validateParams(node: Pick<WorkflowNode, 'id' | 'type' | 'params'>): WorkflowProblem[] {
  const desc = nodeDescription(node.type);
  if (!desc) return [{ node: node.id, field: 'type', severity: 'error', message: `unknown node type "${node.type}"` }];
  const unicode = Object.entries(node.params).flatMap(([name, value]) =>
    unstorableCharacters(value, name).map((found) => ({
      node: node.id,
      field: found.field,
      severity: 'error' as const,
      message: unstorableMessage(found),
    })),
  );
  const protoKeys = Object.entries(node.params).flatMap(([name, value]) =>
    protoKeyPaths(value, name).map((field) => ({
      node: node.id,
      field,
      severity: 'error' as const,
      message: PROTO_KEY_MESSAGE,
    })),
  );
  // A field with a `__proto__` key is reported for that key alone (the schema saw the object without it).
  const refused = new Set(protoKeys.map((p) => p.field.split('.')[0]));
  const parsed = desc.params.safeParse(node.params);
  const labelled = (p: WorkflowProblem): WorkflowProblem => {
    const label = formLabel(node.type, p.field);
    return label === undefined ? p : { ...p, label };
  };
  if (parsed.success) return [...unicode, ...protoKeys].map(labelled);
  return [
    ...unicode,
    ...protoKeys,
    ...parsed.error.issues
      .filter((i) => !(i.path.length > 0 && isReference(node.params[String(i.path[0])])))
      .filter((i) => !(i.path.length > 0 && refused.has(String(i.path[0]))))
      .map((i) => {
        let field = issuePath(i.path);
        let message = i.message;
        if (i.code === 'unrecognized_keys') {
          field = [field, i.keys.join(', ')].filter(Boolean).join('.');
          message = `unknown param(s) ${i.keys.map((k) => `"${k}"`).join(', ')} for ${node.type}`;
        } else if (i.code === 'invalid_type' && typeof valueAt(node.params, i.path) === 'bigint') {
          message = `${String(valueAt(node.params, i.path))} is beyond the numbers this param takes; give a number within its range`;
        } else if (i.code === 'invalid_format') {
          message = colonValueMessage(desc, i.path, valueAt(node.params, i.path)) ?? message;
        } else if (
          i.code === 'invalid_type' &&
          node.params[String(i.path[0])] === undefined &&
          !i.message.startsWith('is required')
        )
          message = 'is required'; // zod's own wording; the schema's "is required for operation ..." is kept
        return { node: node.id, field: field || undefined, severity: 'error' as const, message };
      }),
  ].map(labelled);
}

/** The value at `path` inside `params`, or undefined where the path leads nowhere. */
function valueAt(params: unknown, path: readonly PropertyKey[]): unknown {
  let v = params;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Routes a SwitchNode declares through its `cases` and `default`, drawn or not. */
export function switchRoutes(node: WorkflowNode): { value: string | null; target: string }[] {
  if (node.type !== 'SwitchNode') return [];
  const routes: { value: string | null; target: string }[] = [];
  const cases = node.params.cases;
  if (cases && typeof cases === 'object') {
    for (const [value, target] of Object.entries(cases as Record<string, unknown>)) {
      if (typeof target === 'string') routes.push({ value, target });
    }
  }
  if (typeof node.params.default === 'string') routes.push({ value: null, target: node.params.default });
  return routes;
}

/** Every ordering edge of the graph: connections plus Switch routes. */
export function orderingEdges(wf: Workflow): { source: string; target: string }[] {
  const edges = wf.connections.map((c) => ({ source: c.source, target: c.target }));
  for (const n of wf.nodes) for (const r of switchRoutes(n)) edges.push({ source: n.id, target: r.target });
  return edges;
}

/**
 * The ids a partial run covers, or an error naming the node that is not in the workflow. `from`:
 * the node and everything reachable from it over connections and Switch routes.
 */
export function subsetNodes(wf: Workflow, subset: RunSubset): Set<string> {
  const ids = new Set(wf.nodes.map((n) => n.id));
  const wanted = 'from' in subset ? [subset.from] : subset.only;
  const missing = wanted.find((id) => !ids.has(id));
  if (missing !== undefined)
    throw new WorkflowError([
      {
        node: missing,
        field: 'from' in subset ? 'from' : 'only',
        severity: 'error',
        message: `the run is limited to node "${missing}", which is not in the workflow`,
      },
    ]);
  if (!('from' in subset)) return new Set(subset.only);
  const next = new Map<string, string[]>();
  for (const e of orderingEdges(wf)) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [subset.from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return seen;
}

/**
 * Run order: topological over connections and Switch routes; among nodes that nothing orders,
 * the order of the file. Returns null when there is a cycle.
 */
export function executionOrder(wf: Workflow): string[] | null {
  const index = new Map(wf.nodes.map((n, i) => [n.id, i]));
  const indegree = new Map(wf.nodes.map((n) => [n.id, 0]));
  const next = new Map<string, string[]>(wf.nodes.map((n) => [n.id, []]));
  const seen = new Set<string>();
  for (const e of orderingEdges(wf)) {
    if (!index.has(e.source) || !index.has(e.target) || e.source === e.target) continue;
    const key = `${e.source}\u0000${e.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    next.get(e.source)!.push(e.target);
    indegree.set(e.target, indegree.get(e.target)! + 1);
  }
  const ready = wf.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => index.get(a)! - index.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const t of next.get(id)!) {
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) ready.push(t);
    }
  }
  return order.length === wf.nodes.length ? order : null;
}

/**
 * Why a rehearse or an apply of `wf` would do nothing (it has no node, or every node is
 * disabled), or null. Such a run is refused: it would only write the product's own records.
 */
export function nothingToRun(wf: Pick<Workflow, 'nodes'>): string | null {
  if (wf.nodes.length === 0)
    return 'the workflow has no node, so there is nothing to rehearse or apply; add a node first';
  if (wf.nodes.every((n) => n.disabled))
    return 'every node of the workflow is disabled, so there is nothing to rehearse or apply; enable a node first';
  return null;
}

/**
 * Validates the structure and every node's params. Returns all problems, errors and warnings.
 * `draft`: the params are left out (the editor's plan of a document being edited: a node whose
 * params are not valid fails in the plan, with their problem, and the others are planned).
 */
export function validateWorkflow(
  wf: Workflow,
  options: {
    draft?: boolean;
    /** The param check of one node (default validateParams): the editor passes its cache, so an edit re-checks one node. */
    params?: (node: WorkflowNode) => WorkflowProblem[];
  } = {},
): WorkflowProblem[] {
  const checkParams = options.params ?? validateParams;
  const problems: WorkflowProblem[] = [];
  for (const found of [
    ...unstorableCharacters(wf.name, 'name'),
    ...unstorableCharacters(wf.description, 'description'),
    ...unstorableCharacters(wf.notes, 'notes'),
    ...unstorableCharacters(wf.groups, 'groups'),
  ])
    problems.push({ field: found.field, severity: 'error', message: unstorableMessage(found) });
  const ids = new Map<string, WorkflowNode>();
  for (const n of wf.nodes) {
    if (ids.has(n.id))
      problems.push({
        node: n.id,
        field: 'id',
        severity: 'error',
        message: 'duplicate node id; give each node its own id',
      });
    ids.set(n.id, n);
    if (!options.draft) problems.push(...checkParams(n));
  }
  const seen = new Set<string>();
  wf.connections.forEach((c, i) => {
    const where = `connections[${i}]`;
    if (!ids.has(c.source))
      problems.push({
        node: c.source,
        field: `${where}.source`,
        severity: 'error',
        message: `connection from node "${c.source}", which does not exist`,
      });
    if (!ids.has(c.target))
      problems.push({
        node: c.target,
        field: `${where}.target`,
        severity: 'error',
        message: `connection to node "${c.target}", which does not exist`,
      });
    if (c.source === c.target)
      problems.push({ node: c.source, field: where, severity: 'error', message: 'a node cannot connect to itself' });
    const key = `${c.source}.${c.sourceOutput}->${c.target}.${c.targetInput}`;
    if (seen.has(key))
      problems.push({ node: c.target, field: where, severity: 'error', message: `duplicate connection ${key}` });
    seen.add(key);
  });
  for (const n of wf.nodes) {
    for (const r of switchRoutes(n)) {
      if (!ids.has(r.target)) {
        const field = r.value === null ? 'default' : `cases.${r.value}`;
        problems.push({
          node: n.id,
          field,
          severity: 'error',
          message: `routes to node "${r.target}", which does not exist`,
        });
      } else if (r.target === n.id) {
        problems.push({
          node: n.id,
          field: r.value === null ? 'default' : `cases.${r.value}`,
          severity: 'error',
          message: 'a switch cannot route to itself',
        });
      }
    }
    if (n.type === 'MonitoringNode' && typeof n.params.compare_with === 'string') {
      const other = ids.get(n.params.compare_with);
      if (!other || other.type !== 'MonitoringNode') {
        problems.push({
          node: n.id,
          field: 'compare_with',
          severity: 'error',
          message: `"${n.params.compare_with}" is not a MonitoringNode of this workflow`,
        });
      }
    }
  }
  problems.push(...unfedReferences(wf));
  problems.push(...annotationProblems(wf, ids));
  if (!problems.some((p) => p.severity === 'error') && executionOrder(wf) === null) {
    const cycle = cycleNodes(wf);
    const [from = '', to = ''] = cycle.slice(-2);
    const conn = wf.connections.findIndex((c) => c.source === from && c.target === to);
    const fromNode = ids.get(from);
    const route = fromNode && switchRoutes(fromNode).find((r) => r.target === to);
    const field = conn >= 0 ? `connections[${conn}]` : route?.value === null ? 'default' : `cases.${route?.value}`;
    problems.push({
      node: from,
      field,
      severity: 'error',
      message: `the workflow has a cycle through ${cycle.join(' -> ')}; remove one of its connections`,
    });
  }
  return problems.map((p) => {
    const label = p.label ?? (p.node === undefined ? undefined : formLabel(ids.get(p.node)?.type ?? '', p.field));
    return label === undefined ? p : { ...p, label };
  });
}

/**
 * `":name"` params of enabled nodes that no connection feeds: the value is read from the node's
 * input, so without one the run fails at that node.
 */
function unfedReferences(wf: Workflow): WorkflowProblem[] {
  const fed = new Set(wf.connections.map((c) => c.target));
  const problems: WorkflowProblem[] = [];
  for (const n of wf.nodes) {
    if (n.disabled || fed.has(n.id)) continue;
    const desc = nodeDescription(n.type);
    for (const [field, value] of Object.entries(n.params)) {
      if (!isReference(value)) continue;
      problems.push({
        node: n.id,
        field,
        severity: 'error',
        message: `${desc ? fieldLabel(desc, field) : field} reads "${value}" from its input, but no connection feeds this node, so the run would fail here; connect the node that outputs ${value.slice(1)} to this node's input`,
      });
    }
  }
  return problems;
}

/** Groups name existing nodes, each node in one group at most; group and note ids are unique. */
function annotationProblems(wf: Workflow, nodes: ReadonlyMap<string, WorkflowNode>): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const owner = new Map<string, string>();
  const seen = (kind: string, list: readonly { id: string }[]) => {
    const ids = new Set<string>();
    list.forEach((x, i) => {
      if (ids.has(x.id))
        problems.push({
          field: `${kind}[${i}].id`,
          severity: 'error',
          message: `duplicate ${kind === 'groups' ? 'group' : 'note'} id "${x.id}"; give each its own id`,
        });
      ids.add(x.id);
    });
  };
  seen('groups', wf.groups ?? []);
  seen('notes', wf.notes ?? []);
  (wf.groups ?? []).forEach((g, i) => {
    g.nodes.forEach((id, j) => {
      const field = `groups[${i}].nodes[${j}]`;
      if (!nodes.has(id))
        problems.push({
          node: id,
          field,
          severity: 'error',
          message: `group "${g.name}" lists node "${id}", which does not exist; remove it from the group`,
        });
      else if (owner.has(id))
        problems.push({
          node: id,
          field,
          severity: 'error',
          message: `node "${id}" is in two groups ("${owner.get(id)}" and "${g.name}"); a node belongs to one group at most`,
        });
      else owner.set(id, g.name);
    });
  });
  return problems;
}

function cycleNodes(wf: Workflow): string[] {
  const next = new Map<string, string[]>();
  for (const e of orderingEdges(wf)) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 1);
    stack.push(id);
    for (const t of next.get(id) ?? []) {
      if (state.get(t) === 1) return [...stack.slice(stack.indexOf(t)), t];
      if (!state.has(t)) {
        const found = visit(t);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 2);
    return null;
  };
  for (const n of wf.nodes) {
    if (!state.has(n.id)) {
      const found = visit(n.id);
      if (found) return found;
    }
  }
  return [];
}

/**
 * Parses and validates workflow JSON text (integers beyond 2^53 kept exact as BigInt: json-text.ts). Throws WorkflowError listing every problem; returns
 * the workflow (with defaults filled) and its warnings.
 */
export function parseWorkflow(
  text: string,
  options: { draft?: boolean } = {},
): { workflow: Workflow; warnings: WorkflowProblem[] } {
  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch (e) {
    throw new WorkflowError([{ severity: 'error', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  const parsed = workflowSchema.safeParse(raw);
  if (!parsed.success) {
    throw new WorkflowError(
      parsed.error.issues.map((i) => {
        const [first, idx] = i.path;
        const node =
          first === 'nodes' && typeof idx === 'number'
            ? (raw as { nodes: { id?: string }[] }).nodes[idx]?.id
            : undefined;
        return { severity: 'error' as const, node, field: issuePath(i.path), message: i.message };
      }),
    );
  }
  const problems = validateWorkflow(parsed.data, options);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new WorkflowError(errors);
  return { workflow: parsed.data, warnings: problems.filter((p) => p.severity === 'warning') };
}

/** Stable, diff-friendly JSON text of a workflow; a BigInt is written as its digits. */
export function serializeWorkflow(wf: Workflow): string {
  return stringifyJson(wf, 2) + '\n';
}
