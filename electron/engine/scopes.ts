/**
 * Which nodes each TransactionScopeNode covers, and the run order that keeps every scope's
 * members together right after it (one open transaction must not take in unrelated nodes).
 */
import { WorkflowError, executionOrder, orderingEdges, type Workflow } from '../../shared/workflow.ts';

export const SCOPE_TYPE = 'TransactionScopeNode';

export interface RunLayout {
  /** Run order: `executionOrder`, with each scope's members moved to directly after it. */
  order: string[];
  /** Scope id -> its members, in run order. A scope inside another covers a subset of it. */
  scopes: Map<string, string[]>;
  /** Scope id -> the scope that encloses it, or null. */
  parents: Map<string, string | null>;
}

function descendants(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(next.get(start) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return seen;
}

/**
 * Scope members: the scope's descendants over connections and Switch routes; when nothing leaves
 * the scope, every node after it (within its enclosing scope). Members of a scope's span that are
 * not its members move before it (when a member needs them) or after its last member.
 * Throws WorkflowError when two scopes share nodes without one containing the other.
 */
export function layoutRun(wf: Workflow): RunLayout {
  let order = executionOrder(wf);
  if (!order) throw new WorkflowError([{ severity: 'error', message: 'the workflow has a cycle' }]);
  const next = new Map<string, string[]>();
  const prev = new Map<string, string[]>();
  for (const e of orderingEdges(wf)) {
    next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
    prev.set(e.target, [...(prev.get(e.target) ?? []), e.source]);
  }
  const scopeIds = order.filter((id) => wf.nodes.find((n) => n.id === id)?.type === SCOPE_TYPE);
  const members = new Map<string, Set<string>>();
  const parents = new Map<string, string | null>();
  for (const id of scopeIds) {
    const parent =
      [...members.entries()]
        .filter(([, m]) => m.has(id))
        .map(([s]) => s)
        .pop() ?? null;
    parents.set(id, parent);
    if ((next.get(id) ?? []).length > 0) {
      const mine = descendants(id, next);
      members.set(id, mine);
      order = gather(order, id, mine, prev);
    } else {
      const after = order.slice(order.indexOf(id) + 1);
      const within = parent ? members.get(parent)! : null;
      members.set(id, new Set(after.filter((m) => !within || within.has(m))));
    }
  }
  for (const [a, ma] of members) {
    for (const [b, mb] of members) {
      if (a === b || !ma.has(b)) continue;
      const outside = [...mb].find((m) => !ma.has(m));
      if (outside) throw overlap(outside, a, b);
    }
  }
  for (const [a, ma] of members) {
    for (const [b, mb] of members) {
      if (a >= b || ma.has(b) || mb.has(a)) continue;
      const shared = [...ma].find((m) => mb.has(m));
      if (shared) throw overlap(shared, a, b);
    }
  }
  const final = order;
  const scopes = new Map([...members].map(([id, m]) => [id, final.filter((n) => m.has(n))]));
  return { order: final, scopes, parents };
}

function overlap(node: string, a: string, b: string): WorkflowError {
  return new WorkflowError([
    {
      node,
      severity: 'error',
      message: `is covered by transaction scopes "${a}" and "${b}", and neither scope contains the other; connect "${b}" after "${a}" to nest them, or give each scope its own nodes`,
    },
  ]);
}

function gather(order: string[], scope: string, mine: Set<string>, prev: Map<string, string[]>): string[] {
  const start = order.indexOf(scope);
  let end = start;
  order.forEach((id, i) => {
    if (mine.has(id)) end = Math.max(end, i);
  });
  const span = order.slice(start + 1, end + 1);
  const needed = new Set<string>();
  const stack = span.filter((id) => mine.has(id)).flatMap((id) => prev.get(id) ?? []);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (needed.has(id) || mine.has(id) || id === scope) continue;
    needed.add(id);
    stack.push(...(prev.get(id) ?? []));
  }
  const before = span.filter((id) => !mine.has(id) && needed.has(id));
  const inside = span.filter((id) => mine.has(id));
  const after = span.filter((id) => !mine.has(id) && !needed.has(id));
  return [...order.slice(0, start), ...before, scope, ...inside, ...after, ...order.slice(end + 1)];
}
