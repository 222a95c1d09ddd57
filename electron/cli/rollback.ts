/**
 * `dataflow rollback <run-id | migration> --db <conn> [--plan | --rehearse] [--json] [--accept-drift]
 * [--waive <codes> --reason <text>]`: builds the reverse workflow of a recorded run from its record
 * (electron/engine/rollback.ts) and plans, rehearses or applies it like `dataflow run`.
 */
import { nodeTypesOf, planProblems, planToSql } from '../../shared/plan-script.ts';
import { terminalJson } from '../../shared/terminal-text.ts';
import { EXIT, UsageError, connect, err, out, printProblems, requireFlag, type Command } from './common.ts';
import { APPLY_OPTIONS, applyFlags, applyFromCli } from './run.ts';

export const rollbackCommand: Command = {
  name: 'rollback',
  help: `Usage: dataflow rollback <run-id | migration> --db <conn> [--plan | --rehearse] [--json]
                           [--accept-drift] [--waive <codes> --reason <text>]

Rolls a recorded apply back (dataflow runs lists them; a migration name means the run that last
recorded that migration). The reverse workflow is built from the run's record, from the schema
before the run and after the nodes it applied: what the run added is dropped, what it dropped
is created again, renames are renamed back, a type change is changed back when that loses
nothing. A run that stopped part-way is rolled back as far as it went. The reverse is an
ordinary workflow: reviewed before apply, checked for drift, recorded as a run of its own
("rollback of run <id>"); the migrations the run recorded become rolled_back.

Refused (nothing written, exit 1) when the data the reverse needs is gone (a dropped column or
table, a lossy type change, values a data node overwrote) and no prior backup of it was kept,
naming each node and object; when a later run changed the same tables (roll that one back
first); or when the run was rolled back already.

  --db <conn>      sqlite:<path> or postgres://user:password@host:port/database
  --plan           print the SQL of the rollback, per node, without writing
  --rehearse       run the rollback in one transaction and roll it back, reporting the diff
  --json           print the run result (or with --plan the plan) as JSON on stdout
  --accept-drift   apply even though the database changed outside DataFlow Studio since its
                   last recorded apply (dataflow drift)
  --waive <codes>  accept these error-level findings of the safety review (as dataflow run);
                   the drops of what the rolled-back run added are accepted already
  --reason <text>  why the waived findings are accepted; recorded with the run

Exit codes: 0 rolled back (planned, rehearsed), 1 refused or failed, 2 unusable input, 130 cancelled

Example: dataflow rollback 9f744a6b --db sqlite:demo.db --plan`,
  options: { ...APPLY_OPTIONS, plan: { type: 'boolean' } },
  positionals: ['target'],
  async run([target], flags) {
    const conn = requireFlag(flags, 'db');
    if (flags.plan && flags.rehearse) throw new UsageError('--plan and --rehearse: choose one');
    const waivers = applyFlags(flags);
    const { buildRollback, RollbackRefused, describeMissing } = await import('../engine/rollback.ts');
    const { runWorkflow } = await import('../engine/run.ts');
    const { findLintConfig } = await import('../engine/lint-config.ts');
    const db = await connect(conn, { mustExist: true });
    try {
      let rollback: Awaited<ReturnType<typeof buildRollback>>;
      try {
        rollback = await buildRollback(db, target!);
      } catch (e) {
        if (!(e instanceof RollbackRefused)) throw e;
        if (e.missing.length === 0) err(`dataflow rollback: ${e.message}`);
        else {
          err(`dataflow rollback: run ${rollbackTarget(target!)} cannot be rolled back: the data it needs is gone`);
          for (const m of e.missing) err(`  ${describeMissing(m)}`);
        }
        return EXIT.failed;
      }
      const { run, workflow } = rollback;
      err(
        `rolling back run ${run.runId} (${run.workflow}, ${run.startedAt}, ${run.state}): ${workflow.nodes.length} node(s)` +
          (rollback.migrations.length > 0 ? `, migration(s) ${rollback.migrations.join(', ')} to rolled_back` : ''),
      );
      if (flags.plan) {
        const result = await runWorkflow(workflow, db, { mode: 'plan' });
        const problems = planProblems(result);
        if (flags.json) out(terminalJson(result));
        else out(planToSql(result, nodeTypesOf(workflow)).trimEnd());
        printProblems(
          problems.map((p) => ({
            node: p.nodeId ?? undefined,
            field: p.field,
            label: p.label,
            message: p.message,
            severity: p.severity,
          })),
        );
        return result.status === 'succeeded' && !problems.some((p) => p.severity === 'error') ? EXIT.ok : EXIT.failed;
      }
      return await applyFromCli(workflow, db, flags, {
        preflight: true,
        ...(!flags.rehearse && {
          review: { config: await findLintConfig([process.cwd()]), waivers: [...rollback.waivers, ...waivers] },
        }),
      });
    } finally {
      await db.driver.close();
    }
  },
};

const rollbackTarget = (target: string) => (/^[0-9a-f-]{4,36}$/.test(target) ? target.slice(0, 8) : `of "${target}"`);
