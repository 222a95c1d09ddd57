/**
 * The safety review of a workflow (docs/lint.md): the workflow is planned against the live
 * database (nothing written), and the statements each SchemaModificationNode would run go
 * through the dialect's rules (`Dialect.lintPlan`). The planner's own findings that belong to the
 * catalogue (DF301, DF701, DF702, DF703: it probed the rows) are kept as findings; its other problems
 * (a missing table...) are returned as the plan's problems. Every finding names the node, the
 * param and its label in the node's form, and the index of the planned statement.
 */
import { CHANGE_RULE_CODES, lintChanges } from '../../shared/lint/change-rules.ts';
import type { LintThresholds } from '../../shared/lint/config.ts';
import type { LintResult, PlannedNode, RawFinding } from '../../shared/lint/finding.ts';
import { isLintCode, type LintCode } from '../../shared/lint/rules.ts';
import { schemaModificationNode } from '../../shared/nodes/schema-modification.ts';
import { planProblems, type PlanProblem } from '../../shared/plan-script.ts';
import type { RunResult } from '../../shared/run.ts';
import type { Schema } from '../../shared/schema.ts';
import { executionOrder, type Workflow } from '../../shared/workflow.ts';
import type { Database } from '../db/connect.ts';
import type { PlanMemo } from './plan-memo.ts';
import { runWorkflow } from './run.ts';

/** The param of a SchemaModificationNode a finding is about, by rule and operation. */
function fieldOf(code: LintCode, operation: unknown): string {
  switch (code) {
    case 'DF301':
      return 'nullable';
    case 'DF701':
      return 'default_value';
    case 'DF703':
      return 'identity';
    case 'DF702':
    case 'DF216':
    case 'DF217':
    case 'DF218':
    case 'DF219':
      return operation === 'create_table' ? 'columns' : 'column_type';
    case 'DF704':
    case 'DF705':
      return 'concurrently';
    case 'DF709':
    case 'DF710':
    case 'DF711':
    case 'DF712':
      return 'constraint_type';
    case 'DF802':
      return 'column_name';
    case 'DF804':
      return 'constraint_name';
    case 'DF805':
    case 'DF806':
      return 'new_name';
    case 'DF812':
      return 'references';
    case 'DF505':
      return 'columns';
    case 'DF815':
      return 'primary_key';
    case 'DF119':
      return operation === 'rename_table' || operation === 'rename_column'
        ? 'new_name'
        : operation === 'create_index'
          ? 'index_name'
          : operation === 'add_constraint'
            ? 'constraint_name'
            : operation === 'add_column'
              ? 'column_name'
              : 'table';
    case 'DF715':
      return 'table';
    default:
      return 'operation';
  }
}

const LABELS = new Map(schemaModificationNode.fields.map((f) => [f.name, f.label]));

export interface WorkflowLint {
  /** The plan the statements come from. */
  plan: RunResult;
  /** What the rules and the planner found, before the configuration; each finding with node, field and label. */
  result: LintResult;
  /** The planner's problems outside the catalogue (they are `dataflow plan`'s): an error means the workflow cannot run. */
  problems: PlanProblem[];
  /** The live schema the rules read (its dialect and version). */
  schema: Schema;
}

/** A plan's start from what a warm planner keeps: the live schema as read (RunOptions.schema) and the node plans (RunOptions.memo). */
export interface WarmStart {
  schema: Schema;
  memo: PlanMemo;
}

/** Plans `workflow` on `db` (from `warm` when given) and reviews the statements of its schema changes. */
export async function lintWorkflow(
  workflow: Workflow,
  db: Database,
  thresholds: LintThresholds,
  warm?: WarmStart,
): Promise<WorkflowLint> {
  const plan = await runWorkflow(workflow, db, { mode: 'plan', ...warm });
  return reviewPlan(workflow, plan, db, thresholds, warm?.schema);
}

