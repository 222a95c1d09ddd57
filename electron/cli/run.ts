/**
 * `dataflow run <workflow> --db <conn> [--rehearse] [--json] [--trust-code] [--no-preflight]
 * [--waive <codes> --reason <text>] [--config <file>] [--accept-drift] [--resume [--run <id>] [--force]]`. An apply lints the workflow and
 * checks the database for drift first.
 */
import { parseWaivers, type LintWaiver } from '../../shared/lint/waiver.ts';
import { terminalJson } from '../../shared/terminal-text.ts';
import type { Workflow } from '../../shared/workflow.ts';
import type { Database } from '../db/connect.ts';
import { EXIT, UsageError, err, openRun, out, type Command, type Flags } from './common.ts';
import { findConfig } from './lint.ts';
import { liveEvents, summary } from './run-output.ts';
import type { RunOptions } from '../engine/run.ts';

/** The options of an apply that `dataflow run` and `dataflow rollback` share (applyFlags, applyFromCli). */
export const APPLY_OPTIONS = {
  db: { type: 'string' },
  rehearse: { type: 'boolean' },
  json: { type: 'boolean' },
  waive: { type: 'string' },
  reason: { type: 'string' },
  'accept-drift': { type: 'boolean' },
} as const satisfies Command['options'];

/**
 * The apply options' usage errors (UsageError): `--accept-drift` and `--waive` are for an apply,
 * not `--rehearse` (nor rollback's `--plan`); `--reason` goes with `--waive`. Returns the waivers.
 */
export function applyFlags(flags: Flags): LintWaiver[] {
  const notApply = flags.plan ? '--plan' : flags.rehearse ? 'a rehearsal' : null;
  if (flags['accept-drift'] && notApply)
    throw new UsageError(`--accept-drift is for apply: ${notApply} is not checked for drift`);
  return waiverFlags(flags);
}

/**
 * Applies `workflow` on `db` (`--rehearse`: rehearses it) as `dataflow run` and `dataflow
 * rollback` do: each node's start and finish and the progress of long work on stderr; Ctrl-C
 * cancels after the current statement, a second one exits; the drift check (`--accept-drift`);
 * then the summary, or with `--json` the run result, on stdout. Returns the exit code. The caller
 * closes `db`.
 */
export async function applyFromCli(
  workflow: Workflow,
  db: Database,
  flags: Flags,
  options: Omit<RunOptions, 'mode' | 'onEvent' | 'signal' | 'driftCheck' | 'acceptDrift'>,
): Promise<number> {
  const { runWorkflow } = await import('../engine/run.ts');
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT.cancelled);
    err('\ncancelling after the current statement (Ctrl-C again to exit now)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await runWorkflow(workflow, db, {
      ...options,
      mode: flags.rehearse ? 'rehearse' : 'apply',
      onEvent: liveEvents(workflow, (t) => process.stderr.write(t), process.stderr.isTTY === true),
      signal: controller.signal,
      driftCheck: true,
      acceptDrift: flags['accept-drift'] === true,
    });
    out(flags.json ? terminalJson(result) : summary(result));
    return result.status === 'succeeded' ? EXIT.ok : result.status === 'cancelled' ? EXIT.cancelled : EXIT.failed;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** `--waive <codes> --reason <text>`: the waivers an apply carries (UsageError for a bad pair). */
