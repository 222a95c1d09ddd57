/**
 * The bar between a panel and the canvas (the WAI-ARIA window splitter): drag it to resize the
 * panel, arrows move it (Shift: further), Home and End take the smallest and largest size, Enter
 * or a double-click collapses and restores the panel. Sizes are kept in the room (room.ts).
 */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { PanelId } from '../../shared/ui-settings.ts';
import { clampSize, keyedSize, maxSize, type Room } from './panel-sizes.ts';
import { useRoom } from './room.ts';

const NAMES: Record<PanelId, string> = {
  left: 'palette and schema',
  right: 'inspector and SQL preview',
  bottom: 'run panels',
};

/** The space the panel shares with the canvas, measured now (the window may have been resized). */
function measureRoom(el: HTMLElement, panel: PanelId): Room {
  const main = el.closest('.layout-main')!.getBoundingClientRect();
  const centre = el.closest('.layout-centre')?.getBoundingClientRect();
  const panels = useRoom.getState().panels;
  const other = panel === 'left' ? panels.right : panels.left;
  return { width: main.width, height: centre?.height ?? main.height, otherSide: other.collapsed ? 0 : other.size };
}

/** The panel's size as drawn (the execution view draws the bottom panel taller than its default size). */
function shownSize(panel: PanelId, collapsed: boolean): number {
  const box = document.getElementById(`panel-${panel}`)?.getBoundingClientRect();
  if (collapsed || !box) return 0;
  return Math.round(panel === 'bottom' ? box.height : box.width);
}

export function Splitter({ panel }: { panel: PanelId }) {
  const { size, collapsed } = useRoom((s) => s.panels[panel]);
  const ref = useRef<HTMLDivElement>(null);
  const drag = useRef<{ start: number; size: number; room: Room } | null>(null);
  const vertical = panel !== 'bottom';
  const coordinate = (e: PointerEvent) => (vertical ? e.clientX : e.clientY);
  // Moving the pointer right grows the left panel; left grows the right one; up grows the bottom one.
  const sign = panel === 'left' ? 1 : -1;

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    drag.current = {
      start: coordinate(e),
      size: shownSize(panel, collapsed),
      room: measureRoom(e.currentTarget, panel),
    };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    const wanted = d.size + sign * (coordinate(e) - d.start);
    useRoom.getState().resizePanel(panel, clampSize(panel, wanted, d.room));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      useRoom.getState().togglePanel(panel);
      return;
    }
    const next = keyedSize(panel, shownSize(panel, collapsed), e.key, e.shiftKey, measureRoom(e.currentTarget, panel));
    if (next === null) return;
    e.preventDefault();
    useRoom.getState().resizePanel(panel, next);
  };
  const max = ref.current ? maxSize(panel, measureRoom(ref.current, panel)) : undefined;

  return (
    <div
      ref={ref}
      role="separator"
      tabIndex={0}
      aria-orientation={vertical ? 'vertical' : 'horizontal'}
      aria-label={`Resize the ${NAMES[panel]}`}
      aria-controls={`panel-${panel}`}
      aria-valuenow={collapsed ? 0 : size}
      aria-valuemin={0}
      aria-valuemax={max}
      data-collapsed={collapsed ? 'true' : undefined}
      title="Drag to resize; double-click or Enter to collapse or restore"
      className={`splitter splitter-${panel}${collapsed ? ' collapsed' : ''}`}
      data-testid={`splitter-${panel}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => useRoom.getState().togglePanel(panel)}
      onKeyDown={onKeyDown}
    />
  );
}
