/** window.setDocumentState: the open document's title and dirty state, shown by the host's window. */
import type { AppContext } from '../core.ts';
import type { IpcMainLike } from '../ipc-table.ts';

export function registerWindowHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  ipc.handle('window.setDocumentState', (sender, state) => {
    ctx.options.platform.setDocumentState(sender, state);
    return null;
  });
}
