/** The command palette (Mod+K): every command of the registry with its shortcut; type to filter, Enter runs. */
import { useEffect, useMemo } from 'react';
import { allCommands, runCommand, shortcutLabel } from '../commands/registry.ts';
import { PickList, type PickItem } from './PickList.tsx';
import { setPaletteOpen, usePaletteOpen } from './palette-state.ts';

function Palette() {
  // Read when it opens: which commands are available depends on the selection and the run.
  const items = useMemo<PickItem[]>(
    () =>
      allCommands().map((c) => ({
        id: c.id,
        text: c.title,
        detail: c.group,
        keys: c.keys && shortcutLabel(c.keys),
        unavailable: c.unavailable?.() ?? null,
      })),
    [],
  );
  useEffect(() => {
    const back = document.activeElement as HTMLElement | null;
    return () => back?.focus?.();
  }, []);
  const close = () => setPaletteOpen(false);
  return (
    <div className="modal-backdrop palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="command-palette" role="dialog" aria-modal="true" aria-label="Command palette">
        <PickList
          items={items}
          label="Command"
          placeholder="Type a command…"
          testId="command-palette"
          onClose={close}
          onPick={(id) => {
            close();
            runCommand(id);
          }}
        />
      </div>
    </div>
  );
}

export function CommandPalette() {
  const open = usePaletteOpen((s) => s.open);
  return open ? <Palette /> : null;
}
