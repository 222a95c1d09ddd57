/**
 * Python export: a workflow as Kailash `WorkflowBuilder` code in the guide's style (imports,
 * `workflow = WorkflowBuilder()`, one `add_node` per node with its params as a Python literal,
 * one `add_connection` per connection, the runtime lines). `importPython` reads it back to the
 * same nodes, params and connections (positions are laid out anew).
 */
import type { Workflow } from '../workflow.ts';
import { printable, renderPython } from './literal.ts';

export function exportPython(wf: Workflow): string {
  const out: string[] = [];
  const title = [wf.name, wf.description].filter((s) => s && s !== 'untitled').join(': ');
  for (const line of title.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '')) out.push(`# ${printable(line)}`);
  if (out.length > 0) out.push('');
  out.push(
    'from kailash.workflow.builder import WorkflowBuilder',
    'from kailash.runtime.local import LocalRuntime',
    '',
    'workflow = WorkflowBuilder()',
    '',
  );
  for (const n of wf.nodes) {
    out.push(`workflow.add_node(${renderPython(n.type)}, ${renderPython(n.id)}, ${renderPython(n.params)})`, '');
  }
  for (const c of wf.connections) {
    out.push(
      `workflow.add_connection(${[c.source, c.sourceOutput, c.target, c.targetInput].map((s) => renderPython(s)).join(', ')})`,
    );
  }
  if (wf.connections.length > 0) out.push('');
  out.push('runtime = LocalRuntime()', 'results, run_id = runtime.execute(workflow.build())', '');
  return out.join('\n');
}
