/** `dataflow fleet plan <workflow> --targets <file> | --targets-sql QUERY --db REGISTRY [--parallel N] [--json]`. */
import { terminalJson } from '../../shared/terminal-text.ts';
import { EXIT, err, out, printProblems, readWorkflow, type Command } from './common.ts';
import { TARGETS_HELP, TARGET_OPTIONS, readTargets, waveFlags } from './fleet-flags.ts';
import { findConfig } from './lint.ts';
import { waiverFlags } from './run.ts';

export const fleetPlanCommand: Command = {
  name: 'fleet plan',
  help: `Usage: dataflow fleet plan <workflow> (--targets <file> | --targets-sql <query> --db <registry>)
                            [--parallel N] [--json] [--config <file>] [--waive <codes> --reason <text>]

Plans the workflow on every target (up to --parallel at once, default 4; nothing is written) and
prints the plan matrix: the statements most targets would run (the common plan), then per
target its status (would apply, already applied, would fail, drift), its statements when they
differ from the common plan, the safety review's findings, and when it was planned. Under a
target that would fail: why (the node and field, the drift, or the connection's error).

${TARGETS_HELP}
  --parallel <n>       targets planned at once (default 4)
  --json               print the matrix as JSON on stdout
  --config <file>      the safety review's configuration (default: dataflow.lint.json next to
                       the workflow, else in the working directory)
  --waive, --reason    the waivers the apply would carry (as for dataflow run)

Exit codes: 0 every target would apply or is applied, 1 a target would fail, is drifted or
is not a valid target, 2 unusable input (the targets file's errors name its line)

Example: dataflow fleet plan assets/examples/zero-downtime.dataflow.json --targets targets.json`,
  options: {
    ...TARGET_OPTIONS,
    parallel: { type: 'string' },
    json: { type: 'boolean' },
    config: { type: 'string' },
    waive: { type: 'string' },
    reason: { type: 'string' },
  },
  positionals: ['workflow'],
  async run([path], flags) {
    const { parallel } = waveFlags(flags);
    const waivers = waiverFlags(flags);
    const { workflow, warnings } = await readWorkflow(path!);
    printProblems(warnings);
    const config = await findConfig(path!, false, flags);
    const { targets, invalid } = await readTargets(flags);
    const { planFleet } = await import('../fleet/plan-fleet.ts');
    const { openable } = await import('../fleet/run-target.ts');
    const { renderPlanMatrix } = await import('../fleet/matrix.ts');
    let planned = 0;
    const matrix = await planFleet(
      workflow,
      targets.map((t) => openable(t)),
      invalid,
      {
        config,
        waivers,
        trustCode: false,
        ...(parallel !== undefined && { parallel }),
        onPlanned: (p) => {
          if (process.stderr.isTTY)
            err(`planned ${++planned}/${targets.length}: ${p.label} ${p.status.replace('_', ' ')}`);
        },
      },
    );
    out(flags.json ? terminalJson(matrix) : renderPlanMatrix(matrix));
    const { would_fail, drift } = matrix.counts;
    return would_fail + drift + invalid.length > 0 ? EXIT.failed : EXIT.ok;
  },
};
