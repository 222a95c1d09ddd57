/**
 * `dataflow fleet enqueue <workflow> --targets <file> | --targets-sql QUERY --db REGISTRY
 * --queue <url> [--canary N] [--wave N] [--on-error stop|continue] [--max-failures N]`: puts a
 * fleet on the job queue and prints its id.
 */
import { EXIT, UsageError, err, out, printProblems, readWorkflow, requireFlag, type Command } from './common.ts';
import { TARGETS_HELP, TARGET_OPTIONS, WAVE_OPTIONS_SPEC, readTargets, waveFlags } from './fleet-flags.ts';
import { findConfig } from './lint.ts';
import { waiverFlags } from './run.ts';

export const fleetEnqueueCommand: Command = {
  name: 'fleet enqueue',
  help: `Usage: dataflow fleet enqueue <workflow> (--targets <file> | --targets-sql <query> --db <registry>)
                               --queue <postgres URL> [--canary N] [--wave N]
                               [--on-error stop|continue] [--max-failures N] [--trust-code]
                               [--config <file>] [--waive <codes> --reason <text>] [--accept-drift]

Puts a fleet on the job queue (docs/fleet.md, "On a job queue"): one job per target, run by
"dataflow worker" processes on any machines, each target an ordinary apply as "dataflow fleet
run" makes it. Prints the fleet's id on stdout; "dataflow fleet status --queue <url> <id>"
shows its run matrix.

The fleet's records and its first wave's jobs are written in one transaction: the fleet is on the
queue whole or not at all. Each later wave's jobs are queued by the job that ends the wave before
it, so a wave starts only once the one before ended. A failed canary stops the fleet; after it, a
failure stops it with --on-error stop (the default), or with --on-error continue once
--max-failures targets failed. A stopped fleet runs no new target (skipped).

  --queue <url>        the queue's PostgreSQL database (postgres://user@host:port/database, the
                       password in PGPASSWORD or ~/.pgpass); graphile-worker keeps the jobs in its
                       schema dataflow_queue, the fleet records are in schema dataflow_fleet
${TARGETS_HELP}
  --canary <n>         targets of the first wave, which must all succeed first (default 1; 0: none)
  --wave <n>           targets per wave after the canary (default: all the rest)
  --on-error <stop|continue>  after a failed target, start no new one (stop, default) or go on
  --max-failures <n>   stop starting targets once n failed (with --on-error continue)
  --trust-code, --config, --waive, --reason, --accept-drift: as for dataflow run, for every target

No password goes on the queue: a worker reads a target's password from the variable its
"password_env" names (or PGPASSWORD, ~/.pgpass) when it runs the target. How many targets run at
once is the workers' choice (dataflow worker --concurrency).

Exit codes: 0 enqueued, 1 the queue could not be used, 2 unusable input (the targets file's
errors name its line)`,
  options: {
    ...TARGET_OPTIONS,
    canary: WAVE_OPTIONS_SPEC.canary!,
    wave: WAVE_OPTIONS_SPEC.wave!,
    'on-error': WAVE_OPTIONS_SPEC['on-error']!,
    'max-failures': WAVE_OPTIONS_SPEC['max-failures']!,
    queue: { type: 'string' },
    'trust-code': { type: 'boolean' },
    config: { type: 'string' },
    waive: { type: 'string' },
    reason: { type: 'string' },
    'accept-drift': { type: 'boolean' },
  },
  positionals: ['workflow'],
  async run([path], flags) {
    const queueUrl = requireFlag(flags, 'queue');
    const { queueLabel, QueueUrlError } = await import('../fleet/queue/connection.ts');
    let label: string;
    try {
      label = queueLabel(queueUrl);
    } catch (e) {
      if (e instanceof QueueUrlError) throw new UsageError(e.message);
      throw e;
    }
    const waves = waveFlags(flags);
    const review = { config: await findConfig(path!, false, flags), waivers: waiverFlags(flags) };
    const { workflow, warnings } = await readWorkflow(path!);
    printProblems(warnings);
    const targets = await readTargets(flags);
    for (const t of targets.invalid) err(`invalid target ${t.source}: ${t.label}: "${t.field}" ${t.message}`);
    const { enqueueFleet } = await import('../fleet/queue/enqueue.ts');
    const fleet = await enqueueFleet(queueUrl, workflow, targets, {
      canary: waves.canary ?? 1,
      wave: waves.wave ?? null,
      onError: waves.onError ?? 'stop',
      maxFailures: waves.maxFailures ?? null,
      trustCode: flags['trust-code'] === true,
      acceptDrift: flags['accept-drift'] === true,
      review,
    });
    const sizes = fleet.waves.map((n, w) => (w === 0 ? `canary ${n}` : String(n))).filter((s) => s !== 'canary 0');
    err(
      `fleet ${fleet.fleetId} of "${workflow.name}" enqueued on ${label}: ${targets.targets.length} targets, ` +
        `waves ${sizes.join(', ')}${fleet.invalid > 0 ? `; ${fleet.invalid} invalid, not run` : ''}\n` +
        `run it with: dataflow worker --queue <url>; follow it with: dataflow fleet status --queue <url> ${fleet.fleetId.slice(0, 8)}`,
    );
    out(fleet.fleetId);
    return EXIT.ok;
  },
};
