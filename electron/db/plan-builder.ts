/**
 * The shape both dialect planners share (postgres/plan/, sqlite/plan/): one SchemaModificationNode
 * operation is planned on a builder that gathers its steps and its problems, then turns them into
 * the Plan. Each dialect extends it with what it plans with (PostgreSQL's scratch compile and
 * server version, SQLite's table rebuild).
 */
import type { SchemaModificationParams } from '../../shared/nodes/schema-modification.ts';
import type { Schema } from '../../shared/schema.ts';
import type { Plan, PlanProblem, Step } from './dialect.ts';
import type { Driver } from './driver.ts';

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
  ) {}

  /** Appends a step; transactional unless `extra` says otherwise. */
  add(sql: string, comment: string, extra: Partial<Step> = {}): void {
    this.steps.push({ sql, comment, transactional: true, ...extra });
  }

  error(field: string | undefined, message: string): void {
    this.problems.push({ severity: 'error', ...(field ? { field } : {}), message });
  }

  warn(field: string | undefined, message: string): void {
    this.problems.push({ severity: 'warning', ...(field ? { field } : {}), message });
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
