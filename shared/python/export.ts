/**
 * Python export: a workflow as Kailash `WorkflowBuilder` code in the guide's style (imports,
 * `workflow = WorkflowBuilder()`, one `add_node` per node with its params as a Python literal,
 * one `add_connection` per connection, the runtime lines, the workflow's name and description as
 * `workflow.build(name=..., description=...)`). `importPython` reads it back to the same name,
 * description, nodes, params and connections (positions are laid out anew). A disabled node, and the
 * connections that touch it, are written commented out (Kailash has no disabled nodes); the
 * editor's sticky notes and groups have no Python form and are named in a comment only.
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
  const annotations = [
    wf.notes?.length ? `${wf.notes.length} sticky note${wf.notes.length === 1 ? '' : 's'}` : '',
    wf.groups?.length ? `${wf.groups.length} group${wf.groups.length === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  if (annotations.length > 0)
    out.push(`# The editor's ${annotations.join(' and ')} are not part of the Python workflow.`, '');
  const disabled = new Set(wf.nodes.filter((n) => n.disabled).map((n) => n.id));
  for (const n of wf.nodes) {
    const line = `workflow.add_node(${renderPython(n.type)}, ${renderPython(n.id)}, ${renderPython(n.params)})`;
    if (!disabled.has(n.id)) out.push(line, '');
    else out.push('# Disabled in the editor:', ...line.split('\n').map((l) => `# ${l}`), '');
  }
  for (const c of wf.connections) {
    const line = `workflow.add_connection(${[c.source, c.sourceOutput, c.target, c.targetInput].map((s) => renderPython(s)).join(', ')})`;
    out.push(disabled.has(c.source) || disabled.has(c.target) ? `# ${line}  # touches a disabled node` : line);
  }
  if (wf.connections.length > 0) out.push('');
  const build = [
    wf.name && wf.name !== 'untitled' ? `name=${renderPython(wf.name)}` : '',
    wf.description ? `description=${renderPython(wf.description, { indent: 4 })}` : '',
  ].filter(Boolean);
  out.push('runtime = LocalRuntime()', `results, run_id = runtime.execute(workflow.build(${build.join(', ')}))`, '');
  return out.join('\n');
}
