/**
 * schema.introspect: the live schema of a saved connection, read by the connection's warm
 * planner (off the host's main thread) and kept by it until a run changes the database or
 * `refresh` asks for a new read.
 */
import type { AppContext } from '../core.ts';
import { DataflowError, errorData } from '../../../shared/errors.ts';
import type { IpcMainLike } from '../ipc-table.ts';

export function registerSchemaHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  ipc.handle('schema.introspect', async (_sender, { connectionId, refresh }) => {
    const conn = ctx.connection(connectionId, 'connectionId');
    try {
      return await ctx.planners.schema(conn.id, ctx.target(conn), refresh === true);
    } catch (e) {
      throw new DataflowError(
        errorData(e).code,
        `cannot read the schema of connection "${conn.name}": ${errorData(e).message}`,
      );
    }
  });
}
