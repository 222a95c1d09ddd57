/**
 * A problem a SchemaModificationNode planner finds before anything runs. Its `code` names the rule
 * (shared/plan-codes.ts, docs/plan-rules.md); the wording of each rule is written once, in
 * plan-rules/, and reads the same on both dialects.
 */
import { PLAN_RULES, type PlanCode, type PlanSeverity } from '../../shared/plan-codes.ts';

/** A reason the change cannot succeed (error) or deserves attention (warning), found at plan time. */
export interface PlanProblem {
  severity: PlanSeverity;
  /** The rule, stable across releases: `DF301` is a NOT NULL column without a default on a table with rows. */
  code: PlanCode;
  /** The param at fault. */
  field?: string;
  message: string;
}

/** A problem of rule `code` (its severity is the rule's). */
export function planProblem(code: PlanCode, field: string | undefined, message: string): PlanProblem {
  return { severity: PLAN_RULES[code].severity, code, ...(field ? { field } : {}), message };
}

/** The problem as text, its code first: `[DF301] cannot add NOT NULL column ...` (node errors, warnings). */
export function problemText(p: PlanProblem): string {
  return `[${p.code}] ${p.message}`;
}
