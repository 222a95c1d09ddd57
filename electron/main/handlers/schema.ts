/**
 * schema.introspect: the live schema of a saved connection. Read-only and quick (catalogue
 * queries), so it runs here rather than in a run worker.
 */
import { openTarget, scrub } from '../../worker/targets.ts';
import type { AppContext } from '../core.ts';
import { DataflowError } from '../../../shared/errors.ts';
import type { IpcMainLike } from '../ipc-table.ts';

export function registerSchemaHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  ipc.handle('schema.introspect', async (_sender, { connectionId }) => {
    const conn = ctx.connection(connectionId, 'connectionId');
    const target = ctx.target(conn);
    let db;
    try {
      db = await openTarget(target, { nativeBinding: ctx.options.nativeBinding });
    } catch (e) {
      throw new DataflowError(
        'failed',
        `cannot open connection "${conn.name}": ${scrub((e as Error).message, target)}`,
      );
    }
    try {
      return await db.dialect.introspect(db.driver);
    } finally {
      await db.driver.close();
    }
  });
}
