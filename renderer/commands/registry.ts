/**
 * The command registry: every user action by id, with its title, group, shortcut and how to run it.
 * The command palette (Mod+K), the right-click menus, the keyboard handler and the shortcut sheet
 * all read it, so an action added here is reachable from all of them. A feature adds its commands
 * with one `registerCommands([...])` call (see `index.ts`).
 */
import { errorMessage } from '../api/index.ts';
import { useApp } from '../store/index.ts';
import { flushParamDraft } from '../store/param-draft.ts';

export type CommandGroup = 'File' | 'Edit' | 'Node' | 'Group' | 'Run' | 'View' | 'Find' | 'Connection';

export interface CommandDef {
  /** Stable id (`file.save`); the native menu sends these. Never shown. */
  id: string;
  /** As on screen: the palette's line, the menu item, the sheet's row, the failure notice. */
  title: string;
  group: CommandGroup;
  /** The shortcut as shown on the sheet, with "Mod" for Ctrl/Cmd (`Mod+Shift+S`); absent: none. */
  keys?: string;
  /** Which key event runs it; absent when the keys are handled elsewhere (clipboard events). */
  match?: (e: KeyboardEvent, mod: boolean) => boolean;
  /** Also runs from its keys while typing in a field. */
  inFields?: boolean;
  /** Also runs from its keys while typing in an inspector field (undo and redo of the document). */
  inInspector?: boolean;
  /** Also runs from its keys while a dialog is open. */
  inDialogs?: boolean;
  /** Why it cannot run now (shown greyed with the reason), or null when it can. */
  unavailable?: () => string | null;
  run(): void | Promise<void>;
}

const registry = new Map<string, CommandDef>();

/** Adds commands (a later definition of the same id replaces the earlier one). */
export function registerCommands(defs: readonly CommandDef[]): void {
  for (const d of defs) registry.set(d.id, d);
}

/** Every command, in the order registered. */
export function allCommands(): CommandDef[] {
  return [...registry.values()];
}

export function command(id: string): CommandDef | undefined {
  return registry.get(id);
}

/** Runs a command by id; a failure is reported in the notice bar by the command's title. */
export function runCommand(id: string): void {
  const def = registry.get(id);
  if (!def) return;
  flushParamDraft();
  const failed = (e: unknown) =>
    useApp.getState().notify({ level: 'error', text: `${def.title} failed: ${errorMessage(e)}` });
  try {
    void Promise.resolve(def.run()).catch(failed);
  } catch (e) {
    failed(e);
  }
}

/** A key matcher: `k` with Mod (unless `mod: false`) and Shift as given, never Alt. */
export const key =
  (k: string, opts: { shift?: boolean; mod?: boolean } = {}) =>
  (e: KeyboardEvent, mod: boolean) =>
    e.key.toLowerCase() === k && mod === (opts.mod ?? true) && e.shiftKey === (opts.shift ?? false) && !e.altKey;

export function isMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform);
}

/** The keys as this platform writes them: Ctrl+K, or ⌘K on macOS. */
export function shortcutLabel(keys: string): string {
  return keys.replace(/Mod\+?/g, isMac() ? '⌘' : 'Ctrl+');
}
