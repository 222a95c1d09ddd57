/** The note and group commands as the registry lists them (their actions: commands.ts). */
import { key, type CommandDef } from '../commands/registry.ts';
import { addNoteHere, groupSelection, ungroupSelection } from './commands.ts';

export const GROUP_COMMANDS: CommandDef[] = [
  {
    id: 'edit.group',
    title: 'Group the selected nodes',
    group: 'Group',
    keys: 'Mod+G',
    match: key('g'),
    run: groupSelection,
  },
  {
    id: 'edit.ungroup',
    title: 'Ungroup',
    group: 'Group',
    keys: 'Mod+Shift+G',
    match: key('g', { shift: true }),
    run: ungroupSelection,
  },
  {
    id: 'edit.addNote',
    title: 'Add a sticky note',
    group: 'Group',
    keys: 'Mod+Shift+M',
    match: key('m', { shift: true }),
    run: addNoteHere,
  },
];
