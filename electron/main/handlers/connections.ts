/**
 * Connections: list (demo first), save (the password goes to the secret store,
 * electron/store/secrets.ts), delete, test (server version).
 */
import { isAbsolute } from 'node:path';
import type { Payload } from '../../../shared/ipc.ts';
import { openTarget, scrub, targetFor, type DbTarget } from '../../worker/targets.ts';
import type { AppContext } from '../core.ts';
import { IpcFailure, type IpcMainLike } from '../ipc-table.ts';

type ConnectionFields = Payload<'connections.save'>['connection'];

/** What the schema cannot check: SQLite paths must be absolute (relative to what, otherwise?). */
function checkPath(conn: ConnectionFields): void {
  if (conn.kind === 'sqlite' && !isAbsolute(conn.path))
    throw new IpcFailure(
      `"${conn.path}" is not an absolute path; give the full path of the SQLite file`,
      'connection.path',
    );
}

/** The server's version, as people write it (`SQLite 3.53.2`, `PostgreSQL 17.6`). */
async function serverVersion(target: DbTarget, nativeBinding: string | undefined): Promise<string> {
  const db = await openTarget(target, { nativeBinding });
  await db.driver.close();
  return db.serverVersion;
}

/** Two connections of one name would make the target picker ambiguous: the name must be new (letter case aside). */
function checkNameFree(conn: ConnectionFields, others: readonly { id: string; name: string }[]): void {
  const name = conn.name.trim().toLowerCase();
  const same = others.find((c) => c.id !== conn.id && c.name.trim().toLowerCase() === name);
  if (same)
    throw new IpcFailure(
      `a connection named "${same.name}" exists already; give this one another name, or edit that one`,
      'connection.name',
    );
}

export function registerConnectionHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  const { store, secrets } = ctx;

  ipc.handle('connections.list', async () => {
    await ctx.ready;
    return store.listConnections().map((c) => ctx.saved(c));
  });

  ipc.handle('connections.save', (_sender, { connection, password, storePassword }) => {
    checkPath(connection);
    if (connection.id !== undefined) ctx.connection(connection.id, 'connection.id');
    checkNameFree(connection, store.listConnections());
    if (connection.kind === 'sqlite' && password)
      throw new IpcFailure('a SQLite connection has no password; leave it empty', 'password');
    const saved = store.saveConnection(connection);
    if (saved.kind === 'sqlite') secrets.delete(saved.id);
    else if (password === '') secrets.delete(saved.id);
    else if (password !== undefined) secrets.set(saved.id, password, storePassword);
    return ctx.saved(saved);
  });

  ipc.handle('connections.delete', (_sender, { id }) => {
    secrets.delete(id);
    return { deleted: store.deleteConnection(id) };
  });

  ipc.handle('connections.test', async (_sender, { id, connection, password }) => {
    if (id === undefined && connection === undefined)
      throw new IpcFailure('give the id of a saved connection or the connection to test', 'connection');
    let target: DbTarget;
    if (connection) {
      checkPath(connection);
      const kept = id === undefined ? null : secrets.get(id);
      target = targetFor(
        { ...connection, id: id ?? 'unsaved', demo: false, environment: connection.environment ?? null },
        password ?? kept,
      );
    } else {
      target = ctx.target(ctx.connection(id!, 'id'), password);
    }
    try {
      return { ok: true, serverVersion: await serverVersion(target, ctx.options.nativeBinding), error: null };
    } catch (e) {
      return { ok: false, serverVersion: null, error: scrub((e as Error).message, target) };
    }
  });
}
