/** history.list and history.get: finished runs, newest first, each with its whole result; history.snapshot: a schema a run recorded. */
import type { AppContext } from '../core.ts';
import type { IpcMainLike } from '../ipc-table.ts';

export function registerHistoryHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  ipc.handle('history.list', (_sender, { limit }) => ctx.store.listRuns(limit));
  ipc.handle('history.get', (_sender, { runId }) => ctx.store.getRun(runId));
  ipc.handle('history.snapshot', (_sender, { hash }) => ctx.store.snapshot(hash));
}
