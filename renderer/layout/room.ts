/**
 * The editor's room: the theme, each resizable panel's size and collapsed state, and which panel
 * is maximised. Loaded from the user's settings at start-up (`settings.ui`) and saved back shortly
 * after each change, together with the minimap's visibility (ui-slice).
 */
import { create } from 'zustand';
import type { PanelId, PanelState, ThemeChoice, UiSettings } from '../../shared/ui-settings.ts';
import { api, errorMessage } from '../api/index.ts';
import { useApp } from '../store/index.ts';
import { applyTheme } from '../theme/theme.ts';
import { DEFAULT_PANELS } from './panel-sizes.ts';

/** The panels that can take the whole main area. */
export type Maximisable = 'sql' | 'diff';

export interface RoomState {
  theme: ThemeChoice;
  panels: Record<PanelId, PanelState>;
  maximised: Maximisable | null;
  setTheme(theme: ThemeChoice): void;
  resizePanel(id: PanelId, size: number): void;
  togglePanel(id: PanelId): void;
  toggleMaximised(panel: Maximisable): void;
}

export const useRoom = create<RoomState>()((set, get) => ({
  theme: 'system',
  panels: { ...DEFAULT_PANELS },
  maximised: null,
  setTheme: (theme) => set({ theme }),
  resizePanel: (id, size) => set({ panels: { ...get().panels, [id]: { size, collapsed: false } } }),
  togglePanel: (id) => {
    const p = get().panels[id];
    set({ panels: { ...get().panels, [id]: { ...p, collapsed: !p.collapsed } } });
  },
  toggleMaximised: (panel) => set({ maximised: get().maximised === panel ? null : panel }),
}));

const SAVE_DELAY_MS = 400;

function current(): UiSettings {
  const { theme, panels } = useRoom.getState();
  return { theme, panels, minimap: useApp.getState().showMinimap };
}

/** Applies the stored settings, then follows and saves every change. */
export async function loadRoom(): Promise<void> {
  applyTheme(useRoom.getState().theme);
  const stored = await api()
    .invoke('settings.ui', {})
    .catch((): UiSettings => ({}));
  useRoom.setState({
    theme: stored.theme ?? 'system',
    panels: { ...DEFAULT_PANELS, ...stored.panels },
  });
  if (stored.minimap !== undefined && stored.minimap !== useApp.getState().showMinimap)
    useApp.getState().toggleMinimap();
  applyTheme(useRoom.getState().theme);

  let saved = JSON.stringify(current());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    const next = current();
    const text = JSON.stringify(next);
    if (text === saved) return;
    saved = text;
    api()
      .invoke('settings.saveUi', next)
      .catch((e: unknown) =>
        useApp
          .getState()
          .notify({ level: 'error', text: `Saving the panel sizes and theme failed: ${errorMessage(e)}` }),
      );
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  };
  useRoom.subscribe((s, prev) => {
    if (s.theme !== prev.theme) applyTheme(s.theme);
    if (s.theme !== prev.theme || s.panels !== prev.panels) schedule();
  });
  useApp.subscribe((s, prev) => {
    if (s.showMinimap !== prev.showMinimap) schedule();
  });
}
