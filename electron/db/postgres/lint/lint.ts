/**
 * The safety review of PostgreSQL SQL (docs/lint.md): SQL files read in order, or a workflow's
 * planned statements, each statement parsed by PostgreSQL's parser (libpg-query) and checked by
 * the rules of shared/lint/rules.ts. Findings come back with the file, line and column, or the
 * node and step they concern; the configuration (severities, rules off) is applied by the caller.
 */
import type { LintResult, PlannedNode } from '../../../../shared/lint/finding.ts';
import { breakingRules } from './rules-breaking.ts';
import { hygieneRules } from './rules-hygiene.ts';
import { lockRules } from './rules-locks.ts';
import { SourceText, SqlSyntaxError, parseStatements, type ParsedStatement } from './source.ts';
import { LintRun, newFileState, type Emit, type FileState, type LintOptions } from './state.ts';
import { track } from './track.ts';

export { postgresLiveFacts } from './live.ts';
export { SqlSyntaxError } from './source.ts';
export type { LintOptions, LiveFacts } from './state.ts';

export interface SqlSource {
  /** The name findings give (the path as the user wrote it). */
  file: string;
  text: string;
}

/** An SQL file that does not parse: the file, line and column the parser points at. */
export class SqlFileError extends Error {
  override name = 'SqlFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(`${file}:${line}:${column}: PostgreSQL cannot parse it: ${message}`);
  }
}

async function lintStatement(run: LintRun, file: FileState, stmt: ParsedStatement, emit: Emit): Promise<void> {
  const ctx = { run, file, stmt, emit };
  run.statements++;
  await lockRules(ctx);
  await breakingRules(ctx);
  hygieneRules(ctx);
  track(ctx);
}

/** Lints SQL files in the order given (a migrations directory in file order), as one sequence of migrations. */
export async function lintSqlSources(sources: readonly SqlSource[], options: LintOptions): Promise<LintResult> {
  const run = new LintRun(options);
  for (const source of sources) {
    const text = new SourceText(source.text);
    let statements: ParsedStatement[];
    try {
      statements = await parseStatements(text);
    } catch (e) {
      if (!(e instanceof SqlSyntaxError)) throw e;
      const at = text.position(e.offset);
      throw new SqlFileError(source.file, at.line, at.column, e.message);
    }
    run.nextFile();
    const file = newFileState();
    for (const stmt of statements) {
      await lintStatement(run, file, stmt, (code, message, offset) =>
        run.findings.push({
          code,
          message,
          file: source.file,
          ...text.position(offset ?? stmt.start),
          statement: stmt.text,
        }),
      );
    }
  }
  return { findings: run.findings, notEvaluated: run.notEvaluated, statements: run.statements, notes: [] };
}

/**
 * Lints the statements a workflow's plan would run, node by node in run order, as the engine runs
 * them (under lock_timeout with retries, in its transactions): findings name the node and the
 * index of the statement; the caller names the field.
 */
export async function lintPlannedStatements(
  nodes: readonly PlannedNode[],
  options: LintOptions,
  notes: string[],
): Promise<LintResult> {
  const run = new LintRun({ ...options, planned: true });
  for (const planned of nodes) {
    const file = newFileState();
    for (const [step, sql] of planned.statements.entries()) {
      for (const stmt of await parseStatements(new SourceText(sql))) {
        await lintStatement(run, file, stmt, (code, message) =>
          run.findings.push({ code, message, node: planned.node, step, statement: stmt.text }),
        );
      }
    }
  }
  return { findings: run.findings, notEvaluated: run.notEvaluated, statements: run.statements, notes };
}