export function waiverFlags(flags: Flags): LintWaiver[] {
  if (typeof flags.waive !== 'string') {
    if (flags.reason !== undefined) throw new UsageError('--reason goes with --waive <codes>');
    return [];
  }
  if (flags.rehearse || flags.plan)
    throw new UsageError(`--waive is for apply: ${flags.plan ? '--plan' : 'a rehearsal'} is not reviewed`);
  try {
    return parseWaivers(flags.waive, typeof flags.reason === 'string' ? flags.reason : undefined);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `--backup-max-rows <n>`: the run's prior backup limit (RunOptions.backupMaxRows). */
export function backupLimitFlag(flags: Flags): { backupMaxRows?: number } {
  const v = flags['backup-max-rows'];
  if (v === undefined) return {};
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 0)
    throw new UsageError('--backup-max-rows must be a whole number of rows, 0 or more (0: keep no prior backup)');
  return { backupMaxRows: n };
}

export const runCommand: Command = {
  name: 'run',
  help: `Usage: dataflow run <workflow> --db <conn> [--rehearse] [--json] [--trust-code] [--no-preflight]
                      [--waive <codes> --reason <text>] [--config <file>] [--accept-drift]
                      [--resume [--run <run-id>] [--force]]

Runs every node of the workflow in order against the database, showing each node's start and
finish (status, duration, rows) and the progress of long work on stderr. At the end prints a
summary and the schema diff, or with --json the full run result on stdout.

  --db <conn>     sqlite:<path> or postgres://user:password@host:port/database
  --rehearse      run everything in one transaction and roll it back, reporting the diff and
                  metrics as if applied (steps that cannot run in a transaction are reported)
  --json          print the run result as JSON on stdout
  --trust-code    allow this workflow's PythonCodeNode / CodeNode code to run
  --no-preflight  start even when the plan already shows a node that cannot succeed
                  (by default such a run is refused before anything is written)
  --waive <codes>  accept these error-level findings of the safety review (lint before
                  apply, docs/lint.md): codes separated by commas, DF802 (every node) or
                  DF802@node_id (one node); needs --reason
  --reason <text>  why the waived findings are accepted; recorded with the run
  --config <file>  the safety review's configuration (default: the dataflow.lint.json next
                  to the workflow, else in the working directory)
  --accept-drift  apply even though the database changed outside DataFlow Studio since the
                  last apply recorded on it (dataflow drift shows the changes); the accepted
                  changes are recorded with the run
  --resume        continue the last run of this workflow on the database that stopped
                  part-way (failed, cancelled or killed; dataflow runs): the nodes it completed
                  are not run again, a data node continues from its checkpoint, the node that
                  stopped is planned again from the live schema
  --run <run-id>  with --resume: continue this run instead (its id or the start of it)
  --force         with --resume: continue even though the workflow changed since the run
  --backup-max-rows <n>  keep a prior backup of what a drop_column, a lossy alter_column_type
                  or a data node destroys or overwrites up to n rows (default 1000000; 0: none);
                  a node's "backup_max_rows" overrides it (dataflow backups lists them)

Apply first reviews the workflow on the database as "dataflow lint" does, and refuses to
start (nothing written, exit 1) while an error-level finding stands that --waive does not cover.
The findings and the waivers are in the result (--json: "review"). Apply also refuses
(nothing written, exit 1) while the database differs from the schema the last recorded apply
left it in, or a completed migration's workflow was edited since (--json: "drift"), until
--accept-drift. Every apply is recorded in the database (dataflow runs).

Ctrl-C cancels the run between statements (the current node rolls back); a second Ctrl-C exits
at once. Only the connection's label (no password) is recorded in the result.

Exit codes: 0 succeeded, 1 failed, 2 unusable input, 130 cancelled

Example: dataflow run assets/examples/basic-add-column.dataflow.json --db sqlite:demo.db`,
  options: {
    ...APPLY_OPTIONS,
    'trust-code': { type: 'boolean' },
    'no-preflight': { type: 'boolean' },
    config: { type: 'string' },
    resume: { type: 'boolean' },
    run: { type: 'string' },
    force: { type: 'boolean' },
    'backup-max-rows': { type: 'string' },
  },
  positionals: ['workflow'],
  async run([path], flags) {
    const waivers = applyFlags(flags);
    if ((flags.run !== undefined || flags.force) && !flags.resume)
      throw new UsageError('--run and --force go with --resume');
    if (flags.resume && flags.rehearse) throw new UsageError('--resume continues an apply: it cannot rehearse');
    const config = flags.rehearse ? null : await findConfig(path!, false, flags);
    const { workflow, db } = await openRun(path!, flags);
    let resume: RunOptions['resume'];
    if (flags.resume) {
      const { resumePoint, ResumeRefused } = await import('../engine/resume.ts');
      try {
        const point = await resumePoint(db, workflow, {
          ...(typeof flags.run === 'string' && { runId: flags.run }),
          force: flags.force === true,
        });
        resume = { runId: point.run.runId, done: point.done, outputs: point.outputs };
        err(
          `resuming run ${point.run.runId} (${point.run.state}): ${point.done.join(', ')} done before, not run again`,
        );
      } catch (e) {
        await db.driver.close();
        if (e instanceof ResumeRefused) throw new UsageError(`--resume: ${e.message}`);
        throw e;
      }
    }
    try {
      return await applyFromCli(workflow, db, flags, {
        trustCode: flags['trust-code'] === true,
        // A resumed run is part-way already: its nodes are planned from the live schema as they
        // run (a plan before would count the NULLs a backfill it resumes is about to fill).
        preflight: flags['no-preflight'] !== true && !resume,
        ...(config && { review: { config, waivers } }),
        ...(resume && { resume }),
        ...backupLimitFlag(flags),
      });
    } finally {
      await db.driver.close();
    }
  },
};
