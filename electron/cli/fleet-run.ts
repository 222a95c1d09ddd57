/**
 * `dataflow fleet run <workflow> --targets <file> | --targets-sql QUERY --db REGISTRY [--parallel N]
 * [--canary N] [--wave N] [--on-error stop|continue] [--max-failures N] [--pause] [--resume <fleet-id>] [--json]`:
 * the workflow applied to every target in waves (electron/fleet/waves.ts), recorded in the app's
 * history (store.db in DATAFLOW_HOME) so that a fleet cut short can be resumed.
 */
import { createInterface } from 'node:readline/promises';
import { terminalJson } from '../../shared/terminal-text.ts';
import type { FleetEvent } from '../fleet/waves.ts';
import {
  EXIT,
  UsageError,
  err,
  fleetExit,
  formatDuration,
  out,
  printProblems,
  readWorkflow,
  type Command,
} from './common.ts';
import { TARGETS_HELP, TARGET_OPTIONS, WAVES_HELP, WAVE_OPTIONS_SPEC, readTargets, waveFlags } from './fleet-flags.ts';
import { findConfig } from './lint.ts';
import { waiverFlags } from './run.ts';

/** Asks on the terminal whether to start the next wave. */
async function confirmWave(wave: number, labels: readonly string[]): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `start wave ${wave} (${labels.length} targets: ${labels.slice(0, 5).join(', ')}${labels.length > 5 ? ', ...' : ''})? [y/N] `,
    );
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export const fleetRunCommand: Command = {
  name: 'fleet run',
  help: `Usage: dataflow fleet run <workflow> (--targets <file> | --targets-sql <query> --db <registry>)
                           [--parallel N] [--canary N] [--wave N] [--on-error stop|continue]
                           [--max-failures N] [--pause] [--resume <fleet-id>] [--json]
                           [--trust-code] [--config <file>] [--waive <codes> --reason <text>]
                           [--accept-drift]

Applies the workflow to every target: a canary wave first, then waves of --wave targets, up to
--parallel at once. Each target's run is an ordinary apply ("dataflow run": migration lock,
preflight plan, safety review, drift check, run record on the target); a target whose records
show this workflow applied already is not run again. A failed canary stops the fleet; after
it, --on-error decides. Prints each target as it finishes on stderr, then the summary table
(or with --json the run matrix) on stdout. The fleet run and each target's run are kept in the
app's history (store.db in DATAFLOW_HOME, default ~/.dataflow-studio).

${TARGETS_HELP}
${WAVES_HELP}
  --pause              ask before each wave after the canary (on the terminal)
  --resume <fleet-id>  run only the targets of that fleet run (its id or the start of it) that
                       did not succeed; the same targets are given again
  --json               print the run matrix as JSON on stdout
  --trust-code, --config, --waive, --reason, --accept-drift: as for dataflow run, for every target

Ctrl-C starts no new target and cancels the running ones between statements (each rolls back
its current node); a second Ctrl-C exits at once.

Exit codes: 0 every target succeeded, 1 a target failed, was skipped or is not a valid target,
2 unusable input (the targets file's errors name its line), 130 cancelled

Example: dataflow fleet run assets/examples/zero-downtime.dataflow.json --targets targets.json --parallel 4 --wave 20`,
  options: {
    ...TARGET_OPTIONS,
    ...WAVE_OPTIONS_SPEC,
    pause: { type: 'boolean' },
    resume: { type: 'string' },
    json: { type: 'boolean' },
    'trust-code': { type: 'boolean' },
    config: { type: 'string' },
    waive: { type: 'string' },
    reason: { type: 'string' },
    'accept-drift': { type: 'boolean' },
  },
  positionals: ['workflow'],
  async run([path], flags) {
    const waves = waveFlags(flags);
    const waivers = waiverFlags(flags);
    const { workflow, warnings } = await readWorkflow(path!);
    printProblems(warnings);
    const config = await findConfig(path!, false, flags);
    const { targets, invalid } = await readTargets(flags);
    const { resolve } = await import('node:path');
    const { AppStore } = await import('../store/store.ts');
    const { FleetHistory } = await import('../store/fleet-history.ts');
    const { defaultWebDataDir, resolveDataDir } = await import('../store/data-dir.ts');
    const { runFleet } = await import('../fleet/waves.ts');
    const { openable } = await import('../fleet/run-target.ts');
    const { renderRunMatrix } = await import('../fleet/matrix.ts');
    const store = new AppStore(resolveDataDir(defaultWebDataDir()));
    const history = new FleetHistory(store);
    const filePath = resolve(path!);
    let done: Map<string, string | null> | undefined;
    let fleetId: string | undefined;
    if (typeof flags.resume === 'string') {
      const earlier = history.get(flags.resume);
      if (!earlier) {
        store.close();
        throw new UsageError(
          `--resume: no fleet run (or more than one) has an id starting with ${flags.resume} (the summary of "dataflow fleet run" names it)`,
        );
      }
      fleetId = earlier.fleetId;
      done = new Map(earlier.targets.filter((t) => t.status === 'succeeded').map((t) => [t.label, t.runId]));
      err(
        `resuming fleet ${fleetId.slice(0, 8)}: ${done.size} target${done.size === 1 ? '' : 's'} succeeded before, not run again`,
      );
    }
    const total = targets.filter((t) => !done?.has(t.label)).length;
    let finished = 0;
    const onEvent = (e: FleetEvent) => {
      if (e.type === 'fleet_started')
        history.start(e.matrix, filePath, { ...waves, targets: flags.targets ?? flags['targets-sql'] });
      else if (e.type === 'wave_started')
        err(
          `${e.wave === 0 ? 'canary' : `wave ${e.wave}`}: ${e.labels.length} target${e.labels.length === 1 ? '' : 's'}`,
        );
      else if (e.type === 'target_changed' && e.row.status !== 'running') history.put(fleetId!, e.row);
      else if (e.type === 'target_finished') {
        if (e.result)
          store.addRun(e.result, { connectionId: null, connectionName: e.row.label, filePath }, e.snapshots);
        history.put(fleetId!, e.row);
        const note = e.outcome.alreadyApplied ? ' (applied before)' : '';
        err(
          `[${++finished}/${total}] ${e.row.label} ${e.row.status}${note} ${formatDuration(e.row.durationMs)}${e.row.error ? `: ${e.row.error.message}` : ''}`,
        );
      } else if (e.type === 'fleet_finished') history.finish(e.matrix.fleetId, e.matrix.status, e.matrix.stopReason);
    };
    const controller = new AbortController();
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(EXIT.cancelled);
      err(
        '\ncancelling: no new target starts, the running ones stop after their current statement (Ctrl-C again to exit now)',
      );
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      fleetId ??= (await import('node:crypto')).randomUUID();
      const matrix = await runFleet(
        workflow,
        targets.map((t) => openable(t)),
        invalid,
        {
          ...waves,
          fleetId,
          ...(done && { done }),
          ...(flags.pause === true && { confirm: confirmWave }),
          signal: controller.signal,
          onEvent,
          run: {
            trustCode: flags['trust-code'] === true,
            review: { config, waivers },
            acceptDrift: flags['accept-drift'] === true,
          },
        },
      );
      out(flags.json ? terminalJson(matrix) : renderRunMatrix(matrix));
      return fleetExit(matrix.status);
    } finally {
      process.off('SIGINT', onSigint);
      store.close();
    }
  },
};
