/**
 * `dataflow lint <workflow | file.sql | directory>`: the safety review (docs/lint.md) of PostgreSQL
 * migrations, with the live schema when `--db` is given, or of a workflow's planned statements
 * on the database it will run on.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEFAULT_POSTGRES_VERSION, LINT_CONFIG_FILE, type LintConfig } from '../../shared/lint/config.ts';
import { lintReport, type LintFinding, type LintResult } from '../../shared/lint/finding.ts';
import { lintFix } from '../../shared/lint/fixes.ts';
import { LINT_FORMATS, lintGithub, lintSarif, lintText, type LintFormat } from '../../shared/lint/format.ts';
import type { Schema } from '../../shared/schema.ts';
import { terminalJson } from '../../shared/terminal-text.ts';
import {
  EXIT,
  UsageError,
  connect,
  err,
  out,
  printProblems,
  readWorkflow,
  type Command,
  type Flags,
} from './common.ts';

/** What was linted: SQL files, or a workflow (with the plan's own problems). */
interface Linted {
  inputs: string[];
  result: LintResult;
  /** The PostgreSQL major version the rules assumed; null for a workflow on SQLite. */
  version: number | null;
  live: boolean;
  /** The plan's errors: the workflow cannot run as it is. */
  planErrors: boolean;
  /** The live schema the rules read (a workflow with --db); what the fixes read. */
  schema: Schema | null;
}

/**
 * The SQL files of a migrations directory in file order (V2__ before V10__), the one .sql file
 * given, or null for a workflow file.
 */
