/**
 * One target of a fleet planned, nothing written: the drift check an apply makes first, the plan
 * against the target's live schema (`dataflow plan`) and the safety review of its statements
 * (`dataflow lint`), summed up as a status for the plan matrix (matrix.ts).
 */
import type { LintConfig } from '../../shared/lint/config.ts';
import { standingErrors, type LintWaiver } from '../../shared/lint/waiver.ts';
import { driftLines, hasDrift } from '../../shared/drift.ts';
import { planProblems } from '../../shared/plan-script.ts';
import type { Workflow } from '../../shared/workflow.ts';
import type { PlanStatus, TargetPlan } from '../../shared/fleet.ts';
import { checkDrift } from '../engine/drift.ts';
import { reviewBeforeApply } from '../engine/review.ts';
import { runWorkflow } from '../engine/run.ts';
import { appliedBefore, type OpenableTarget } from './run-target.ts';
import { FleetTargetError, openFleetTarget, type TargetError } from './target-error.ts';

export type { PlanStatus, PlannedStatement, TargetPlan } from '../../shared/fleet.ts';

export interface TargetPlanOptions {
  /** The safety review's configuration (dataflow.lint.json or the defaults). */
  config: LintConfig;
  /** Waivers the apply would carry: a finding they cover does not make the target `would_fail`. */
  waivers?: readonly LintWaiver[];
  trustCode?: boolean;
}

/** Plans `workflow` on one target. Never throws for the target's faults: they are its status and error. */
export async function planTarget(
  workflow: Workflow,
  target: OpenableTarget,
  options: TargetPlanOptions,
): Promise<TargetPlan> {
  const plannedAt = new Date().toISOString();
  const t0 = performance.now();
  const plan = (fields: Pick<TargetPlan, 'status'> & Partial<TargetPlan>): TargetPlan => ({
    label: target.label,
    connection: target.connectionLabel,
    statements: [],
    findings: [],
    problems: [],
    appliedBy: null,
    error: null,
    plannedAt,
    durationMs: performance.now() - t0,
    ...fields,
  });
  let db;
  try {
    db = await openFleetTarget(target.label, target.connect(), target.nativeBinding);
  } catch (e) {
    const error: TargetError =
      e instanceof FleetTargetError
        ? e.error
        : { kind: 'bad_credentials', message: `${target.label}: ${(e as Error).message}` };
    return plan({ status: 'would_fail', error, problems: [error.message] });
  }
  try {
    const drift = await checkDrift(db, workflow);
    const applied = await appliedBefore(db, workflow);
    if (applied && !hasDrift(drift))
      return plan({
        status: 'already_applied',
        appliedBy: { runId: applied.runId, at: applied.finishedAt ?? applied.startedAt },
      });
    const result = await runWorkflow(workflow, db, { mode: 'plan', trustCode: options.trustCode });
    const review = await reviewBeforeApply(workflow, result, db, {
      config: options.config,
      waivers: options.waivers ?? [],
    });
    const statements = result.order.flatMap((node) =>
      (result.nodes[node]?.sql ?? []).filter((s) => !s.bookkeeping).map((s) => ({ node, sql: s.sql })),
    );
    const errors = planProblems(result).filter((p) => p.severity === 'error');
    const standing = standingErrors(review.findings, review.waivers);
    const problems = [
      ...errors.map((p) => `node "${p.nodeId ?? '-'}"${p.label ? ` (${p.label})` : ''}: ${p.message}`),
      ...standing.map((f) => `[${f.code}] node "${f.node ?? '-'}" (${f.fieldLabel ?? f.field ?? '-'}): ${f.message}`),
    ];
    if (result.status === 'failed' && problems.length === 0) problems.push(result.error ?? 'the plan failed');
    const status: PlanStatus = hasDrift(drift)
      ? 'drift'
      : problems.length > 0
        ? 'would_fail'
        : statements.length === 0
          ? 'already_applied'
          : 'would_apply';
    return plan({
      status,
      statements,
      findings: review.findings,
      problems: status === 'drift' ? [...driftLines(drift), ...problems] : problems,
    });
  } catch (e) {
    return plan({ status: 'would_fail', problems: [`${target.label}: ${(e as Error).message}`] });
  } finally {
    await db.driver.close();
  }
}
