/**
 * `dataflow import <file.py|-> [-o out.dataflow.json] [--lenient]`: reads Kailash WorkflowBuilder
 * Python into a workflow file. Problems go to stderr as `file:line:column: severity: message`;
 * errors exit 1 and write nothing, unless --lenient (which keeps what it can, with warnings).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { importPython, type ImportProblem } from '../../shared/python/parse.ts';
import { serializeWorkflow } from '../../shared/workflow.ts';
import { terminalText } from '../../shared/terminal-text.ts';
import { EXIT, UsageError } from './common.ts';

/** The streams a command writes to and reads from (process streams in the CLI, memory in tests). */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

const HELP = `Usage: dataflow import <file.py|-> [-o out.dataflow.json] [--lenient]

Reads Kailash WorkflowBuilder Python (workflow.add_node / add_connection, as in the DataFlow
guide) into a workflow. "-" reads standard input. The workflow JSON goes to standard output, or
to the file given with -o.

  -o, --output <file>  write the workflow here instead of standard output
      --lenient        keep what can be imported: bad nodes and connections are left out with a
                       warning instead of failing
  -h, --help           show this help

Exit codes: 0 imported, 1 the Python has errors (nothing written), 2 unusable input.`;

export async function importCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(
    'import',
    HELP,
    argv,
    io,
    { output: { type: 'string', short: 'o' }, lenient: { type: 'boolean' } },
    1,
    async ([file], flags) => {
      const source = await readSource(file!, io.stdin);
      const name = file === '-' ? 'untitled' : basename(file!).replace(/\.py$/i, '');
      const result = importPython(source, { lenient: flags.lenient === true, name });
      printImportProblems(io, file === '-' ? '<stdin>' : file!, result.problems);
      const errors = result.problems.filter((p) => p.severity === 'error').length;
      if (errors > 0) {
        line(
          io.stderr,
          `dataflow import: ${errors} error${errors === 1 ? '' : 's'}; nothing written (fix them, or rerun with --lenient to keep what can be imported)`,
        );
        return EXIT.failed;
      }
      const { workflow, models } = result;
      await writeResult(
        io,
        serializeWorkflow(workflow),
        flags.output,
        `${workflow.nodes.length} nodes, ${workflow.connections.length} connections`,
      );
      if (models.length > 0) {
        line(
          io.stderr,
          `note: ${models.length} @db.model class${models.length === 1 ? '' : 'es'} (${models.map((m) => m.name).join(', ')}) not part of the workflow; compare them with a database using: dataflow models ${file} --db <connection>`,
        );
      }
      return EXIT.ok;
    },
  );
}

/** Writes a line, its control characters escaped (`terminalText`). */
export function line(stream: NodeJS.WritableStream, text: string): void {
  const safe = terminalText(text);
  stream.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

export function printImportProblems(io: CommandIo, file: string, problems: readonly ImportProblem[]): void {
  for (const p of problems) line(io.stderr, `${file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`);
}

/** Reads a file, or standard input for "-"; an unreadable file is a UsageError. */
export async function readSource(file: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
}

/** Writes text to the -o file (saying so on stderr) or to stdout. */
export async function writeResult(
  io: CommandIo,
  text: string,
  output: string | boolean | undefined,
  summary: string,
): Promise<void> {
  if (typeof output !== 'string') {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (e) {
    throw new UsageError(`cannot write ${output}: ${(e as Error).message}`);
  }
  line(io.stderr, `wrote ${output} (${summary})`);
}

type Flags = Record<string, string | boolean | undefined>;

/**
 * Parses the arguments (`--help` prints `help`), checks the positional count and turns
 * UsageErrors and flag errors into exit 2 with a message naming the command.
 */
export async function runCommand(
  name: string,
  help: string,
  argv: string[],
  io: CommandIo,
  options: NonNullable<ParseArgsConfig['options']>,
  positionals: number,
  run: (positionals: string[], flags: Flags) => Promise<number>,
): Promise<number> {
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      line(io.stdout, help);
      return EXIT.ok;
    }
    if (parsed.positionals.length !== positionals) {
      throw new UsageError(
        parsed.positionals.length < positionals
          ? 'missing the input file'
          : `unexpected argument(s) ${parsed.positionals.slice(positionals).join(' ')}`,
      );
    }
    return await run(parsed.positionals, parsed.values as Flags);
  } catch (e) {
    const error = e as Error & { code?: string };
    if (e instanceof UsageError || error.code?.startsWith('ERR_PARSE_ARGS')) {
      line(io.stderr, `dataflow ${name}: ${error.message}\nRun "dataflow ${name} --help" for usage.`);
      return EXIT.usage;
    }
    line(io.stderr, `dataflow ${name}: ${error.message ?? String(e)}`);
    return EXIT.failed;
  }
}
