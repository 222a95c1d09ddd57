/**
 * Whether the canvas has room for the minimap: below MINIMAP_ROOM it would cover the cards the
 * user works on, so it is hidden on its own (as VS Code hides its minimap in a narrow editor);
 * the user's own hide choice applies at every size.
 */
import { useEffect, useState, type RefObject } from 'react';

/** The smallest canvas the minimap (160x110 in its corner) is shown on. */
export const MINIMAP_ROOM = { width: 720, height: 440 };

export function hasMinimapRoom(size: { width: number; height: number }): boolean {
  return size.width >= MINIMAP_ROOM.width && size.height >= MINIMAP_ROOM.height;
}

/** Follows the element's size; true while it has room for the minimap. */
export function useMinimapRoom(ref: RefObject<HTMLElement | null>): boolean {
  const [room, setRoom] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() =>
      setRoom(hasMinimapRoom({ width: el.clientWidth, height: el.clientHeight })),
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return room;
}
