/** app.info and window.setDocumentState: what the app runs as, and the document's title and dirty state. */
import type { AppContext } from '../core.ts';
import type { IpcMainLike } from '../ipc-table.ts';

export function registerAppHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  const { options } = ctx;
  ipc.handle('app.info', () => ({
    version: options.version,
    host: options.platform.host,
    homeDir: options.homeDir,
    examplesDir: options.examplesDir,
    dataDir: options.dataDir,
  }));
  ipc.handle('window.setDocumentState', (sender, state) => {
    options.platform.setDocumentState(sender, state);
    return null;
  });
}
