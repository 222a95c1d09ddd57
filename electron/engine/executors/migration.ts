/**
 * MigrationNode: records a migration's status in the target database, or reads it
 * (`check_status`, `check_rollback_needed`). docs/nodes.md, "MigrationNode".
 */
import { createHash } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { MigrationParams } from '../../../shared/nodes/migration.ts';
import { executionOrder, orderingEdges } from '../../../shared/workflow.ts';
import {
  needsRollback,
  readMigration,
  recordMigrationSteps,
  type MigrationReader,
  type MigrationRecord,
} from '../../db/migration-records.ts';
import { NodeFailure, type Executor, type NodeContext } from '../types.ts';

/** SQL text with whitespace collapsed, as it enters a checksum. */
export function normaliseSql(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Nodes a migration covers: its ancestors through connections and Switch routes that ran before
 * it; when it has no ancestors, every node that ran before it. MigrationNodes excluded, run order.
 */
export function coveredNodes(ctx: Pick<NodeContext, 'workflow' | 'node' | 'results'>): string[] {
  const parents = new Map<string, string[]>();
  for (const e of orderingEdges(ctx.workflow)) parents.set(e.target, [...(parents.get(e.target) ?? []), e.source]);
  const ancestors = new Set<string>();
  const stack = [...(parents.get(ctx.node.id) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (ancestors.has(id) || id === ctx.node.id) continue;
    ancestors.add(id);
    stack.push(...(parents.get(id) ?? []));
  }
  const types = new Map(ctx.workflow.nodes.map((n) => [n.id, n.type]));
  const order = executionOrder(ctx.workflow) ?? ctx.workflow.nodes.map((n) => n.id);
  const rank = new Map(order.map((id, i) => [id, i]));
  return [...ctx.results.keys()]
    .filter(
      (id) => id !== ctx.node.id && types.get(id) !== 'MigrationNode' && (ancestors.size === 0 || ancestors.has(id)),
    )
    .sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
}

/** sha256 (hex) of the normalised SQL the covered nodes ran in this run, one statement per line. */
export function migrationChecksum(ctx: Pick<NodeContext, 'workflow' | 'node' | 'results'>): string {
  const lines = coveredNodes(ctx).flatMap((id) => (ctx.results.get(id)?.sql ?? []).map((s) => normaliseSql(s.sql)));
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The OS user and host a run is recorded as applied by (`user@host`). */
export function appliedBy(): string {
  let user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for this uid (containers): keep the environment's name.
  }
  return `${user}@${hostname()}`;
}

/** Plan mode: a MigrationNode that records ran before this one, so its steps create the tracking tables if needed. */
function earlierRecordPlanned(ctx: Pick<NodeContext, 'workflow' | 'node' | 'results'>): boolean {
  const nodes = new Map(ctx.workflow.nodes.map((n) => [n.id, n]));
  return [...ctx.results].some(([id, r]) => {
    const n = nodes.get(id);
    return (
      id !== ctx.node.id &&
      r.status === 'succeeded' &&
      n?.type === 'MigrationNode' &&
      (n.params.action ?? 'record') === 'record'
    );
  });
}

/**
 * Why recording `status` for a migration that is completed already changes nothing, or null when
 * it does: recording it pending or running again (a re-run of the workflow: its record stays
 * completed and the run goes on, its schema changes finding themselves already applied), or
 * completed again when the nodes it covers ran no statement in this run (they were already
 * applied). Completed again after covered nodes did run SQL is recorded anew, with the drift check.
 */
function alreadyCompleted(
  ctx: Pick<NodeContext, 'workflow' | 'node' | 'results'>,
  name: string,
  before: MigrationRecord,
  status: string,
): string | null {
  const when = `${before.completedAt ? ` at ${before.completedAt}` : ''}${before.runId ? ` by run ${before.runId}` : ''}`;
  if (status === 'pending' || status === 'running')
    return `migration "${name}" was completed${when}; its record stays completed`;
  if (status !== 'completed') return null;
  const ran = coveredNodes(ctx).filter((id) => (ctx.results.get(id)?.sql.length ?? 0) > 0);
  return ran.length === 0 ? `migration "${name}" was completed${when}, and this run changed nothing it covers` : null;
}

export const migrationExecutor: Executor<MigrationParams> = {
  async run(ctx) {
    const p = ctx.params;
    const name = p.migration_name;
    const db: MigrationReader = { dialect: ctx.db.dialect, query: ctx.query.bind(ctx) };
    const action = p.action ?? 'record';

    if (action === 'check_status') {
      const status = (await readMigration(db, name))?.status ?? 'pending';
      return { migration_status: status, result: { migration_name: name, status, migration_status: status } };
    }

    if (action === 'check_rollback_needed') {
      const status = (await readMigration(db, name))?.status ?? 'pending';
      const needs = (await needsRollback(db, name)) ? 'true' : 'false';
      return { needs_rollback: needs, result: { migration_name: name, status, needs_rollback: needs } };
    }

    const status = p.status;
    if (!status)
      throw new NodeFailure(
        `is required to record migration "${name}"; set status (pending, running, completed, failed, rolled_back) or choose action check_status`,
        'status',
      );
    const before = await readMigration(db, name);
    if (before?.status === 'completed') {
      const done = alreadyCompleted(ctx, name, before, status);
      if (done) {
        ctx.setOutcome({ kind: 'already_completed', note: done });
        return {
          migration_status: 'completed',
          result: { migration_name: name, status: 'completed', migration_status: 'completed' },
        };
      }
    }
    let checksum: string | undefined;
    if (status === 'completed') {
      checksum = migrationChecksum(ctx);
      if (before?.completedAt && before.checksum !== null && before.checksum !== checksum) {
        ctx.warn(
          `migration "${name}" drifted: it was completed at ${before.completedAt} with checksum ${before.checksum}, ` +
            `but the SQL it covers in this run has checksum ${checksum}; the migration's SQL changed since it was applied`,
        );
      }
    }
    // While its run lasts, a tracked migration is `running`, with the run's id (the run holds the
    // migration lock): the run's end makes it `pending` again or `failed`, so a run killed on the
    // way leaves it `running` without a live lock holder, which check_rollback_needed reports.
    const recorded = status === 'pending' ? 'running' : status;
    const steps = await recordMigrationSteps(db, name, recorded, {
      tablesPlanned: ctx.mode === 'plan' && earlierRecordPlanned(ctx),
      runId: ctx.runId,
      workflow: ctx.workflow.name,
      appliedBy: appliedBy(),
      checksum,
      metadata: p.metadata,
      detail: { node: ctx.node.id },
    });
    await ctx.execute(steps);
    return {
      migration_status: recorded,
      result: {
        migration_name: name,
        status: recorded,
        migration_status: recorded,
        ...(checksum !== undefined && { checksum }),
      },
    };
  },
};
