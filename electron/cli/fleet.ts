/**
 * `dataflow fleet <subcommand>`: one workflow on many databases (docs/fleet.md). Each subcommand is
 * its own file; main.ts parses its arguments like a command's.
 */
import type { Command } from './common.ts';

/** The fleet subcommands as `dataflow fleet --help` lists them; each module is loaded only when used. */
export const FLEET_COMMANDS: readonly { name: string; summary: string; command(): Promise<Command> }[] = [
  {
    name: 'plan',
    summary: 'plan a workflow on every target and print the plan matrix (nothing written)',
    command: async () => (await import('./fleet-plan.ts')).fleetPlanCommand,
  },
  {
    name: 'run',
    summary: 'apply a workflow to every target in waves (canary first), with a summary table',
    command: async () => (await import('./fleet-run.ts')).fleetRunCommand,
  },
  {
    name: 'enqueue',
    summary: 'put the fleet on a PostgreSQL job queue, one job per target, for dataflow worker',
    command: async () => (await import('./fleet-enqueue.ts')).fleetEnqueueCommand,
  },
  {
    name: 'status',
    summary: "show an enqueued fleet's run matrix",
    command: async () => (await import('./fleet-status.ts')).fleetStatusCommand,
  },
];

export const FLEET_HELP = `Usage: dataflow fleet <subcommand> [arguments] [flags]

Subcommands:
${FLEET_COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run "dataflow fleet <subcommand> --help" for its flags (docs/fleet.md).`;
