/**
 * Lint before apply (docs/lint.md, "Before apply"): the review of an apply's plan on its target,
 * the configuration applied, and the waivers the user gave that cover its findings. The engine
 * refuses the apply while `standingErrors` finds an error-level finding no waiver covers.
 */
import type { LintConfig } from '../../shared/lint/config.ts';
import { configure } from '../../shared/lint/finding.ts';
import { waiverFor, type LintWaiver, type RunReview } from '../../shared/lint/waiver.ts';
import type { RunResult } from '../../shared/run.ts';
import type { Workflow } from '../../shared/workflow.ts';
import type { Database } from '../db/connect.ts';
import { reviewPlan } from './lint.ts';

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
  const findings = configure(result.findings, options.config);
  return {
    config: options.config.path,
    findings,
    waivers: options.waivers.filter((w) => findings.some((f) => waiverFor(f, [w]) === w)),
    notEvaluated: [...result.notEvaluated]
      .map(([code, count]) => ({ code, count }))
      .filter((n) => options.config.rules[n.code] !== 'off'),
  };
}
