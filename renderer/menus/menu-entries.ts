/**
 * What each right-click menu lists. Commands come from the registry (their title, keys and
 * availability), acting on the selection, which the right click has set; the actions at the
 * clicked point (add a node here, paste here, insert a node into this connection) are local.
 */
import { command, runCommand, shortcutLabel } from '../commands/registry.ts';
import { pasteClipboard } from '../commands/edit.ts';
import { useApp } from '../store/index.ts';
import type { MenuEntry } from './Menu.tsx';
import { useOverlay, type Anchor } from './overlay-state.ts';
import { ANNOTATION_COLORS } from '../../shared/workflow.ts';
import { NOTE_COLOR_NAMES } from '../notes/note-commands.ts';

/** The registry's command `id` as a menu item; `label` when the menu words it shorter. */
export function fromCommand(id: string, label?: string): MenuEntry {
  const def = command(id);
  if (!def) throw new Error(`no command ${id}`);
  return {
    kind: 'item',
    id,
    label: label ?? def.title,
    ...(label ? { ariaLabel: def.title } : {}),
    ...(def.keys ? { keys: shortcutLabel(def.keys.split(' / ')[0]!) } : {}),
    unavailable: def.unavailable?.() ?? null,
    run: () => runCommand(id),
  };
}

const local = (id: string, label: string, run: () => void): MenuEntry => ({
  kind: 'item',
  id,
  label,
  unavailable: null,
  run,
});

/** Run from here and Run this node only, each as Plan, Rehearse or Apply… (the execution view's Run menu too). */
export function nodeRunEntries(): MenuEntry[] {
  return (['from', 'only'] as const).flatMap((part): MenuEntry[] => [
    { kind: 'heading', label: part === 'from' ? 'Run from here' : 'Run this node only' },
    fromCommand(`node.run.${part}.plan`, 'Plan'),
    fromCommand(`node.run.${part}.rehearse`, 'Rehearse'),
    fromCommand(`node.run.${part}.apply`, 'Apply…'),
  ]);
}

export function nodeEntries(nodeId: string): MenuEntry[] {
  const disabled = useApp.getState().doc.nodes.find((n) => n.id === nodeId)?.disabled === true;
  return [
    ...nodeRunEntries(),
    { kind: 'separator' },
    fromCommand('edit.duplicate'),
    fromCommand('node.toggleDisabled', disabled ? 'Enable' : 'Disable'),
    fromCommand('edit.delete', 'Delete'),
    { kind: 'separator' },
    fromCommand('node.showSql', 'Show SQL'),
    fromCommand('node.showExecution', 'Show execution'),
  ];
}

export function noteEntries(noteId: string): MenuEntry[] {
  const color = useApp.getState().doc.notes.find((n) => n.id === noteId)?.color ?? 'yellow';
  return [
    fromCommand('note.edit', 'Edit'),
    { kind: 'heading', label: 'Colour' },
    ...ANNOTATION_COLORS.map((c) =>
      fromCommand(`note.color.${c}`, `${c === color ? '✓' : '\u2003'} ${NOTE_COLOR_NAMES[c]}`),
    ),
    { kind: 'separator' },
    fromCommand('note.toFront', 'Bring to front'),
    fromCommand('note.delete', 'Delete'),
  ];
}

export function edgeEntries(edgeId: string, anchor: Anchor): MenuEntry[] {
  return [
    local('edge.insert', 'Insert a node…', () => useOverlay.getState().openSearch({ kind: 'split', edgeId }, anchor)),
    fromCommand('edit.delete', 'Delete'),
  ];
}

export function canvasEntries(anchor: Anchor): MenuEntry[] {
  return [
    local('canvas.addHere', 'Add node here…', () => useOverlay.getState().openSearch({ kind: 'none' }, anchor)),
    local('canvas.pasteHere', 'Paste here', () => void pasteClipboard(anchor.at)),
    fromCommand('edit.selectAll'),
    fromCommand('view.layout'),
    { kind: 'separator' },
    fromCommand('view.fit'),
    fromCommand('view.palette', 'Command palette…'),
  ];
}
