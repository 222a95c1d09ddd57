/** `dataflow validate <workflow>`: checks a workflow file without touching a database. */
import { executionOrder } from '../../shared/workflow.ts';
import { EXIT, out, printProblems, readWorkflow, type Command } from './common.ts';

export const validateCommand: Command = {
  name: 'validate',
  help: `Usage: dataflow validate <workflow>

Checks a *.dataflow.json file: its format, every node's type and params, every connection
(missing nodes, duplicates, self-loops), switch routes and cycles. Needs no database.
Every problem names the node and the field.

Exit codes: 0 valid (warnings may be printed), 2 invalid or unreadable

Example: dataflow validate assets/examples/basic-add-column.dataflow.json`,
  options: {},
  positionals: ['workflow'],
  async run([path]) {
    const { workflow, warnings } = await readWorkflow(path!);
    printProblems(warnings);
    out(`ok: ${workflow.name}: ${workflow.nodes.length} node(s), ${workflow.connections.length} connection(s)`);
    out(`run order: ${(executionOrder(workflow) ?? []).join(' -> ')}`);
    return EXIT.ok;
  },
};
