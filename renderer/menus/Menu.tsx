/**
 * The one menu component: the right-click menus of nodes, connections and the canvas, and the
 * execution view's Run menu. ARIA menu; Up / Down / Home / End move, Enter or Space runs, Escape
 * or Tab or a click elsewhere closes; the first item takes the focus.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import './menus.css';

export type MenuEntry =
  | {
      kind: 'item';
      /** The command id (or a local id) it runs; `menu-item-<id>` is its test id unless `testId` says. */
      id: string;
      testId?: string;
      label: string;
      /** The full name for screen readers, when the label leans on its heading ("Plan" under "Run from here"). */
      ariaLabel?: string;
      keys?: string;
      /** Why it cannot run now (greyed, the reason as its tooltip), or null. */
      unavailable: string | null;
      run: () => void;
    }
  | { kind: 'heading'; label: string }
  | { kind: 'separator' };

/** Calls `onClose` on a mouse press outside `ref`. */
export function useDismiss(ref: React.RefObject<HTMLElement | null>, onClose: () => void): void {
  useEffect(() => {
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [ref, onClose]);
}

export function Menu({
  label,
  entries,
  testId,
  onClose,
  at,
}: {
  label: string;
  entries: readonly MenuEntry[];
  testId: string;
  onClose: () => void;
  /** A point of the window (a right click); absent: laid out where it is put (a popover). */
  at?: { x: number; y: number };
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState(at);
  useDismiss(ref, onClose);
  // Keep the menu inside the window.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!at || !el) return;
    const r = el.getBoundingClientRect();
    setPos({
      x: Math.max(4, Math.min(at.x, window.innerWidth - r.width - 4)),
      y: Math.max(4, Math.min(at.y, window.innerHeight - r.height - 4)),
    });
  }, [at?.x, at?.y]);
  useEffect(() => {
    const back = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
    return () => {
      if (ref.current?.contains(document.activeElement) || document.activeElement === document.body) back?.focus?.();
    };
  }, []);
  const onKey = (e: KeyboardEvent) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    const go = (n: number) => items[(n + items.length) % items.length]?.focus();
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(items.length - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') onClose();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div
      ref={ref}
      className={at ? 'menu floating' : 'menu'}
      style={pos ? { left: pos.x, top: pos.y } : undefined}
      role="menu"
      aria-label={label}
      data-testid={testId}
      onKeyDown={onKey}
      onContextMenu={(e) => e.preventDefault()}
    >
      {entries.map((entry, i) =>
        entry.kind === 'separator' ? (
          <div key={i} role="separator" className="menu-separator" />
        ) : entry.kind === 'heading' ? (
          <div key={i} role="presentation" className="menu-heading">
            {entry.label}
          </div>
        ) : (
          <button
            key={entry.id}
            type="button"
            role="menuitem"
            tabIndex={-1}
            aria-label={entry.ariaLabel}
            aria-disabled={entry.unavailable ? true : undefined}
            title={entry.unavailable ?? undefined}
            data-testid={entry.testId ?? `menu-item-${entry.id}`}
            onClick={() => {
              if (entry.unavailable) return;
              onClose();
              entry.run();
            }}
          >
            <span>{entry.label}</span>
            {entry.keys && <kbd>{entry.keys}</kbd>}
          </button>
        ),
      )}
    </div>
  );
}
