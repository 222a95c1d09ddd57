/**
 * Keyboard behaviour of a modal dialog that is not one of the store's dialogs: Tab and Shift+Tab
 * cycle inside it, focus that escapes comes back, Escape closes, focus returns where it was when
 * the dialog closes, and no key or clipboard event leaks to the editor's window-level shortcuts
 * (Delete, Ctrl+A, cut... would otherwise act on the canvas behind the dialog).
 */
import { useEffect, type ClipboardEvent, type KeyboardEvent, type RefObject } from 'react';

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

export function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE));
}

/** Keeps focus inside `ref` while mounted; gives it back to the element that had it before. */
export function useFocusTrap(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const onFocusIn = (e: FocusEvent) => {
      const root = ref.current;
      if (root && e.target instanceof Node && !root.contains(e.target)) focusables(root)[0]?.focus();
    };
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      if (before?.isConnected) before.focus();
    };
  }, [ref]);
}

/** The dialog root's keydown: Escape closes, Tab wraps around, nothing reaches the window. */
export function dialogKeyDown(e: KeyboardEvent<HTMLElement>, close: () => void): void {
  e.stopPropagation();
  if (e.key === 'Escape') {
    e.preventDefault();
    close();
    return;
  }
  if (e.key !== 'Tab') return;
  const items = focusables(e.currentTarget);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  const active = document.activeElement;
  if (e.shiftKey && (active === first || !e.currentTarget.contains(active))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}

/** Copy, cut and paste inside the dialog are the fields' own, never the canvas's. */
export function keepClipboard(e: ClipboardEvent<HTMLElement>): void {
  e.stopPropagation();
}