/** Reviews the statements of a plan of `workflow` made on `db` (the preflight plan of an apply); `live`: the schema as just read, when the caller has it. */
export async function reviewPlan(
  workflow: Workflow,
  plan: RunResult,
  db: Database,
  thresholds: LintThresholds,
  live?: Schema,
): Promise<WorkflowLint> {
  const params = new Map(workflow.nodes.map((n) => [n.id, n.params as Record<string, unknown>]));
  const changes = new Set(workflow.nodes.filter((n) => n.type === 'SchemaModificationNode').map((n) => n.id));
  // Only the changes the plan would make: not a skipped branch, not a node already applied. The
  // product's own bookkeeping (a prior backup's table and copy) is not the user's change: it is
  // left out, and `steps` maps a reviewed statement back to its index in the node's planned SQL.
  const steps = new Map<string, number[]>();
  const nodes: PlannedNode[] = plan.order
    .filter((id) => changes.has(id) && plan.nodes[id]?.status === 'succeeded' && !plan.nodes[id]?.outcome)
    .map((id) => {
      const own = (plan.nodes[id]?.sql ?? []).flatMap((s, i) => (s.bookkeeping ? [] : [{ sql: s.sql, i }]));
      steps.set(
        id,
        own.map((s) => s.i),
      );
      return { node: id, params: params.get(id) ?? {}, statements: own.map((s) => s.sql) };
    });
  const schema = live ?? (await db.dialect.introspect(db.driver));
  const reviewed = await db.dialect.lintPlan(nodes, db.driver, schema, thresholds);
  const result = {
    ...reviewed,
    findings: reviewed.findings.map((f) =>
      f.node !== undefined && f.step !== undefined ? { ...f, step: steps.get(f.node)?.[f.step] ?? f.step } : f,
    ),
  };

  const planned: RawFinding[] = [];
  const problems: PlanProblem[] = [];
  for (const p of planProblems(plan)) {
    const m = /^\[(DF\d{3})\] ([\s\S]*)$/.exec(p.message);
    const code = m?.[1];
    if (p.nodeId && code && isLintCode(code)) planned.push({ code, message: m[2]!, node: p.nodeId, statement: '' });
    else problems.push(p);
  }
  const byPlanner = new Set(planned.map((f) => `${f.node} ${f.code}`));
  const findings = labelled(workflow, plan.order, [
    ...planned,
    ...result.findings.filter((f) => !byPlanner.has(`${f.node} ${f.code}`)),
  ]);
  return { plan, result: { ...result, findings }, problems, schema };
}

/**
 * The review of `workflow` without a database (`dataflow lint <workflow>` without `--db`): not
 * planned, so only the rules that read a node's params run (shared/lint/change-rules.ts); a note
 * says so. Findings name the node, the param and its label.
 */
export function lintWorkflowUnplanned(workflow: Workflow): LintResult {
  const order = executionOrder(workflow) ?? workflow.nodes.map((n) => n.id);
  const byId = new Map(workflow.nodes.map((n) => [n.id, n]));
  const nodes: PlannedNode[] = order
    .map((id) => byId.get(id)!)
    .filter((n) => n.type === 'SchemaModificationNode' && !n.disabled)
    .map((n) => ({ node: n.id, params: n.params as Record<string, unknown>, statements: [] }));
  return {
    findings: labelled(
      workflow,
      order,
      lintChanges(nodes, () => null),
    ),
    notEvaluated: new Map(),
    statements: 0,
    notes: [
      `without --db the workflow is not planned: only the rules that read a node's params ran (${CHANGE_RULE_CODES.join(', ')}); give --db <conn> for the rules that read the planned statements and the live schema`,
    ],
  };
}

/** `findings` with the param each is about and its form label, in the order of `order`. */
function labelled(workflow: Workflow, order: readonly string[], findings: readonly RawFinding[]): RawFinding[] {
  const params = new Map(workflow.nodes.map((n) => [n.id, n.params as Record<string, unknown>]));
  const at = new Map(order.map((id, i) => [id, i]));
  return findings
    .map((f) => {
      const field = fieldOf(f.code, params.get(f.node ?? '')?.operation);
      return { ...f, field, fieldLabel: LABELS.get(field) ?? field };
    })
    .sort((a, b) => (at.get(a.node ?? '') ?? 0) - (at.get(b.node ?? '') ?? 0));
}
