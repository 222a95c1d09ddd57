/**
 * Every user command, registered once in the command registry (`registry.ts`): toolbar buttons,
 * keyboard shortcuts, the command palette, the right-click menus and the native menu's AppEvents
 * all run these, so each does the same thing from everywhere. A feature's commands are one more
 * `registerCommands(...)` line below.
 */
import type { MenuCommand } from '../../shared/ipc.ts';
import { redo, undo, useApp } from '../store/index.ts';
import { fitView, nodeSizes } from '../canvas/viewport.ts';
import { layoutPositions } from '../canvas/auto-layout.ts';
import { exportPython, exportSql, importPython, newFile, openFile, openRecent, saveFile, saveFileAs } from './files.ts';
import { cancelRun, confirmApply, startRun } from './runs.ts';
import { copySelection, cutSelection, pasteClipboard } from './edit.ts';
import { key, registerCommands, runCommand, type CommandDef } from './registry.ts';
import { NODE_COMMANDS } from './node-commands.ts';
import { VIEW_COMMANDS } from './view-commands.ts';
import { FIND_COMMANDS } from '../find/find-commands.ts';
import { PANEL_COMMANDS } from './panels.ts';
import { GROUP_COMMANDS } from '../groups/group-commands.ts';
import { NOTE_COMMANDS } from '../notes/note-commands.ts';
import { deleteSelection } from '../groups/commands.ts';

export { runCommand } from './registry.ts';
/** A command id (the registry's; the native menu's are some of them). */
export type Command = string;

async function autoLayout(): Promise<void> {
  const s = useApp.getState();
  if (s.doc.nodes.length === 0) return;
  const positions = await layoutPositions(s.doc, nodeSizes());
  useApp.getState().moveNodes(positions);
  requestAnimationFrame(() => fitView());
}

const noSelection = () => (useApp.getState().selection.nodes.length === 0 ? 'Select nodes first' : null);
const runBusy = () => {
  const phase = useApp.getState().run.phase;
  return phase === 'starting' || phase === 'running' ? 'A run is going: wait for it, or cancel it' : null;
};
const noTarget = () =>
  runBusy() ?? (useApp.getState().connectionId ? null : 'Choose a connection in the toolbar first');

const FILE: CommandDef[] = [
  {
    id: 'file.new',
    title: 'New workflow',
    group: 'File',
    keys: 'Mod+N',
    match: key('n'),
    inFields: true,
    run: newFile,
  },
  { id: 'file.open', title: 'Open…', group: 'File', keys: 'Mod+O', match: key('o'), inFields: true, run: openFile },
  {
    id: 'file.save',
    title: 'Save',
    group: 'File',
    keys: 'Mod+S',
    match: key('s'),
    inFields: true,
    inDialogs: true,
    run: saveFile,
  },
  {
    id: 'file.saveAs',
    title: 'Save as…',
    group: 'File',
    keys: 'Mod+Shift+S',
    match: key('s', { shift: true }),
    inFields: true,
    run: saveFileAs,
  },
  {
    id: 'file.importPython',
    title: 'Import Kailash Python…',
    group: 'File',
    keys: 'Mod+I',
    match: key('i'),
    inFields: true,
    run: importPython,
  },
  {
    id: 'file.exportPython',
    title: 'Export Python',
    group: 'File',
    keys: 'Mod+E',
    match: key('e'),
    inFields: true,
    run: exportPython,
  },
  {
    id: 'file.exportSql',
    title: 'Export SQL',
    group: 'File',
    keys: 'Mod+Shift+E',
    match: key('e', { shift: true }),
    inFields: true,
    run: exportSql,
  },
];

