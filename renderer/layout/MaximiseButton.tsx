/** The button at the end of a panel's tabs that lets the SQL preview or the diff take the whole main area (Escape restores). */
import { useEffect } from 'react';
import { useRoom, type Maximisable } from './room.ts';

const NAMES: Record<Maximisable, string> = { sql: 'SQL preview', diff: 'diff' };

export function MaximiseButton({ panel }: { panel: Maximisable }) {
  const on = useRoom((s) => s.maximised === panel);
  // Another tab chosen: the panel is no longer shown, so it gives the room back.
  useEffect(
    () => () => {
      if (useRoom.getState().maximised === panel) useRoom.getState().toggleMaximised(panel);
    },
    [panel],
  );
  useEffect(() => {
    if (!on) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      useRoom.getState().toggleMaximised(panel);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [on, panel]);
  return (
    <button
      type="button"
      className="tab-action"
      aria-pressed={on}
      title={on ? `Restore the ${NAMES[panel]} (Escape)` : `Maximise the ${NAMES[panel]} to the full width`}
      aria-label={on ? `Restore the ${NAMES[panel]}` : `Maximise the ${NAMES[panel]}`}
      data-testid={`maximise-${panel}`}
      onClick={() => useRoom.getState().toggleMaximised(panel)}
    >
      {on ? '⤡' : '⤢'}
    </button>
  );
}
