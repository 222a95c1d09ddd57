/** Whether the command palette (Mod+K) is open. */
import { create } from 'zustand';

export const usePaletteOpen = create<{ open: boolean }>()(() => ({ open: false }));

export function setPaletteOpen(open: boolean): void {
  usePaletteOpen.setState({ open });
}