const EDIT: CommandDef[] = [
  {
    id: 'edit.undo',
    title: 'Undo',
    group: 'Edit',
    keys: 'Mod+Z',
    match: key('z'),
    inInspector: true,
    run: () => undo(),
  },
  {
    id: 'edit.redo',
    title: 'Redo',
    group: 'Edit',
    keys: 'Mod+Shift+Z / Mod+Y',
    match: (e, mod) => key('z', { shift: true })(e, mod) || key('y')(e, mod),
    inInspector: true,
    run: () => redo(),
  },
  // The keys of copy, cut and paste reach edit.ts as clipboard events, so that the system clipboard carries them.
  {
    id: 'edit.copy',
    title: 'Copy nodes (as workflow JSON)',
    group: 'Edit',
    keys: 'Mod+C',
    unavailable: noSelection,
    run: () => void copySelection(),
  },
  { id: 'edit.cut', title: 'Cut nodes', group: 'Edit', keys: 'Mod+X', unavailable: noSelection, run: cutSelection },
  {
    id: 'edit.paste',
    title: 'Paste nodes (also from another file)',
    group: 'Edit',
    keys: 'Mod+V',
    run: () => pasteClipboard(),
  },
  {
    id: 'edit.duplicate',
    title: 'Duplicate',
    group: 'Edit',
    keys: 'Mod+D',
    match: key('d'),
    unavailable: noSelection,
    run: () => useApp.getState().duplicateSelection(),
  },
  {
    id: 'edit.selectAll',
    title: 'Select all',
    group: 'Edit',
    keys: 'Mod+A',
    match: key('a'),
    run: () => useApp.getState().selectAll(),
  },
  {
    id: 'edit.delete',
    title: 'Delete selection',
    group: 'Edit',
    keys: 'Delete / Backspace',
    match: (e, mod) => !mod && (e.key === 'Delete' || e.key === 'Backspace'),
    unavailable: () => {
      const { selection, annotation } = useApp.getState();
      return selection.nodes.length + selection.edges.length === 0 && !annotation
        ? 'Select nodes, connections, a note or a group first'
        : null;
    },
    run: deleteSelection,
  },
];

const RUN: CommandDef[] = [
  {
    id: 'run.plan',
    title: 'Plan',
    group: 'Run',
    keys: 'Mod+Enter',
    match: (e, mod) => mod && !e.shiftKey && e.key === 'Enter',
    inFields: true,
    unavailable: noTarget,
    run: () => startRun('plan'),
  },
  {
    id: 'run.rehearse',
    title: 'Rehearse',
    group: 'Run',
    keys: 'Mod+Shift+Enter',
    match: (e, mod) => mod && e.shiftKey && e.key === 'Enter',
    inFields: true,
    unavailable: noTarget,
    run: () => startRun('rehearse'),
  },
  { id: 'run.apply', title: 'Apply…', group: 'Run', unavailable: noTarget, run: confirmApply },
  {
    id: 'run.cancel',
    title: 'Cancel the run',
    group: 'Run',
    unavailable: () => (runBusy() ? null : 'No run is going'),
    run: cancelRun,
  },
];

const LAYOUT: CommandDef[] = [
  {
    id: 'view.fit',
    title: 'Fit view',
    group: 'View',
    keys: 'Shift+1',
    match: (e, mod) => !mod && e.shiftKey && e.code === 'Digit1',
    run: fitView,
  },
  {
    id: 'view.layout',
    title: 'Automatic layout',
    group: 'View',
    keys: 'Mod+Shift+L',
    match: key('l', { shift: true }),
    run: autoLayout,
  },
  {
    id: 'view.shortcuts',
    title: 'Keyboard shortcuts',
    group: 'View',
    keys: '?',
    match: (e, mod) => !mod && e.key === '?',
    run: () => useApp.getState().openDialog({ kind: 'shortcuts' }),
  },
];

registerCommands([
  ...FILE,
  ...EDIT,
  ...GROUP_COMMANDS,
  ...NOTE_COMMANDS,
  ...RUN,
  ...NODE_COMMANDS,
  ...LAYOUT,
  ...PANEL_COMMANDS,
  ...VIEW_COMMANDS,
  ...FIND_COMMANDS,
]);

/** A native menu command (Electron); Open Recent carries the file's path. */
export function runMenuCommand(command: MenuCommand, path?: string): void {
  if (command === 'file.openRecent') {
    if (path) openRecent(path);
    else runCommand('file.open');
  } else runCommand(command);
}
