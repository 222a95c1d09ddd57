/**
 * history.list: runs, newest first (with a connectionId, also the applies recorded only on that
 * connection's database: electron/main/history-records.ts); history.get: a run's whole result;
 * history.snapshot: a schema a run recorded.
 */
import { listRuns, runTablesExist, type RunRecord } from '../../db/run-records.ts';
import { openTarget } from '../../worker/targets.ts';
import type { AppContext } from '../core.ts';
import { withDatabaseRuns } from '../history-records.ts';
import type { IpcMainLike } from '../ipc-table.ts';

export function registerHistoryHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  ipc.handle('history.list', async (_sender, { limit, connectionId }) => {
    const editor = ctx.store.listRuns(limit);
    if (connectionId === undefined) return editor;
    const conn = ctx.connection(connectionId, 'connectionId');
    return withDatabaseRuns(editor, await databaseRuns(ctx, conn, limit), conn, limit);
  });
  ipc.handle('history.get', (_sender, { runId }) => ctx.store.getRun(runId));
  ipc.handle('history.snapshot', (_sender, { hash }) => ctx.store.snapshot(hash));
}

/**
 * The newest run records on the connection's database; none when it has no run records yet or
 * cannot be reached (the History still lists the editor's runs; the schema sidebar says why).
 */
async function databaseRuns(
  ctx: AppContext,
  conn: ReturnType<AppContext['connection']>,
  limit: number,
): Promise<RunRecord[]> {
  const db = await openTarget(ctx.target(conn), { nativeBinding: ctx.options.nativeBinding }).catch(() => null);
  if (!db) return [];
  try {
    return (await runTablesExist(db)) ? await listRuns(db, limit) : [];
  } catch {
    return [];
  } finally {
    await db.driver.close().catch(() => {});
  }
}
