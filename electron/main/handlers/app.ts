/** app.info: what the app runs as (version, host, folders). */
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
}
