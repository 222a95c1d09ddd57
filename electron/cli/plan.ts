/** `dataflow plan <workflow> --db <conn>`: the exact SQL each node would run, from the live schema. */
import { nodeTypesOf, planProblems, planToSql } from '../../shared/plan-script.ts';
import { EXIT, openRun, out, printProblems, type Command } from './common.ts';

export const planCommand: Command = {
  name: 'plan',
  help: `Usage: dataflow plan <workflow> --db <conn>

Plans the workflow against the live schema of the database and prints, per node, an SQL
comment "-- node <id> (<type>): <why>" followed by each statement (ending with ;). Nothing is
written. Changes that cannot succeed (NOT NULL without a default on a table with rows, UNIQUE on
a column with duplicates...) are reported, naming the node and the field.

  --db <conn>   sqlite:<path> or postgres://user:password@host:port/database

Exit codes: 0 plan ok (warnings may be printed), 1 the plan has errors, 2 unusable input

Example: dataflow plan assets/examples/zero-downtime.dataflow.json --db sqlite:demo.db > plan.sql`,
  options: { db: { type: 'string' } },
  positionals: ['workflow'],
  async run([path], flags) {
    const { workflow, db, runWorkflow } = await openRun(path!, flags);
    try {
      const result = await runWorkflow(workflow, db, { mode: 'plan' });
      out(planToSql(result, nodeTypesOf(workflow)).trimEnd());
      const problems = planProblems(result);
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
    } finally {
      await db.driver.close();
    }
  },
};
