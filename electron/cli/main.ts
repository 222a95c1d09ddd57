/**
 * The `dataflow` command line: argument parsing and dispatch. Returns the exit code (see EXIT);
 * bin/dataflow.js sets it on the process.
 */
import { parseArgs } from 'node:util';
import { EXIT, UsageError, err, out, printProblems, type Command } from './common.ts';

/**
 * A command as `dataflow --help` lists it. Its module is loaded only when the command is used, so
 * that `--help` loads no workflow schema, engine or driver. `command` returns a command whose
 * arguments main() parses; `main` is a command that parses its own (the Python bridge) and writes
 * to the process streams.
 */
type Entry = { name: string; summary: string } & (
  | { command(): Promise<Command>; main?: never; group?: never }
  | { main(argv: string[]): Promise<number>; command?: never; group?: never }
  /** A command of subcommands (`dataflow fleet plan`): its first argument picks the subcommand. */
  | {
      group(): Promise<{ help: string; commands: readonly { name: string; command(): Promise<Command> }[] }>;
      command?: never;
      main?: never;
    }
);

const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

const COMMANDS: readonly Entry[] = [
  {
    name: 'demo-db',
    summary: 'create the demo database (users, orders, products, contacts, test_users)',
    command: async () => (await import('./demo-db.ts')).demoDbCommand,
  },
  {
    name: 'validate',
    summary: 'check a workflow file (format, node params, connections, cycles)',
    command: async () => (await import('./validate.ts')).validateCommand,
  },
  {
    name: 'plan',
    summary: 'print the SQL a workflow would run against a database, without writing',
    command: async () => (await import('./plan.ts')).planCommand,
  },
  {
    name: 'lint',
    summary: 'review a workflow or SQL migrations for locks, rewrites and breaking changes (docs/lint.md)',
    command: async () => (await import('./lint.ts')).lintCommand,
  },
  {
    name: 'run',
    summary: 'run a workflow against a database (or rehearse it and roll back)',
    command: async () => (await import('./run.ts')).runCommand,
  },
  {
    name: 'history',
    summary: 'list the migrations recorded in the database (dataflow_migrations)',
    command: async () => (await import('./history.ts')).historyCommand,
  },
  {
    name: 'runs',
    summary: 'list the applies recorded in the database, or show one run node by node',
    command: async () => (await import('./runs.ts')).runsCommand,
  },
  {
    name: 'rollback',
    summary: 'roll a recorded apply back: the reverse workflow built from its record',
    command: async () => (await import('./rollback.ts')).rollbackCommand,
  },
  {
    name: 'backups',
    summary: 'list the prior backups kept for rollbacks (size, age), or purge them',
    command: async () => (await import('./backups.ts')).backupsCommand,
  },
  {
    name: 'drift',
    summary: 'show what changed on the database outside DataFlow Studio since its last recorded apply',
    command: async () => (await import('./drift.ts')).driftCommand,
  },
  {
    name: 'fleet',
    summary: 'plan or apply a workflow on many databases, in waves (docs/fleet.md)',
    group: async () => {
      const { FLEET_COMMANDS, FLEET_HELP } = await import('./fleet.ts');
      return { help: FLEET_HELP, commands: FLEET_COMMANDS };
    },
  },
  {
    name: 'worker',
    summary: 'run the jobs of fleets put on a job queue (dataflow fleet enqueue), on any machines',
    command: async () => (await import('./worker.ts')).workerCommand,
  },
  {
    name: 'import',
    summary: 'read Kailash WorkflowBuilder Python into a workflow file',
    main: async (argv) => (await import('./import-command.ts')).importCommand(argv, io),
  },
  {
    name: 'export',
    summary: 'write a workflow file as Kailash WorkflowBuilder Python',
    main: async (argv) => (await import('./export-command.ts')).exportCommand(argv, io),
  },
  {
    name: 'models',
    summary: 'write the workflow that brings a database in line with @db.model classes',
    main: async (argv) => (await import('./models-command.ts')).modelsCommand(argv, io),
  },
];

const HELP = `dataflow: plan and run DataFlow schema-change workflows against SQLite and PostgreSQL

Usage: dataflow <command> [arguments] [flags]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Connections: sqlite:<path> or postgres://user:password@host:port/database
Exit codes: 0 succeeded, 1 failed, 2 unusable input, 130 cancelled (Ctrl-C)

Run "dataflow <command> --help" for a command's flags.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const entry = COMMANDS.find((c) => c.name === rest[0]);
    if (entry?.main) return entry.main(['--help']);
    out(entry?.group ? (await entry.group()).help : entry ? (await entry.command()).help : HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    err(
      `dataflow: unknown command "${name}"; the commands are ${COMMANDS.map((c) => c.name).join(', ')} (dataflow --help)`,
    );
    return EXIT.usage;
  }
  if (entry.main) return entry.main(rest);
  let args = rest;
  let cmd: Command;
  if (entry.group) {
    const { help, commands } = await entry.group();
    const sub = commands.find((c) => c.name === rest[0]);
    if (!sub) {
      if (rest[0] === undefined || rest[0] === '--help' || rest[0] === '-h') out(help);
      else
        err(
          `dataflow ${name}: unknown subcommand "${rest[0]}"; the subcommands are ${commands.map((c) => c.name).join(', ')}`,
        );
      return rest[0] === '--help' || rest[0] === '-h' ? EXIT.ok : EXIT.usage;
    }
    cmd = await sub.command();
    args = rest.slice(1);
  } else cmd = await entry.command();
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...cmd.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      out(cmd.help);
      return EXIT.ok;
    }
    const most = cmd.positionals.length + (cmd.optional?.length ?? 0);
    if (positionals.length < cmd.positionals.length || positionals.length > most) {
      const want = cmd.positionals.map((p) => `<${p}>`).join(' ');
      throw new UsageError(
        positionals.length < cmd.positionals.length
          ? `missing ${want}`
          : `unexpected argument(s) ${positionals.slice(most).join(' ')}`,
      );
    }
    return await cmd.run(positionals, values);
  } catch (e) {
    return report(cmd, e);
  }
}

async function report(cmd: Command, e: unknown): Promise<number> {
  const { WorkflowError } = await import('../../shared/workflow.ts');
  if (e instanceof WorkflowError) {
    printProblems(e.problems);
    return EXIT.usage;
  }
  const error = e as Error & { code?: string };
  if (e instanceof UsageError || error.code?.startsWith('ERR_PARSE_ARGS')) {
    err(`dataflow ${cmd.name}: ${error.message}\nRun "dataflow ${cmd.name} --help" for usage.`);
    return EXIT.usage;
  }
  err(`dataflow ${cmd.name}: ${error.message ?? String(e)}`);
  if (process.env.DATAFLOW_DEBUG && error.stack) err(error.stack);
  return EXIT.failed;
}
