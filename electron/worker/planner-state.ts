/**
 * What a warm planning worker keeps between requests (issue 16, "a warm planner"): the open
 * database session, the live schema as last read (every plan, review and schema lookup starts
 * from it instead of reading the catalogue again), and the node plans of the last plans
 * (electron/engine/plan-memo.ts: a plan after an edit plans the edited node and those after it).
 * `forget` drops all three; the next request opens and reads again.
 */
import { randomUUID } from 'node:crypto';
import { withoutLiveTables } from '../../shared/planned-schema.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import type { Schema } from '../../shared/schema.ts';
import type { Database } from '../db/connect.ts';
import { PlanMemo } from '../engine/plan-memo.ts';
import { reviewWorkflow } from '../engine/review.ts';
import { runWorkflow } from '../engine/run.ts';
import type { PlannerAnswers, PlannerRequest } from './planner-messages.ts';
import { openTarget, type DbTarget } from './targets.ts';

export class WarmPlanner {
  private db: Database | null = null;
  private schema: Schema | null = null;
  /** An id of the schema's read (PlannedSchemas.live): new at each read. */
  private read = '';
  /** The node plans kept between plans; its counts tell what the last requests planned and reused. */
  readonly memo = new PlanMemo();

  constructor(
    private readonly target: DbTarget,
    private readonly nativeBinding?: string,
  ) {}

  /** Answers one request. */
  async serve<K extends PlannerRequest['kind']>(
    request: Extract<PlannerRequest, { kind: K }>,
  ): Promise<PlannerAnswers[K]>;
  async serve(request: PlannerRequest): Promise<PlannerAnswers[keyof PlannerAnswers]> {
    if (request.kind === 'schema') {
      if (request.refresh) await this.forget();
      return this.live();
    }
    if (request.kind === 'lint') {
      const { workflow } = parseWorkflow(request.text);
      return reviewWorkflow(workflow, await this.open(), request.config, {
        schema: await this.live(),
        memo: this.memo,
      });
    }
    const draft = request.plannedSchemas;
    const { workflow } = parseWorkflow(request.text, { draft });
    const db = await this.open();
    const result = await runWorkflow(workflow, db, {
      mode: 'plan',
      trustCode: request.trustCode,
      subset: request.subset,
      plannedSchemas: request.plannedSchemas,
      draft,
      schema: await this.live(),
      memo: this.memo,
      schemaRead: this.read,
    });
    // The requester holds the live schema's outline of this read: it is left out.
    const planned = result.plannedSchemas;
    if (planned?.live && planned.live.read === request.haveLive) result.plannedSchemas = withoutLiveTables(planned);
    return result;
  }

  /** Drops the session, the schema and the kept plans (the database changed, or the session failed). */
  async forget(): Promise<void> {
    const db = this.db;
    this.db = null;
    this.schema = null;
    this.memo.clear();
    await db?.driver.close().catch(() => {});
  }

  private async open(): Promise<Database> {
    return (this.db ??= await openTarget(this.target, { nativeBinding: this.nativeBinding }));
  }

  private async live(): Promise<Schema> {
    const db = await this.open();
    if (!this.schema) {
      this.schema = await db.dialect.introspect(db.driver);
      this.read = randomUUID();
    }
    return this.schema;
  }
}
