/**
 * The editor's look and room, remembered per user in store.db (`settings.ui`, `settings.saveUi`):
 * the theme, each side and bottom panel's size and whether it is collapsed, the minimap.
 */
import * as z from 'zod';

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
/** `system` follows the OS (prefers-color-scheme). */
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/** The panels that can be resized and collapsed: the left column, the right column, the bottom panel. */
export const PANEL_IDS = ['left', 'right', 'bottom'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

const panelState = z
  .object({
    /** Width (left, right) or height (bottom) in CSS pixels. */
    size: z.number().int().min(0).max(10_000),
    collapsed: z.boolean(),
  })
  .strict();
export type PanelState = z.infer<typeof panelState>;

export const uiSettingsSchema = z
  .object({
    theme: z.enum(THEME_CHOICES),
    panels: z.object({ left: panelState, right: panelState, bottom: panelState }).partial().strict(),
    minimap: z.boolean(),
  })
  .partial()
  .strict();
/** Only what the user changed is stored; the rest keeps its default. */
export type UiSettings = z.infer<typeof uiSettingsSchema>;

/** The store.db settings key. */
export const UI_SETTINGS_KEY = 'ui';
