/** The find commands: Mod+F opens the find bar, F3 / Shift+F3 move to the next / previous hit. */
import type { CommandDef } from '../commands/registry.ts';
import { currentHits, moveHit, openFind } from './find-state.ts';

const noHits = () => (currentHits().length > 0 ? null : 'Nothing found: type a query in Find first');

export const FIND_COMMANDS: CommandDef[] = [
  {
    id: 'find.open',
    title: 'Find nodes (id, type, table, column, SQL)',
    group: 'Find',
    keys: 'Mod+F',
    match: (e, mod) => mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'f',
    inFields: true,
    run: openFind,
  },
  {
    id: 'find.next',
    title: 'Next hit',
    group: 'Find',
    keys: 'F3 / Enter',
    match: (e, mod) => !mod && !e.shiftKey && e.key === 'F3',
    inFields: true,
    unavailable: noHits,
    run: () => moveHit(1),
  },
  {
    id: 'find.previous',
    title: 'Previous hit',
    group: 'Find',
    keys: 'Shift+F3 / Shift+Enter',
    match: (e, mod) => !mod && e.shiftKey && e.key === 'F3',
    inFields: true,
    unavailable: noHits,
    run: () => moveHit(-1),
  },
];
