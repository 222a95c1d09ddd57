/**
 * The native menu as a template (plain data, so it is testable without Electron). Document
 * commands go to the renderer as `{type: 'menu', command}` events; cut, copy, paste, zoom and quit
 * are the window's own roles.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/ipc.ts';

export interface MenuOptions {
  isMac: boolean;
  /** Recent workflow files, newest first. */
  recent: readonly string[];
  /** Development builds get the developer tools. */
  devTools: boolean;
  send(command: MenuCommand, path?: string): void;
}

export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => options.send(command),
  });
  const recent: MenuItemConstructorOptions[] =
    options.recent.length === 0
      ? [{ label: 'No Recent Files', enabled: false }]
      : options.recent.map((path) => ({ label: path, click: () => options.send('file.openRecent', path) }));

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      item('New', 'file.new', 'CmdOrCtrl+N'),
      item('Open…', 'file.open', 'CmdOrCtrl+O'),
      { label: 'Open Recent', submenu: recent },
      { type: 'separator' },
      item('Save', 'file.save', 'CmdOrCtrl+S'),
      item('Save As…', 'file.saveAs', 'CmdOrCtrl+Shift+S'),
      { type: 'separator' },
      item('Import Python…', 'file.importPython', 'CmdOrCtrl+I'),
      {
        label: 'Export',
        submenu: [
          item('Python…', 'file.exportPython', 'CmdOrCtrl+E'),
          item('SQL Script…', 'file.exportSql', 'CmdOrCtrl+Shift+E'),
        ],
      },
      { type: 'separator' },
      options.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      item('Undo', 'edit.undo', 'CmdOrCtrl+Z'),
      item('Redo', 'edit.redo', options.isMac ? 'Shift+Cmd+Z' : 'Ctrl+Y'),
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      item('Select All', 'edit.selectAll', 'CmdOrCtrl+A'),
    ],
  };
  const run: MenuItemConstructorOptions = {
    label: 'Run',
    submenu: [
      // The same keys as the page's own shortcuts (renderer/commands/shortcuts.ts); Apply has no
      // accelerator on purpose: it always plans first and asks for confirmation.
      item('Plan', 'run.plan', 'CmdOrCtrl+Enter'),
      item('Rehearse', 'run.rehearse', 'CmdOrCtrl+Shift+Enter'),
      item('Apply…', 'run.apply'),
      { type: 'separator' },
      item('Cancel Run', 'run.cancel', 'CmdOrCtrl+.'),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      item('Fit to Window', 'view.fit', 'Shift+1'),
      item('Tidy Layout', 'view.layout', 'CmdOrCtrl+Shift+L'),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(options.devTools ? [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      item('Keyboard Shortcuts', 'view.shortcuts', 'CmdOrCtrl+/'),
      ...(options.isMac ? [] : [{ role: 'about' } as const]),
    ],
  };
  return [...(options.isMac ? [{ role: 'appMenu' } as const] : []), file, edit, run, view, help];
}
