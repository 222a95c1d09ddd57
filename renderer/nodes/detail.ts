/**
 * The node cards' level of detail: zoomed far out their text is unreadable, so it is not drawn;
 * the card shows its category colour and its id in large type (styles.css `.node-far-id`), and
 * further out, where even that is unreadable, its category colour alone.
 */
import type { ReactFlowState } from '@xyflow/react';

/** Below this zoom card text is under 5 px: it is not drawn (NodeCard.tsx, styles.css), nor is the dot grid. */
export const FAR_ZOOM = 0.35;

/** React Flow store selector: a boolean, so that a subscriber re-renders only when the zoom crosses FAR_ZOOM. */
export const zoomedOut = (s: ReactFlowState): boolean => s.transform[2] < FAR_ZOOM;

/** Below this zoom the large id of a zoomed-out card is under 6 px: it is not drawn either. */
export const ID_ZOOM = 0.2;

/** React Flow store selector: true below ID_ZOOM (a boolean, as zoomedOut). */
export const idsHidden = (s: ReactFlowState): boolean => s.transform[2] < ID_ZOOM;
