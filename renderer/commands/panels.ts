/** The commands that show and hide parts of the window: the side and bottom panels, the minimap. */
import { useRoom } from '../layout/room.ts';
import { useApp } from '../store/index.ts';

export type PanelCommand = 'view.toggleLeft' | 'view.toggleRight' | 'view.toggleBottom' | 'view.toggleMinimap';

export const PANEL_HANDLERS: Record<PanelCommand, () => void> = {
  'view.toggleLeft': () => useRoom.getState().togglePanel('left'),
  'view.toggleRight': () => useRoom.getState().togglePanel('right'),
  'view.toggleBottom': () => useRoom.getState().togglePanel('bottom'),
  'view.toggleMinimap': () => useApp.getState().toggleMinimap(),
};

export const PANEL_TITLES: Record<PanelCommand, string> = {
  'view.toggleLeft': 'Show or hide the palette and schema',
  'view.toggleRight': 'Show or hide the inspector and SQL preview',
  'view.toggleBottom': 'Show or hide the run panels',
  'view.toggleMinimap': 'Show or hide the minimap',
};
