/**
 * `dataflow lint <file.sql | directory>`: the safety review (docs/lint.md) of PostgreSQL
 * migrations, with the live schema when `--db` is given.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  DEFAULT_LINT_CONFIG,
  DEFAULT_POSTGRES_VERSION,
  LINT_CONFIG_FILE,
  parseLintConfig,
  type LintConfig,
} from '../../shared/lint/config.ts';
import { configure, type LintReport, type LintResult } from '../../shared/lint/finding.ts';
import { LINT_FORMATS, lintGithub, lintSarif, lintText, type LintFormat } from '../../shared/lint/format.ts';
import { terminalJson } from '../../shared/terminal-text.ts';
import { EXIT, UsageError, connect, out, type Command, type Flags } from './common.ts';

/** The SQL files of a migrations directory in file order (V2__ before V10__), or the one file given. */
async function sqlFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`no such file or directory: ${path}`);
  }
  if (!info.isDirectory()) {
    if (!path.toLowerCase().endsWith('.sql')) throw new UsageError(`${path}: give an .sql file or a directory of them`);
    return [path];
  }
  const names = (await readdir(path))
    .filter((n) => n.toLowerCase().endsWith('.sql'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (names.length === 0) throw new UsageError(`${path}: the directory holds no .sql file`);
  return names.map((n) => join(path, n));
}

async function readConfigFile(path: string): Promise<LintConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--config: cannot read ${path}`);
  }
  try {
    return parseLintConfig(text, path);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `--config`, else dataflow.lint.json next to the input (in it, for a directory), else in the working directory. */
async function findConfig(input: string, isDirectory: boolean, flags: Flags): Promise<LintConfig> {
  if (typeof flags.config === 'string') return readConfigFile(flags.config);
  for (const dir of [isDirectory ? input : dirname(input), process.cwd()]) {
    const candidate = join(dir, LINT_CONFIG_FILE);
    const found = await stat(candidate).then(
      (s) => s.isFile(),
      () => false,
    );
    if (found) return readConfigFile(candidate);
  }
  return DEFAULT_LINT_CONFIG;
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
async function lintSql(
  files: string[],
  flags: Flags,
  config: LintConfig,
): Promise<{ result: LintResult; version: number; live: boolean }> {
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
  if (typeof flags.db !== 'string') return { result: await run(assumed, null), version: assumed, live: false };
  const db = await connect(flags.db, { mustExist: true });
  try {
    if (db.dialect.name !== 'postgres') {
      throw new UsageError('--db: SQL files are linted as PostgreSQL migrations; give a postgres:// connection');
    }
    const schema = await db.dialect.introspect(db.driver);
    const version = Number.parseInt(schema.version, 10);
    return { result: await run(version, postgresLiveFacts(db.driver, schema)), version, live: true };
  } finally {
    await db.driver.close();
  }
}

export const lintCommand: Command = {
  name: 'lint',
  help: `Usage: dataflow lint <file.sql | directory> [--db <conn>] [--pg-version N] [--format text|json|sarif|github] [--config file]

The safety review of PostgreSQL migrations: which statement locks a busy table, rewrites it,
fails, breaks the running application or loses data, and the safe way to do it. A directory is
read as a migrations directory (Flyway, Atlas or plain), its .sql files in file order (V2 before
V10). Statements are parsed with PostgreSQL's own parser; findings give the file, line and
column, the rule code (docs/lint.md) and the fix.

  --db <conn>       postgres://user:password@host:port/database: read the live schema (row
                    estimates, column types, indexes, constraints) and the server's version.
                    Without it, the rules that need them say they were not evaluated.
  --pg-version N    the PostgreSQL major version to assume without --db (default ${DEFAULT_POSTGRES_VERSION})
  --format F        text (default), json, sarif (SARIF 2.1.0) or github (Actions annotations)
  --config <file>   rules off or at another severity, thresholds, version (default: the
                    ${LINT_CONFIG_FILE} next to the input, else in the working directory)

Exit codes: 0 no error-level finding, 1 error-level findings, 2 unusable input (no such file,
a file PostgreSQL cannot parse, a bad config or flag)

Example: dataflow lint db/migrations --db postgres://app@localhost/app --format github`,
  options: {
    db: { type: 'string' },
    'pg-version': { type: 'string' },
    format: { type: 'string' },
    config: { type: 'string' },
  },
  positionals: ['input'],
  async run([input], flags) {
    const format = formatFlag(flags);
    const files = await sqlFiles(input!);
    const isDirectory = files.length > 1 || files[0] !== input;
    const config = await findConfig(input!, isDirectory, flags);
    const { result, version, live } = await lintSql(files, flags, config);
    const report: LintReport = {
      inputs: files,
      statements: result.statements,
      findings: configure(result.findings, config),
      notEvaluated: [...result.notEvaluated]
        .map(([code, count]) => ({ code, count }))
        .filter((n) => config.rules[n.code] !== 'off'),
      config: config.path,
      postgresVersion: version,
      live,
      notes: result.notes,
    };
    if (format === 'json') out(terminalJson(report));
    else if (format === 'sarif') out(terminalJson(lintSarif(report)));
    else if (format === 'github') out(lintGithub(report));
    else out(lintText(report));
    return report.findings.some((f) => f.severity === 'error') ? EXIT.failed : EXIT.ok;
  },
};
