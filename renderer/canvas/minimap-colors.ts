/** The minimap's colours: each node in its category's colour, outlined in its run status's colour (theme.css properties). */
import { nodeDescription } from '../../shared/nodes/index.ts';
import type { LiveStatus } from '../store/run-slice.ts';

const STATUS: Record<LiveStatus, string> = {
  waiting: 'var(--waiting)',
  running: 'var(--accent)',
  succeeded: 'var(--ok)',
  failed: 'var(--danger)',
  rolled_back: 'var(--warn)',
  cancelled: 'var(--warn)',
  skipped: 'var(--edge)',
  not_run: 'var(--edge)',
};

export function minimapFill(type: string): string {
  return `var(--cat-${nodeDescription(type)?.category ?? 'Code'})`;
}

/** The outline: the run status's colour, else the accent for a selected node, else none. */
export function minimapStroke(status: LiveStatus | undefined, selected: boolean): string {
  if (status) return STATUS[status];
  return selected ? 'var(--accent)' : 'transparent';
}
