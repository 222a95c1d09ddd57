/**
 * The shape both dialect planners share (postgres/plan/, sqlite/plan/): one SchemaModificationNode
 * operation is planned on a builder that gathers its steps and its problems, then turns them into
 * the Plan. Each dialect extends it with what it plans with (PostgreSQL's scratch compile and
 * server version, SQLite's table rebuild), and gives the plan rules (plan-rules/) its specifics.
 */
import type { PlanErrorCode, PlanWarningCode } from '../../shared/plan-codes.ts';
import type { SchemaModificationParams } from '../../shared/nodes/schema-modification.ts';
import type { Schema } from '../../shared/schema.ts';
import type { Plan, Step } from './dialect.ts';
import type { Driver } from './driver.ts';
import { planProblem, type PlanProblem } from './plan-problem.ts';
import type { RuleFeed } from './plan-rules/feed.ts';

export class PlanBuilder<P extends SchemaModificationParams = SchemaModificationParams> {
  readonly steps: Step[] = [];
  readonly problems: PlanProblem[] = [];

  constructor(
    /** The operation's params, as the node's schema parsed them (typed per operation). */
    readonly p: P,
    /** The schema planned against: live, or in plan mode the one the earlier nodes lead to. */
    readonly schema: Schema,
    /** Read only: the plan-time data checks and, on PostgreSQL, the rolled-back scratch compile. */
    readonly driver: Driver,
    /** Run the data checks the steps enforce themselves (SchemaPlanOptions.probeData). */
    readonly probeData: boolean,
    /** The dialect's specifics the plan rules need. */
    readonly feed: RuleFeed,
  ) {}

  /** Appends a step; transactional unless `extra` says otherwise. */
  add(sql: string, comment: string, extra: Partial<Step> = {}): void {
    this.steps.push({ sql, comment, transactional: true, ...extra });
  }

  /** Records an error of rule `code` (shared/plan-codes.ts): the change cannot succeed. */
  error(code: PlanErrorCode, field: string | undefined, message: string): void {
    this.problems.push(planProblem(code, field, message));
  }

  /** Records a warning of rule `code`: the change runs, but the user should know. */
  warn(code: PlanWarningCode, field: string | undefined, message: string): void {
    this.problems.push(planProblem(code, field, message));
  }

  /** Records a problem a plan rule built (plan-rules/values.ts). */
  report(problem: PlanProblem): void {
    this.problems.push(problem);
  }

  /** True once an error stands: the change cannot succeed, and the plan will have no steps. */
  failed(): boolean {
    return this.problems.some((x) => x.severity === 'error');
  }

  /** The plan: the steps and `after`, or, when an error stands, no steps and the schema as it was. */
  plan(after: Schema): Plan {
    return this.failed()
      ? { steps: [], problems: this.problems, after: this.schema }
      : { steps: this.steps, problems: this.problems, after };
  }
}
