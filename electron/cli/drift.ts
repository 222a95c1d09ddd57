/**
 * `dataflow drift --db <conn> [--workflow <file>] [--json]`: what changed on the database outside
 * DataFlow Studio since the last apply recorded on it, and (with a workflow) its completed
 * migrations whose workflow was edited since (docs/recovery.md).
 */
import { hasDrift } from '../../shared/drift.ts';
import { terminalJson } from '../../shared/terminal-text.ts';
import { EXIT, connect, out, readWorkflow, requireFlag, type Command } from './common.ts';
import { driftBlock } from './run-output.ts';

export const driftCommand: Command = {
  name: 'drift',
  help: `Usage: dataflow drift --db <conn> [--workflow <file>] [--json]

Compares the live schema with the schema recorded after the last apply on the database
(dataflow runs) and prints each difference: someone changed the database outside DataFlow
Studio. With --workflow, also lists the migrations of that workflow (MigrationNode) that a
recorded run completed and whose nodes were edited, added or removed since. An apply refuses
to start while there is drift, until it is accepted (dataflow run --accept-drift). Reads only.

  --db <conn>        sqlite:<path> or postgres://user:password@host:port/database
  --workflow <file>  also check this workflow's completed migrations against its nodes now
  --json             print the report as JSON (baseline, diff, editedMigrations)

Exit codes: 0 no drift (or no apply recorded to compare with), 1 drift, 2 unusable input

Example: dataflow drift --db sqlite:demo.db --workflow assets/examples/zero-downtime.dataflow.json`,
  options: { db: { type: 'string' }, workflow: { type: 'string' }, json: { type: 'boolean' } },
  positionals: [],
  async run(_positionals, flags) {
    const conn = requireFlag(flags, 'db');
    const workflow = typeof flags.workflow === 'string' ? (await readWorkflow(flags.workflow)).workflow : null;
    const { checkDrift } = await import('../engine/drift.ts');
    const db = await connect(conn, { mustExist: true });
    try {
      const report = await checkDrift(db, workflow);
      const drifted = hasDrift(report);
      if (flags.json) out(terminalJson(report));
      else if (!report.baseline && !drifted)
        out(`no apply is recorded on ${db.driver.label}: there is no recorded schema to compare with`);
      else if (!drifted)
        out(
          `no drift: ${db.driver.label} matches the schema recorded after run ${report.baseline!.runId.slice(0, 8)} (${report.baseline!.workflow}, ${report.baseline!.startedAt})`,
        );
      else out(driftBlock(report).join('\n'));
      return drifted ? EXIT.failed : EXIT.ok;
    } finally {
      await db.driver.close();
    }
  },
};
