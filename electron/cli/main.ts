/**
 * The `dataflow` command line: argument parsing and dispatch. Returns the exit code (see EXIT);
 * bin/dataflow.js sets it on the process.
 */
import { parseArgs } from 'node:util';
import { WorkflowError } from '../../shared/workflow.ts';
import { EXIT, UsageError, err, out, printProblems, type Command } from './common.ts';
import { demoDbCommand } from './demo-db.ts';
import { validateCommand } from './validate.ts';
import { planCommand } from './plan.ts';
import { runCommand } from './run.ts';
import { historyCommand } from './history.ts';

const COMMANDS: readonly Command[] = [demoDbCommand, validateCommand, planCommand, runCommand, historyCommand];

/** Commands that parse their own arguments and write to the streams given (the Python bridge). */
interface StreamCommand {
  name: string;
  summary: string;
  main(argv: string[]): Promise<number>;
}

const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

const STREAM_COMMANDS: readonly StreamCommand[] = [
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
${[...COMMANDS, ...STREAM_COMMANDS].map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Connections: sqlite:<path> or postgres://user:password@host:port/database
Exit codes: 0 succeeded, 1 failed, 2 unusable input, 130 cancelled (Ctrl-C)

Run "dataflow <command> --help" for a command's flags.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const cmd = COMMANDS.find((c) => c.name === rest[0]);
    const stream = STREAM_COMMANDS.find((c) => c.name === rest[0]);
    if (stream) return stream.main(['--help']);
    out(cmd ? cmd.help : HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const stream = STREAM_COMMANDS.find((c) => c.name === name);
  if (stream) return stream.main(rest);
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    const names = [...COMMANDS, ...STREAM_COMMANDS].map((c) => c.name).join(', ');
    err(`dataflow: unknown command "${name}"; the commands are ${names} (dataflow --help)`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...cmd.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      out(cmd.help);
      return EXIT.ok;
    }
    if (positionals.length !== cmd.positionals.length) {
      const want = cmd.positionals.map((p) => `<${p}>`).join(' ');
      throw new UsageError(
        positionals.length < cmd.positionals.length
          ? `missing ${want}`
          : `unexpected argument(s) ${positionals.slice(cmd.positionals.length).join(' ')}`,
      );
    }
    return await cmd.run(positionals, values);
  } catch (e) {
    return report(cmd, e);
  }
}

function report(cmd: Command, e: unknown): number {
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
