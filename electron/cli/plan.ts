/** `dataflow plan <workflow> --db <conn>`: the exact SQL each node would run, from the live schema. */
import type { RunResult } from '../../shared/run.ts';
import type { Workflow } from '../../shared/workflow.ts';
import { EXIT, connect, out, printProblems, readWorkflow, requireFlag, type Command } from './common.ts';

export const planCommand: Command = {
  name: 'plan',
  summary: 'print the SQL a workflow would run against a database, without writing',
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
    const conn = requireFlag(flags, 'db');
    const { workflow, warnings } = await readWorkflow(path!);
    printProblems(warnings);
    const { runWorkflow } = await import('../engine/run.ts');
    const db = await connect(conn, { mustExist: true });
    try {
      const result = await runWorkflow(workflow, db, { mode: 'plan' });
      out(renderPlan(workflow, result));
      const problems = planProblems(result);
      printProblems(problems);
      return result.status === 'succeeded' && !problems.some((p) => p.severity === 'error') ? EXIT.ok : EXIT.failed;
    } finally {
      await db.driver.close();
    }
  },
};

function terminated(sql: string): string {
  const s = sql.trimEnd();
  return s.endsWith(';') ? s : `${s};`;
}

/** The plan as an SQL script: comments say which node and why, statements end with `;`. */
export function renderPlan(workflow: Workflow, result: RunResult): string {
  const types = new Map(workflow.nodes.map((n) => [n.id, n.type]));
  const lines = [`-- plan of workflow "${workflow.name}" on ${result.connection}`];
  for (const id of result.order) {
    const r = result.nodes[id];
    const head = `-- node ${id} (${types.get(id) ?? '?'})`;
    if (!r) continue;
    if (r.status === 'skipped') lines.push(`${head}: skipped (not routed to)`);
    else if (r.status === 'not_run' || r.status === 'cancelled') lines.push(`${head}: not planned (an earlier node failed)`);
    else if (r.sql.length === 0 && !r.error) lines.push(`${head}: no statements`);
    for (const step of r.sql) {
      lines.push(`${head}: ${step.comment}${step.transactional ? '' : ' [runs outside a transaction]'}`);
      lines.push(terminated(step.sql));
    }
    if (r.error) lines.push(`${head}: cannot be planned: ${r.error.message}`);
    for (const w of r.warnings) lines.push(`-- warning: ${w}`);
  }
  return lines.join('\n');
}

function planProblems(result: RunResult) {
  const problems = [];
  const nodeWarnings = new Set<string>();
  for (const id of result.order) {
    const r = result.nodes[id];
    if (!r) continue;
    r.warnings.forEach((w) => nodeWarnings.add(w));
    if (r.error) problems.push({ node: id, field: r.error.field, message: r.error.message, severity: 'error' as const });
  }
  for (const w of result.warnings) if (!nodeWarnings.has(w)) problems.push({ message: w, severity: 'warning' as const });
  if (result.error && !problems.some((p) => p.severity === 'error')) problems.push({ message: result.error, severity: 'error' as const });
  return problems;
}
