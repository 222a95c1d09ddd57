/** Workflow builders for the engine's tests. */
import type { Connection, Workflow, WorkflowNode } from '../shared/workflow.ts';

export function node(id: string, type: string, params: Record<string, unknown> = {}): WorkflowNode {
  return { id, type, params, position: { x: 0, y: 0 } };
}

/** `"a.result->b.input"` style connections. */
export function conn(spec: string): Connection {
  const m = /^(\w+)\.([\w.]+)->(\w+)\.(\w+)$/.exec(spec);
  if (!m) throw new Error(`bad connection spec ${spec}`);
  return { source: m[1]!, sourceOutput: m[2]!, target: m[3]!, targetInput: m[4]! };
}

export function workflow(nodes: WorkflowNode[], connections: string[] = [], name = 'test'): Workflow {
  return { format: 'dataflow-workflow', version: 1, name, description: '', nodes, connections: connections.map(conn) };
}

/** A CodeNode whose result is `expr` (JavaScript). */
export function js(id: string, code: string, timeout?: number): WorkflowNode {
  return node(id, 'CodeNode', timeout === undefined ? { code } : { code, timeout });
}

export function py(id: string, code: string, timeout?: number): WorkflowNode {
  return node(id, 'PythonCodeNode', timeout === undefined ? { code } : { code, timeout });
}

export function sw(
  id: string,
  input: string | number | boolean,
  cases: Record<string, string>,
  fallback?: string,
): WorkflowNode {
  return node(id, 'SwitchNode', fallback === undefined ? { input, cases } : { input, cases, default: fallback });
}
