/**
 * `dataflow export <workflow|-> --to python [-o out.py]`: writes a workflow file as Kailash
 * WorkflowBuilder Python that `dataflow import` reads back to the same nodes, params and
 * connections.
 */
import { exportPython } from '../../shared/python/export.ts';
import { formatProblem, parseWorkflow, WorkflowError } from '../../shared/workflow.ts';
import { EXIT, UsageError } from './common.ts';
import { line, readSource, runCommand, writeResult, type CommandIo } from './import-command.ts';

const HELP = `Usage: dataflow export <workflow.dataflow.json|-> --to python [-o out.py]

Writes the workflow as Kailash WorkflowBuilder Python (imports, workflow.add_node per node,
workflow.add_connection per connection, the runtime lines). "-" reads standard input.

      --to python      the output language (python is the one there is)
  -o, --output <file>  write here instead of standard output
  -h, --help           show this help

Exit codes: 0 written, 2 unusable input (unreadable or invalid workflow, bad flags).`;

export async function exportCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(
    'export',
    HELP,
    argv,
    io,
    { to: { type: 'string' }, output: { type: 'string', short: 'o' } },
    1,
    async ([file], flags) => {
      if (flags.to !== 'python')
        throw new UsageError(
          flags.to === undefined
            ? '--to python is required'
            : `cannot export to "${String(flags.to)}"; use --to python`,
        );
      const text = await readSource(file!, io.stdin);
      try {
        const { workflow } = parseWorkflow(text);
        await writeResult(
          io,
          exportPython(workflow),
          flags.output,
          `${workflow.nodes.length} nodes, ${workflow.connections.length} connections`,
        );
        return EXIT.ok;
      } catch (e) {
        if (!(e instanceof WorkflowError)) throw e;
        for (const p of e.problems) line(io.stderr, `${file}: ${p.severity}: ${formatProblem(p)}`);
        line(io.stderr, 'dataflow export: the workflow is not valid; nothing written');
        return EXIT.usage;
      }
    },
  );
}
