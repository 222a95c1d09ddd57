/**
 * Lint before apply (docs/lint.md, "Before apply"): the review of an apply's plan on its target,
 * the configuration applied, and the waivers the user gave that cover its findings. The engine
 * refuses the apply while `standingErrors` finds an error-level finding no waiver covers.
 */
import type { LintConfig } from '../../shared/lint/config.ts';
import { lintReport, type LintReport } from '../../shared/lint/finding.ts';
import { waiverFor, type LintWaiver, type RunReview } from '../../shared/lint/waiver.ts';
import type { RunResult } from '../../shared/run.ts';
import type { Workflow } from '../../shared/workflow.ts';
import type { Database } from '../db/connect.ts';
import { lintWorkflow, reviewPlan, type WarmStart } from './lint.ts';

/** What an apply reviews with: the configuration (dataflow.lint.json or the defaults) and the user's waivers. */
export interface ReviewOptions {
  config: LintConfig;
  waivers: readonly LintWaiver[];
}

/** Reviews `plan` (a plan of `workflow` on `db`); keeps the waivers that cover one of its findings. */
export async function reviewBeforeApply(
  workflow: Workflow,
  plan: RunResult,
  db: Database,
  options: ReviewOptions,
): Promise<RunReview> {
  const { result } = await reviewPlan(workflow, plan, db, options.config.thresholds);
  const { findings, notEvaluated, config } = lintReport([], result, options.config, null, true);
  return {
    config,
    findings,
    waivers: options.waivers.filter((w) => findings.some((f) => waiverFor(f, [w]) === w)),
    notEvaluated,
  };
}

/**
 * The review of `workflow` as the editor shows it: planned on `db`, with the configuration that
 * applies; `warm` is the warm planner's schema read and kept node plans (lintWorkflow).
 */
export async function reviewWorkflow(
  workflow: Workflow,
  db: Database,
  config: LintConfig,
  warm?: WarmStart,
): Promise<LintReport> {
  const { result, schema } = await lintWorkflow(workflow, db, config.thresholds, warm);
  const version = schema.dialect === 'postgres' ? Number.parseInt(schema.version, 10) : null;
  return lintReport([workflow.name], result, config, version, true);
}
