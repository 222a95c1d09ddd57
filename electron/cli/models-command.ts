/**
 * `dataflow models <file.py> --db <conn> [-o out.dataflow.json] [--allow-destructive]`: compares
 * the file's `@db.model` classes with the live schema and writes the workflow that brings the
 * database in line (MigrationNode pending -> changes -> MigrationNode completed). Drops and type
 * changes only with --allow-destructive; otherwise they are warnings. A database that already
 * matches gives a workflow with no nodes.
 */
import { compareModels } from '../../shared/python/models.ts';
import { importPython } from '../../shared/python/parse.ts';
import { serializeWorkflow } from '../../shared/workflow.ts';
import { connect, EXIT, UsageError } from './common.ts';
import { line, printImportProblems, readSource, runCommand, writeResult, type CommandIo } from './import-command.ts';

const HELP = `Usage: dataflow models <file.py|-> --db <connection> [-o out.dataflow.json] [--allow-destructive]

Compares the DataFlow @db.model classes of a Python file with the database's live schema and
writes the workflow that makes the database match: missing tables are created (id primary key,
the fields, created_at/updated_at), missing columns added, between a MigrationNode "pending" and
a MigrationNode "completed". Run it with: dataflow run <workflow> --db <connection>

      --db <connection>    sqlite:<path> or postgres://user:password@host:port/database
  -o, --output <file>      write the workflow here instead of standard output
      --allow-destructive  also drop columns no model declares and alter column types that differ
                           (otherwise these are warnings)
  -h, --help               show this help

Exit codes: 0 written (an empty workflow when nothing differs), 1 the models have errors,
2 unusable input.`;

export async function modelsCommand(argv: string[], io: CommandIo): Promise<number> {
  const options = {
    db: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'allow-destructive': { type: 'boolean' },
  } as const;
  return runCommand('models', HELP, argv, io, options, 1, async ([file], flags) => {
    const conn = flags.db;
    if (typeof conn !== 'string' || conn === '') throw new UsageError('--db <connection> is required');
    const source = await readSource(file!, io.stdin);
    const { models, problems } = importPython(source);
    const relevant = problems.filter((p) => p.kind === 'model' || p.kind === 'syntax');
    printImportProblems(io, file === '-' ? '<stdin>' : file!, relevant);
    if (relevant.some((p) => p.severity === 'error')) {
      line(io.stderr, 'dataflow models: the models have errors; nothing compared');
      return EXIT.failed;
    }
    if (models.length === 0) {
      line(
        io.stderr,
        `dataflow models: ${file} has no @db.model classes (write "@db.model" above "class User:" with "db = DataFlow()")`,
      );
      return EXIT.failed;
    }
    const db = await connect(conn, { mustExist: true });
    let result: ReturnType<typeof compareModels>;
    try {
      result = compareModels(models, await db.dialect.introspect(db.driver), {
        allowDestructive: flags['allow-destructive'] === true,
      });
    } finally {
      await db.driver.close();
    }
    for (const w of result.warnings) line(io.stderr, `warning: ${w}`);
    line(
      io.stderr,
      result.changes.length === 0
        ? `the database matches the ${models.length} model(s); the workflow has no nodes`
        : `${result.changes.length} change(s): ${result.changes.join('; ')}`,
    );
    await writeResult(io, serializeWorkflow(result.workflow), flags.output, `${result.changes.length} change(s)`);
    return EXIT.ok;
  });
}
