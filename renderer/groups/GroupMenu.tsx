/**
 * A group's menu (its ⋯ button, or a right click on its frame): Plan, Rehearse or Apply… the
 * group's nodes only, rename, collapse or expand, ungroup (the nodes stay).
 */
import { useCallback, useEffect, useRef } from 'react';
import type { RunMode } from '../../shared/run.ts';
import { useApp } from '../store/index.ts';
import { useBlocked, useDismiss } from '../nodes/NodeRunMenu.tsx';
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
  const blocked = useBlocked();
  const ref = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  useDismiss(ref, onClose);
  useEffect(() => first.current?.focus(), []);
  if (!group) return null;
  const s = useApp.getState;
  const item = (label: string, testId: string, action: () => void) => (
    <button
      type="button"
      role="menuitem"
      className="node-menu-wide"
      data-testid={testId}
      onClick={() => {
        onClose();
        action();
      }}
    >
      {label}
    </button>
  );
  return (
    <div ref={ref} className="node-context-menu" style={{ left: x, top: y }}>
      <div
        className="node-menu"
        role="menu"
        aria-label={`Group ${group.name}`}
        data-testid={`group-menu-${group.id}`}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
        <div role="group" aria-label="Run this group only" className="node-menu-group">
          <div className="node-menu-label" aria-hidden="true">
            Run this group only ({group.nodes.length} node{group.nodes.length === 1 ? '' : 's'})
          </div>
          {MODES.map(([mode, label]) => (
            <button
              key={mode}
              ref={mode === 'plan' ? first : undefined}
              type="button"
              role="menuitem"
              aria-label={`Run this group only: ${label.replace('…', '')}`}
              data-testid={`group-run-${mode}`}
              disabled={(mode === 'apply' ? blocked.apply : blocked.any) !== null}
              title={(mode === 'apply' ? blocked.apply : blocked.any) ?? undefined}
              onClick={() => {
                onClose();
                runGroup(group.id, mode);
              }}
            >
              {label}
            </button>
          ))}
        </div>
        {item('Rename…', 'group-rename', () => s().setRenamingGroup(group.id))}
        {item(group.collapsed ? 'Expand' : 'Collapse', 'group-collapse', () =>
          s().setGroupCollapsed(group.id, !group.collapsed),
        )}
        {item('Ungroup (keep the nodes)', 'group-ungroup', () => s().ungroup(group.id))}
      </div>
    </div>
  );
}
