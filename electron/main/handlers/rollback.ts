/**
 * rollback.plan: the reverse workflow of a recorded apply (electron/engine/rollback.ts), built from
 * the run record on the connection's database and planned in a worker, nothing written. The editor
 * shows its SQL and rehearses or applies it with run.start like any workflow.
 */
import { DataflowError } from '../../../shared/errors.ts';
import { serializeWorkflow } from '../../../shared/workflow.ts';
import { buildRollback } from '../../engine/rollback.ts';
import { openTarget, scrub } from '../../worker/targets.ts';
import type { AppContext } from '../core.ts';
import type { IpcMainLike } from '../ipc-table.ts';

export function registerRollbackHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  ipc.handle('rollback.plan', async (_sender, { connectionId, runId }) => {
    const conn = ctx.connection(connectionId, 'connectionId');
    const target = ctx.target(conn);
    const db = await openTarget(target, { nativeBinding: ctx.options.nativeBinding }).catch((e: unknown) => {
      throw new DataflowError(
        'failed',
        `cannot open connection "${conn.name}": ${scrub((e as Error).message, target)}`,
      );
    });
    let rollback: Awaited<ReturnType<typeof buildRollback>>;
    try {
      rollback = await buildRollback(db, runId);
    } catch (e) {
      if (e instanceof DataflowError) throw new DataflowError(e.code, scrub(e.message, target));
      throw new DataflowError('failed', `cannot read the run record: ${scrub((e as Error).message, target)}`);
    } finally {
      await db.driver.close();
    }
    const text = serializeWorkflow(rollback.workflow);
    const { run } = rollback;
    return {
      runId: run.runId,
      workflow: run.workflow,
      state: run.state,
      startedAt: run.startedAt,
      text,
      migrations: rollback.migrations,
      waivers: rollback.waivers,
      plan: await ctx.planners.plan(conn.id, target, { kind: 'plan', text, trustCode: false, plannedSchemas: false }),
    };
  });
}
