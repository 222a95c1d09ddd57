/** settings.ui and settings.saveUi: the editor's theme, panel sizes and minimap, kept in store.db per user. */
import { UI_SETTINGS_KEY, uiSettingsSchema, type UiSettings } from '../../../shared/ui-settings.ts';
import type { AppContext } from '../core.ts';
import type { IpcMainLike } from '../ipc-table.ts';

export function registerSettingsHandlers(ipc: IpcMainLike, ctx: AppContext): void {
  // A stored value this version cannot read (written by another version) counts as none.
  ipc.handle('settings.ui', (): UiSettings => {
    const parsed = uiSettingsSchema.safeParse(ctx.store.getSetting(UI_SETTINGS_KEY));
    return parsed.success ? parsed.data : {};
  });
  ipc.handle('settings.saveUi', (_sender, settings) => {
    ctx.store.setSetting(UI_SETTINGS_KEY, settings);
    return null;
  });
}
