/** The commands that show and hide parts of the window: the side and bottom panels, the pop-outs, the minimap. */
import { useRoom } from '../layout/room.ts';
import { useApp } from '../store/index.ts';
import { popOut } from '../popout/popout-host.ts';
import { key, type CommandDef } from './registry.ts';

export const PANEL_COMMANDS: CommandDef[] = [
  {
    id: 'view.toggleLeft',
    title: 'Show or hide the palette and schema',
    group: 'View',
    keys: 'Mod+B',
    match: key('b'),
    inFields: true,
    run: () => useRoom.getState().togglePanel('left'),
  },
  {
    id: 'view.toggleRight',
    title: 'Show or hide the inspector and SQL preview',
    group: 'View',
    keys: 'Mod+Alt+B',
    match: (e, mod) => mod && e.altKey && !e.shiftKey && e.code === 'KeyB',
    inFields: true,
    run: () => useRoom.getState().togglePanel('right'),
  },
  {
    id: 'view.toggleBottom',
    title: 'Show or hide the run panels',
    group: 'View',
    keys: 'Mod+J',
    match: key('j'),
    inFields: true,
    run: () => useRoom.getState().togglePanel('bottom'),
  },
  {
    id: 'view.popOutSql',
    title: 'Pop out the SQL preview (a window of its own, kept in step)',
    group: 'View',
    run: () => popOut('sql'),
  },
  {
    id: 'view.popOutDiff',
    title: 'Pop out the schema diff (a window of its own, kept in step)',
    group: 'View',
    run: () => popOut('diff'),
  },
  // Mod+Shift+M adds a sticky note (groups/commands.ts): the minimap's toggle has no keys of its own.
  {
    id: 'view.toggleMinimap',
    title: 'Show or hide the minimap',
    group: 'View',
    run: () => useApp.getState().toggleMinimap(),
  },
];
