/** What every `dataflow` command shares: exit codes, the command shape, input files, connections. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import { terminalText } from '../../shared/terminal-text.ts';
import type { Workflow } from '../../shared/workflow.ts';
import { formatProblem, type WorkflowProblem } from '../../shared/workflow-problem.ts';
import type { Database } from '../db/connect.ts';
import type { runWorkflow } from '../engine/run.ts';
import type { FleetStatus } from '../fleet/matrix.ts';

/** 0 succeeded, 1 failed, 2 unusable input, 3 still running (`fleet status`), 130 cancelled with Ctrl-C (128 + SIGINT). */
export const EXIT = { ok: 0, failed: 1, usage: 2, running: 3, cancelled: 130 } as const;

/**
 * A fleet's exit code (`fleet run`, `fleet status`): 0 succeeded, 130 cancelled, 3 still running,
 * 1 otherwise (a target failed or is invalid, or the fleet stopped).
 */
export function fleetExit(status: FleetStatus): number {
  if (status === 'succeeded') return EXIT.ok;
  if (status === 'cancelled') return EXIT.cancelled;
  return status === 'running' ? EXIT.running : EXIT.failed;
}

/** Input the command cannot use (bad flag, missing file, bad connection): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type Flags = Record<string, string | boolean | undefined>;

/** A command that main.ts parses the arguments of (its one-line summary is in main.ts's table). */
export interface Command {
  name: string;
  /** The full `--help` text. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Names of the positional arguments, in order; all required. */
  positionals: readonly string[];
  /** Names of positional arguments that may follow the required ones. */
  optional?: readonly string[];
  run(positionals: string[], flags: Flags): Promise<number>;
}

/** Prints a line on stdout, its control characters escaped (`terminalText`): it may hold names and errors from data. */
export function out(text: string): void {
  process.stdout.write(terminalLine(text));
}

/** Prints a line on stderr, its control characters escaped like `out`. */
export function err(text: string): void {
  process.stderr.write(terminalLine(text));
}

function terminalLine(text: string): string {
  const safe = terminalText(text);
  return safe.endsWith('\n') ? safe : `${safe}\n`;
}

export function printProblems(problems: readonly WorkflowProblem[]): void {
  for (const p of problems) err(`${p.severity}: ${formatProblem(p)}`);
}

/** Reads and validates a workflow file; a missing or unreadable file is a UsageError, problems a WorkflowError. */
export async function readWorkflow(path: string): Promise<{ workflow: Workflow; warnings: WorkflowProblem[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read workflow file ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  const { parseWorkflow } = await import('../../shared/workflow.ts');
  return parseWorkflow(text);
}

export function requireFlag(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/**
 * Opens `sqlite:<path>` or a postgres:// URL. With `mustExist`, a SQLite file that does not exist
 * is an error instead of a new empty database (a typo must not create files).
 */
export async function connect(conn: string, options: { mustExist: boolean }): Promise<Database> {
  const { openDatabase, parseConnectionString, connectionLabel } = await import('../db/connect.ts');
  let target: ReturnType<typeof parseConnectionString>;
  try {
    target = parseConnectionString(conn);
  } catch (e) {
    throw new UsageError(`--db: ${(e as Error).message}`);
  }
  if (target.dialect === 'sqlite' && options.mustExist && !existsSync(target.path)) {
    throw new UsageError(
      `--db: no SQLite database at ${target.path} (create the demo one with: dataflow demo-db sqlite:${target.path})`,
    );
  }
  try {
    return await openDatabase(conn);
  } catch (e) {
    throw new UsageError(`--db: cannot open ${connectionLabel(target)}: ${(e as Error).message}`);
  }
}

/**
 * What `plan` and `run` start with: `--db` required, the workflow file read and validated (its
 * warnings printed), the engine loaded only then, and the connection opened (an existing SQLite
 * file only). The caller closes `db`.
 */
export async function openRun(
  path: string,
  flags: Flags,
): Promise<{ workflow: Workflow; db: Database; runWorkflow: typeof runWorkflow }> {
  const conn = requireFlag(flags, 'db');
  const { workflow, warnings } = await readWorkflow(path);
  printProblems(warnings);
  const engine = await import('../engine/run.ts');
  const db = await connect(conn, { mustExist: true });
  return { workflow, db, runWorkflow: engine.runWorkflow };
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
