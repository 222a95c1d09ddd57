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
];

export const FLEET_HELP = `Usage: dataflow fleet <subcommand> <workflow> (--targets <file> | --targets-sql <query> --db <registry>) [flags]

Subcommands:
${FLEET_COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run "dataflow fleet <subcommand> --help" for its flags (docs/fleet.md).`;
