/** The commands that show things: the command palette, the panels' tabs, the grid, connections. */
import { useApp } from '../store/index.ts';
import type { BottomTab, RightTab } from '../store/ui-slice.ts';
import { setPaletteOpen } from '../palette/palette-state.ts';
import { refreshPreview } from './runs.ts';
import { offerDemo } from './demo.ts';
import { key, type CommandDef } from './registry.ts';

const RIGHT: [RightTab, string][] = [
  ['inspector', 'Inspector'],
  ['sql', 'SQL preview'],
];
const BOTTOM: [BottomTab, string][] = [
  ['run', 'Run'],
  ['execution', 'Execution'],
  ['diff', 'Diff'],
  ['metrics', 'Metrics'],
  ['history', 'History'],
];

/** Shows a panel's tab and moves the keyboard focus to it. */
function showTab(set: () => void, tab: string): void {
  set();
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="tab-${tab}"]`)?.focus());
}

export const VIEW_COMMANDS: CommandDef[] = [
  {
    id: 'view.palette',
    title: 'Command palette',
    group: 'View',
    keys: 'Mod+K',
    match: key('k'),
    inFields: true,
    run: () => setPaletteOpen(true),
  },
  ...RIGHT.map(([tab, title]): CommandDef => ({
    id: `view.panel.${tab}`,
    title: `Show the ${title} panel`,
    group: 'View',
    run: () =>
      showTab(() => {
        useApp.getState().setRightTab(tab);
        if (tab === 'sql') void refreshPreview();
      }, tab),
  })),
  ...BOTTOM.map(([tab, title]): CommandDef => ({
    id: `view.panel.${tab}`,
    title: `Show the ${title} panel`,
    group: 'View',
    run: () => showTab(() => useApp.getState().setBottomTab(tab), tab),
  })),
  { id: 'view.snap', title: 'Snap to grid on / off', group: 'View', run: () => useApp.getState().toggleSnap() },
  {
    id: 'connection.manage',
    title: 'Connections…',
    group: 'Connection',
    run: () => useApp.getState().openDialog({ kind: 'connections' }),
  },
  { id: 'connection.demo', title: 'Create or recreate the demo database', group: 'Connection', run: offerDemo },
  {
    id: 'run.fleet',
    title: 'Fleet: run on many connections…',
    group: 'Run',
    run: () => useApp.getState().openDialog({ kind: 'fleet' }),
  },
];
