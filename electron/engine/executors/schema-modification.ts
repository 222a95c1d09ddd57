/**
 * SchemaModificationNode: plans the change with the dialect's planner from the current schema
 * (live, or simulated in plan mode), then runs the steps atomically.
 */
import type { SchemaModificationParams } from '../../../shared/nodes/schema-modification.ts';
import { NodeFailure, type Executor } from '../types.ts';

export const schemaModificationExecutor: Executor<SchemaModificationParams> = {
  async run(ctx) {
    const p = ctx.params;
    const schema = await ctx.schema();
    const plan = await ctx.db.dialect.planSchemaChange(p, schema, ctx.db.driver);
    const errors = plan.problems.filter((x) => x.severity === 'error');
    if (errors.length > 0) throw new NodeFailure(errors.map((x) => x.message).join('; '), errors[0]!.field);
    for (const w of plan.problems) if (w.severity === 'warning') ctx.warn(w.message);
    await ctx.execute(plan.steps);
    ctx.setPlannedSchema(plan.after);
    return {
      result: {
        operation: p.operation,
        table: p.table,
        column: p.column_name ?? null,
        sql: plan.steps.map((s) => s.sql),
        status: ctx.mode === 'plan' ? 'planned' : 'applied',
      },
    };
  },
};