async function sqlFiles(path: string): Promise<string[] | null> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`no such file or directory: ${path}`);
  }
  if (!info.isDirectory()) return path.toLowerCase().endsWith('.sql') ? [path] : null;
  const names = (await readdir(path))
    .filter((n) => n.toLowerCase().endsWith('.sql'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (names.length === 0) throw new UsageError(`${path}: the directory holds no .sql file`);
  return names.map((n) => join(path, n));
}

/** `--config`, else dataflow.lint.json next to the input (in it, for a directory), else in the working directory. */
export async function findConfig(input: string, isDirectory: boolean, flags: Flags): Promise<LintConfig> {
  const { findLintConfig, readLintConfig } = await import('../engine/lint-config.ts');
  try {
    if (typeof flags.config === 'string') return await readLintConfig(flags.config);
    return await findLintConfig([isDirectory ? input : dirname(input), process.cwd()]);
  } catch (e) {
    throw new UsageError(`${typeof flags.config === 'string' ? '--config: ' : ''}${(e as Error).message}`);
  }
}

function pgVersionFlag(flags: Flags): number | null {
  if (flags['pg-version'] === undefined) return null;
  const n = Number(flags['pg-version']);
  if (!Number.isInteger(n) || n < 9 || n > 99)
    throw new UsageError('--pg-version must be a PostgreSQL major version, e.g. 16');
  if (flags.db !== undefined)
    throw new UsageError('--pg-version is for linting without --db: with --db the server tells its version');
  return n;
}

function formatFlag(flags: Flags): LintFormat {
  const f = flags.format ?? 'text';
  if (!LINT_FORMATS.includes(f as LintFormat))
    throw new UsageError(`--format must be one of ${LINT_FORMATS.join(', ')}`);
  return f as LintFormat;
}

/** Lints SQL files: with `--db` (PostgreSQL only) against the live schema and the server's version. */
async function lintSql(files: string[], flags: Flags, config: LintConfig): Promise<Linted> {
  const { lintSqlSources, postgresLiveFacts, SqlFileError } = await import('../db/postgres/lint/lint.ts');
  const sources = await Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
  const assumed = pgVersionFlag(flags) ?? config.postgresVersion ?? DEFAULT_POSTGRES_VERSION;
  const run = async (version: number, live: Parameters<typeof lintSqlSources>[1]['live']) => {
    try {
      return await lintSqlSources(sources, {
        postgresVersion: version,
        thresholds: config.thresholds,
        live,
        planned: false,
      });
    } catch (e) {
      if (e instanceof SqlFileError) throw new UsageError(e.message);
      throw e;
    }
  };
  if (typeof flags.db !== 'string') {
    return {
      inputs: files,
      result: await run(assumed, null),
      version: assumed,
      live: false,
      planErrors: false,
      schema: null,
    };
  }
  const db = await connect(flags.db, { mustExist: true });
  try {
    if (db.dialect.name !== 'postgres') {
      throw new UsageError('--db: SQL files are linted as PostgreSQL migrations; give a postgres:// connection');
    }
    const schema = await db.dialect.introspect(db.driver);
    const version = Number.parseInt(schema.version, 10);
    const result = await run(version, postgresLiveFacts(db.driver, schema));
    return { inputs: files, result, version, live: true, planErrors: false, schema };
  } finally {
    await db.driver.close();
  }
}

/**
 * Lints a workflow: planned on the `--db` database, its schema changes' statements reviewed. The
 * plan's other problems are printed as `dataflow plan` prints them. Without `--db`, only the
 * rules that read the nodes' params run.
 */
async function lintWorkflowFile(path: string, flags: Flags, config: LintConfig): Promise<Linted> {
  pgVersionFlag(flags);
  const { workflow, warnings } = await readWorkflow(path);
  printProblems(warnings);
  const { lintWorkflow, lintWorkflowUnplanned } = await import('../engine/lint.ts');
  if (typeof flags.db !== 'string') {
    const result = lintWorkflowUnplanned(workflow);
    return { inputs: [path], result, version: null, live: false, planErrors: false, schema: null };
  }
  const db = await connect(flags.db, { mustExist: true });
  try {
    const { result, problems, schema } = await lintWorkflow(workflow, db, config.thresholds);
    printProblems(
      problems.map((p) => ({
        node: p.nodeId ?? undefined,
        field: p.field,
        label: p.label,
        message: p.message,
        severity: p.severity,
      })),
    );
    const version = schema.dialect === 'postgres' ? Number.parseInt(schema.version, 10) : null;
    const planErrors = problems.some((p) => p.severity === 'error');
    return { inputs: [path], result, version, live: true, planErrors, schema };
  } finally {
    await db.driver.close();
  }
}

/**
 * `--fix -o <file>`: the one-click fixes (shared/lint/fixes.ts) of the configured findings applied
 * to the workflow, one after the other, written to `output`; each fix printed on stderr. Answers how many.
 */
async function writeFixed(
  path: string,
  findings: readonly LintFinding[],
  schema: Schema | null,
  output: string,
): Promise<number> {
  let { workflow } = await readWorkflow(path);
  let fixed = 0;
  for (const f of findings) {
    const fix = lintFix(f, workflow, schema);
    if (!fix) continue;
    workflow = fix.workflow;
    fixed++;
    err(`fixed: node "${f.node}": [${f.code}] ${fix.label.replace(/^Fix: /, '')}`);
  }
  const { serializeWorkflow } = await import('../../shared/workflow.ts');
  try {
    await writeFile(output, serializeWorkflow(workflow));
  } catch (e) {
    throw new UsageError(`-o: cannot write ${output}: ${(e as Error).message}`);
  }
  err(`${fixed} fix${fixed === 1 ? '' : 'es'} applied; the fixed workflow is in ${output} (reviewed again below)`);
  return fixed;
}

export const lintCommand: Command = {
  name: 'lint',
  help: `Usage: dataflow lint <workflow | file.sql | directory> [--db <conn>] [--pg-version N] [--format text|json|sarif|github] [--config file] [--fix -o <file>]

The safety review of migrations: which statement locks a busy table, rewrites it, fails, breaks
the running application or loses data, and the safe way to do it, each finding with its rule
code (docs/lint.md) and fix.

SQL: a PostgreSQL migration file, or a migrations directory (Flyway, Atlas or plain) whose .sql
files are read in file order (V2 before V10). Statements are parsed with PostgreSQL's own
parser; findings give the file, line and column.

Workflow: planned against the --db database (nothing written), and the statements of its schema
changes reviewed; findings name the node and the field. The plan's other problems are printed as
"dataflow plan" prints them. Without --db the workflow is not planned: only the rules that read
a node's params (drops and renames) run, and a note says so.

  --db <conn>       read the live schema (row estimates, column types, indexes, constraints)
                    and the server's version (sqlite:<path> or postgres://...; PostgreSQL for
                    SQL files). Without it, the rules that need the live schema say they were
                    not evaluated; a workflow is not planned.
  --pg-version N    the PostgreSQL major version to assume without --db (default ${DEFAULT_POSTGRES_VERSION})
  --format F        text (default), json, sarif (SARIF 2.1.0) or github (Actions annotations)
  --fix -o <file>   a workflow: apply the fixes (DF704, DF705: set "concurrently"; DF806,
                    DF702: expand/contract, with --db), write the fixed workflow to <file>
                    and review that one
  --config <file>   rules off or at another severity, thresholds, version (default: the
                    ${LINT_CONFIG_FILE} next to the input, else in the working directory)

Exit codes: 0 no error-level finding, 1 error-level findings (or a workflow whose plan has
errors), 2 unusable input (no such file, a file PostgreSQL cannot parse, an invalid workflow, a
bad config or flag)

Example: dataflow lint db/migrations --db postgres://app@localhost/app --format github`,
  options: {
    db: { type: 'string' },
    'pg-version': { type: 'string' },
    format: { type: 'string' },
    config: { type: 'string' },
    fix: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
  },
  positionals: ['input'],
  async run([input], flags) {
    const format = formatFlag(flags);
    const files = await sqlFiles(input!);
    const isDirectory = files !== null && (files.length > 1 || files[0] !== input);
    const config = await findConfig(input!, isDirectory, flags);
    if (flags.fix && (files || typeof flags.output !== 'string'))
      throw new UsageError(
        files
          ? '--fix rewrites a workflow; SQL files are not rewritten'
          : '--fix needs -o <file> for the fixed workflow',
      );
    let linted = files ? await lintSql(files, flags, config) : await lintWorkflowFile(input!, flags, config);
    if (flags.fix) {
      const first = lintReport(linted.inputs, linted.result, config, linted.version, linted.live);
      await writeFixed(input!, first.findings, linted.schema, flags.output as string);
      linted = await lintWorkflowFile(flags.output as string, flags, config);
    }
    const { inputs, result, version, live, planErrors } = linted;
    const report = lintReport(inputs, result, config, version, live);
    if (format === 'json') out(terminalJson(report));
    else if (format === 'sarif') out(terminalJson(lintSarif(report)));
    else if (format === 'github') out(lintGithub(report));
    else out(lintText(report));
    return planErrors || report.findings.some((f) => f.severity === 'error') ? EXIT.failed : EXIT.ok;
  },
};
