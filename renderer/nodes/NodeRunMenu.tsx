/**
 * The execution view's "Run <node> ▾" button: the node's run actions (Run from here, Run this node
 * only, each as Plan, Rehearse or Apply…) in the one menu component, as in its right-click menu.
 */
import { useCallback, useState } from 'react';
import { Menu } from '../menus/Menu.tsx';
import { nodeRunEntries } from '../menus/menu-entries.ts';

export function NodeRunButton({ nodeId }: { nodeId: string }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  return (
    <span className="node-run-button">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid={`node-run-button-${nodeId}`}
        onMouseDown={(e) => open && e.stopPropagation()}
        onClick={() => setOpen((o) => !o)}
      >
        Run {nodeId} ▾
      </button>
      {open && (
        <div className="node-run-popover">
          <Menu label={`Run ${nodeId}`} entries={nodeRunEntries()} testId={`node-menu-${nodeId}`} onClose={close} />
        </div>
      )}
    </span>
  );
}
