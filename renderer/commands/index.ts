/**
 * Every user command by name: toolbar buttons, keyboard shortcuts and the native menu's AppEvents
 * all run these, so each does the same thing from everywhere.
 */
import type { MenuCommand } from '../../shared/ipc.ts';
import { redo, undo, useApp } from '../store/index.ts';
import { fitView, nodeSizes } from '../canvas/viewport.ts';
import { layoutPositions } from '../canvas/auto-layout.ts';
import { errorMessage } from '../api/index.ts';
import { exportPython, exportSql, importPython, newFile, openFile, openRecent, saveFile, saveFileAs } from './files.ts';
import { cancelRun, confirmApply, startRun } from './runs.ts';
import { PANEL_HANDLERS, PANEL_TITLES, type PanelCommand } from './panels.ts';
import { addNoteHere, deleteSelection, groupSelection, ungroupSelection } from '../groups/commands.ts';

export type Command =
  MenuCommand | 'edit.duplicate' | 'edit.delete' | 'edit.addNote' | 'edit.group' | 'edit.ungroup' | PanelCommand;

async function autoLayout(): Promise<void> {
  const s = useApp.getState();
  if (s.doc.nodes.length === 0) return;
  const positions = await layoutPositions(s.doc, nodeSizes());
  useApp.getState().moveNodes(positions);
  requestAnimationFrame(() => fitView());
}

const HANDLERS: Record<Command, () => void | Promise<void>> = {
  'file.new': newFile,
  'file.open': openFile,
  'file.openRecent': openFile,
  'file.save': saveFile,
  'file.saveAs': saveFileAs,
  'file.importPython': importPython,
  'file.exportPython': exportPython,
  'file.exportSql': exportSql,
  'edit.undo': () => undo(),
  'edit.redo': () => redo(),
  'edit.selectAll': () => useApp.getState().selectAll(),
  'edit.duplicate': () => useApp.getState().duplicateSelection(),
  'edit.delete': deleteSelection,
  'edit.addNote': addNoteHere,
  'edit.group': groupSelection,
  'edit.ungroup': ungroupSelection,
  'run.plan': () => startRun('plan'),
  'run.rehearse': () => startRun('rehearse'),
  'run.apply': confirmApply,
  'run.cancel': cancelRun,
  'view.fit': fitView,
  'view.layout': autoLayout,
  'view.shortcuts': () => useApp.getState().openDialog({ kind: 'shortcuts' }),
  ...PANEL_HANDLERS,
};

/** A native menu command (Electron); Open Recent carries the file's path. */
export function runMenuCommand(command: MenuCommand, path?: string): void {
  if (command === 'file.openRecent' && path) openRecent(path);
  else runCommand(command);
}

/** What a command is called on screen (its id is the program's, like a channel's). */
const TITLES: Record<Command, string> = {
  'file.new': 'New',
  'file.open': 'Open',
  'file.openRecent': 'Open',
  'file.save': 'Save',
  'file.saveAs': 'Save as',
  'file.importPython': 'Import Python',
  'file.exportPython': 'Export Python',
  'file.exportSql': 'Export SQL',
  'edit.undo': 'Undo',
  'edit.redo': 'Redo',
  'edit.selectAll': 'Select all',
  'edit.duplicate': 'Duplicate',
  'edit.delete': 'Delete',
  'edit.addNote': 'Add note',
  'edit.group': 'Group selection',
  'edit.ungroup': 'Ungroup',
  'run.plan': 'Plan',
  'run.rehearse': 'Rehearse',
  'run.apply': 'Apply',
  'run.cancel': 'Cancel',
  'view.fit': 'Fit',
  'view.layout': 'Layout',
  'view.shortcuts': 'Shortcuts',
  ...PANEL_TITLES,
};

export function runCommand(command: Command): void {
  const failed = (e: unknown) =>
    useApp.getState().notify({ level: 'error', text: `${TITLES[command]} failed: ${errorMessage(e)}` });
  try {
    void Promise.resolve(HANDLERS[command]()).catch(failed);
  } catch (e) {
    failed(e);
  }
}
