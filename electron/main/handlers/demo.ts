/**
 * demo.create: recreates the demo SQLite database in the data folder (and its connection), or
 * creates the demo tables in a saved PostgreSQL connection's database.
 */
import { existsSync } from 'node:fs';
import type { AppContext } from '../core.ts';
import { DEMO_CONNECTION_ID, saveDemoConnection } from '../core.ts';
import { IpcFailure, type IpcMainLike } from '../ipc-table.ts';
import { DemoExistsError } from '../../db/demo.ts';

export function registerDemoHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  ipc.handle('demo.create', async (_sender, { dialect, rows, connectionId, force }) => {
    await ctx.ready;
    if (dialect === 'sqlite') {
      if (connectionId !== undefined)
        throw new IpcFailure(
          'the SQLite demo database lives in the app\'s data folder; leave connectionId out, or choose dialect "postgres"',
          'connectionId',
        );
      const path = ctx.demoPath();
      // The demo connection's planner lets go of the file it replaces.
      ctx.planners.forget(DEMO_CONNECTION_ID);
      await ctx.runs.demo(
        { kind: 'sqlite', path, label: `sqlite:${path}` },
        rows ?? ctx.options.demoRows,
        existsSync(path),
      );
      const saved = saveDemoConnection(ctx);
      ctx.planners.forget(saved.id);
      return ctx.saved(saved);
    }
    if (connectionId === undefined)
      throw new IpcFailure('choose the saved PostgreSQL connection to create the demo tables in', 'connectionId');
    const conn = ctx.connection(connectionId, 'connectionId');
    if (conn.kind !== 'postgres')
      throw new IpcFailure(`connection "${conn.name}" is not a PostgreSQL connection`, 'connectionId');
    if (conn.readOnly)
      throw new IpcFailure(
        `connection "${conn.name}" is read-only; the demo tables cannot be created in it`,
        'connectionId',
        'forbidden',
      );
    try {
      await ctx.runs.demo(ctx.target(conn), rows ?? ctx.options.demoRows, force);
    } catch (e) {
      if (e instanceof DemoExistsError)
        throw new DemoExistsError(
          `the database of "${conn.name}" already has demo tables; create them with force to drop and recreate them`,
        );
      throw e;
    } finally {
      ctx.planners.forget(conn.id);
    }
    return ctx.saved(conn);
  });
}
