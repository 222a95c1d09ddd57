/** The node cards' level of detail: zoomed far out their text is unreadable, so it is not drawn. */
import type { ReactFlowState } from '@xyflow/react';

/** Below this zoom card text is under 5 px: it is not drawn (NodeCard.tsx, styles.css), nor is the dot grid. */
export const FAR_ZOOM = 0.35;

/** React Flow store selector: a boolean, so that a subscriber re-renders only when the zoom crosses FAR_ZOOM. */
export const zoomedOut = (s: ReactFlowState): boolean => s.transform[2] < FAR_ZOOM;
