/**
 * TransactionScopeNode: the scheduler opens the scope's transaction once this node succeeded
 * (scheduler.ts). Here: the members it will cover, warnings, and the check, before anything runs,
 * that no member plans a statement that cannot run inside a transaction.
 */
import { isReference } from '../../../shared/nodes/index.ts';
import { schemaModificationParams } from '../../../shared/nodes/schema-modification.ts';
import type { TransactionScopeParams } from '../../../shared/nodes/transaction-scope.ts';
import { layoutRun } from '../scopes.ts';
import { NodeFailure, type Executor, type NodeContext } from '../types.ts';

async function preflight(ctx: NodeContext<TransactionScopeParams>, members: readonly string[]): Promise<void> {
  let schema = await ctx.schema();
  for (const id of members) {
    const node = ctx.workflow.nodes.find((n) => n.id === id);
    if (node?.type !== 'SchemaModificationNode' || Object.values(node.params).some(isReference)) continue;
    const parsed = schemaModificationParams.safeParse(node.params);
    if (!parsed.success) continue;
    const plan = await ctx.db.dialect.planSchemaChange(parsed.data, schema, ctx.db.driver);
    const bad = plan.steps.find((s) => !s.transactional);
    if (bad) {
      throw new NodeFailure(
        `member "${id}" would run "${bad.sql}", which cannot run inside a transaction; move "${id}" out of this scope${parsed.data.concurrently ? ' or drop its "concurrently"' : ''}`,
      );
    }
    if (!plan.problems.some((p) => p.severity === 'error')) schema = plan.after;
  }
}

export const transactionScopeExecutor: Executor<TransactionScopeParams> = {
  async run(ctx) {
    const p = ctx.params;
    const layout = layoutRun(ctx.workflow);
    const members = layout.scopes.get(ctx.node.id) ?? [];
    const enclosing = layout.parents.get(ctx.node.id) ?? null;
    if (members.length === 0)
      ctx.warn('no node runs after this transaction scope, so it covers nothing; connect the nodes it should cover');
    if (p.isolation_level && ctx.mode === 'rehearse') {
      ctx.warn(
        `isolation_level "${p.isolation_level}" is not applied in rehearse: the whole rehearse runs in one transaction at the database's default level`,
      );
    } else if (p.isolation_level && enclosing) {
      ctx.warn(
        `isolation_level "${p.isolation_level}" is not applied: this scope runs inside transaction scope "${enclosing}", whose transaction is already open`,
      );
    }
    if (ctx.mode !== 'plan') await preflight(ctx, members);
    return {
      result: {
        members,
        rollback_on_error: p.rollback_on_error,
        isolation_level: p.isolation_level ?? null,
        timeout: p.timeout ?? null,
      },
    };
  },
};
