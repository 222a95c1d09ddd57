/**
 * A group's menu (its ⋯ button, or a right click on its frame), in the one menu component: Plan,
 * Rehearse or Apply… the group's nodes only, rename, collapse or expand, ungroup (the nodes stay).
 */
import { useCallback } from 'react';
import type { RunMode } from '../../shared/run.ts';
import { useApp } from '../store/index.ts';
import { Menu, type MenuEntry } from '../menus/Menu.tsx';
import { partRunBlocked } from '../commands/node-commands.ts';
import { runGroup } from './group-runs.ts';

const MODES: [RunMode, string][] = [
  ['plan', 'Plan'],
  ['rehearse', 'Rehearse'],
  ['apply', 'Apply…'],
];

/** The open group menu, above every card (the store's `groupMenu`). */
export function GroupMenu() {
  const menu = useApp((s) => s.groupMenu);
  return menu ? <GroupMenuAt key={menu.id} groupId={menu.id} x={menu.x} y={menu.y} /> : null;
}

function GroupMenuAt({ groupId, x, y }: { groupId: string; x: number; y: number }) {
  const group = useApp((s) => s.doc.groups.find((g) => g.id === groupId));
  const onClose = useCallback(() => useApp.getState().openGroupMenu(null), []);
  if (!group) return null;
  const s = useApp.getState;
  const item = (id: string, label: string, run: () => void, unavailable: string | null = null): MenuEntry => ({
    kind: 'item',
    id,
    testId: id,
    label,
    unavailable,
    run,
  });
  const n = group.nodes.length;
  const entries: MenuEntry[] = [
    { kind: 'heading', label: `Run this group only (${n} node${n === 1 ? '' : 's'})` },
    ...MODES.map(([mode, label]) => ({
      ...item(`group-run-${mode}`, label, () => runGroup(group.id, mode), partRunBlocked(mode)),
      ariaLabel: `Run this group only: ${label.replace('…', '')}`,
    })),
    { kind: 'separator' },
    item('group-rename', 'Rename…', () => s().setRenamingGroup(group.id)),
    item('group-collapse', group.collapsed ? 'Expand' : 'Collapse', () =>
      s().setGroupCollapsed(group.id, !group.collapsed),
    ),
    item('group-ungroup', 'Ungroup (keep the nodes)', () => s().ungroup(group.id)),
  ];
  return (
    <Menu
      label={`Group ${group.name}`}
      entries={entries}
      testId={`group-menu-${group.id}`}
      onClose={onClose}
      at={{ x, y }}
    />
  );
}
