/** catalog.list: the node catalogue, without the zod schemas (they do not cross IPC). */
import type { CatalogEntry } from '../../../shared/ipc.ts';
import { NODE_TYPES } from '../../../shared/nodes/index.ts';
import type { IpcMainLike } from '../ipc-table.ts';

function catalogEntries(): CatalogEntry[] {
  return NODE_TYPES.map(({ type, label, category, icon, description, inputs, outputs, fields, writes }) => ({
    type,
    label,
    category,
    icon,
    description,
    inputs,
    outputs,
    fields,
    writes,
  }));
}

export function registerCatalogHandlers(ipc: IpcMainLike): void {
  ipc.handle('catalog.list', () => catalogEntries());
}
