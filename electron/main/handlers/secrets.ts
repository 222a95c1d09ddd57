/** secrets.status and secrets.acceptWeakStorage: how passwords are stored, and the user's answer about weak storage. */
import type { AppContext } from '../core.ts';
import type { IpcMainLike } from '../ipc-table.ts';

export function registerSecretHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  const { secrets } = ctx;
  ipc.handle('secrets.status', () => secrets.status());
  ipc.handle('secrets.acceptWeakStorage', (_sender, { accept }) => secrets.acceptWeakStorage(accept));
}
