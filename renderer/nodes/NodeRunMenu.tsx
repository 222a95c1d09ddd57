/**
 * A node's run actions as a menu: Run from here and Run this node only, each as Plan, Rehearse or
 * Apply… (same preflight and confirmation as a whole run), and What it did (its execution view).
 * Shown on a right click on the node's card and from the execution view's Run button.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { RunMode } from '../../shared/run.ts';
import { runPart, showExecution, type NodePart } from '../commands/node-runs.ts';
import { useApp } from '../store/index.ts';

const MODES: [RunMode, string][] = [
  ['plan', 'Plan'],
  ['rehearse', 'Rehearse'],
  ['apply', 'Apply…'],
];
const PARTS: [NodePart, string][] = [
  ['from', 'Run from here'],
  ['only', 'Run this node only'],
];

/** Why runs of part of the workflow are not offered now (a run going, no connection, read-only), or null. */
export function useBlocked(): { any: string | null; apply: string | null } {
  const phase = useApp((s) => s.run.phase);
  const conn = useApp((s) => s.connections.find((c) => c.id === s.connectionId));
  const any =
    phase === 'starting' || phase === 'running'
      ? 'A run is going: wait for it, or cancel it'
      : conn
        ? null
        : 'Choose a connection in the toolbar first';
  return { any, apply: any ?? (conn?.readOnly ? `${conn.name} is read-only: apply is disabled on it` : null) };
}

export function NodeRunItems({
  nodeId,
  onDone,
  withExecution = false,
}: {
  nodeId: string;
  onDone: () => void;
  /** Offer "What it did" (the execution view) too. */
  withExecution?: boolean;
}) {
  const blocked = useBlocked();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      className="node-menu"
      role="menu"
      aria-label={`Run ${nodeId}`}
      data-testid={`node-menu-${nodeId}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
    >
      {PARTS.map(([part, label], p) => (
        <div key={part} role="group" aria-label={label} className="node-menu-group">
          <div className="node-menu-label" aria-hidden="true">
            {label}
          </div>
          {MODES.map(([mode, modeLabel], m) => {
            const reason = mode === 'apply' ? blocked.apply : blocked.any;
            return (
              <button
                key={mode}
                ref={p === 0 && m === 0 ? first : undefined}
                type="button"
                role="menuitem"
                aria-label={`${label}: ${modeLabel.replace('…', '')}`}
                data-testid={`node-run-${part}-${mode}`}
                disabled={reason !== null}
                title={reason ?? undefined}
                onClick={() => {
                  onDone();
                  runPart(nodeId, part, mode);
                }}
              >
                {modeLabel}
              </button>
            );
          })}
        </div>
      ))}
      {withExecution && (
        <button
          type="button"
          role="menuitem"
          className="node-menu-wide"
          data-testid="node-menu-execution"
          onClick={() => {
            onDone();
            showExecution(nodeId);
          }}
        >
          What it did (execution view)
        </button>
      )}
    </div>
  );
}

/** Calls `onClose` on a mouse press outside `ref`. */
export function useDismiss(ref: RefObject<HTMLElement | null>, onClose: () => void): void {
  useEffect(() => {
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [ref, onClose]);
}

/** The menu at a point of the window (a right click on a card); closes on a click elsewhere or Escape. */
export function NodeContextMenu({
  nodeId,
  x,
  y,
  onClose,
}: {
  nodeId: string;
  x: number;
  y: number;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useDismiss(ref, onClose);
  return (
    <div ref={ref} className="node-context-menu" style={{ left: x, top: y }}>
      <NodeRunItems nodeId={nodeId} onDone={onClose} withExecution />
    </div>
  );
}

/** A "Run ▾" button that opens the node's run actions below it. */
export function NodeRunButton({ nodeId }: { nodeId: string }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const ref = useRef<HTMLSpanElement>(null);
  useDismiss(ref, close);
  return (
    <span className="node-run-button" ref={ref}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid={`node-run-button-${nodeId}`}
        onClick={() => setOpen((o) => !o)}
      >
        Run {nodeId} ▾
      </button>
      {open && (
        <div className="node-run-popover">
          <NodeRunItems nodeId={nodeId} onDone={close} />
        </div>
      )}
    </span>
  );
}
