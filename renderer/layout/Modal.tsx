/** A modal dialog: title, body, actions; Escape or the backdrop closes it. */
import { useEffect, useRef, type ReactNode } from 'react';
import { useApp } from '../store/index.ts';

export function Modal({
  title,
  testId,
  children,
  actions,
  wide,
}: {
  title: string;
  testId: string;
  children: ReactNode;
  actions: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    const first = el?.querySelector<HTMLElement>('[autofocus], textarea, input, select, button.primary, button');
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') useApp.getState().closeDialog();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div
      className="modal-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && useApp.getState().closeDialog()}
    >
      <div
        className={`modal${wide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
        ref={ref}
      >
        <h2>{title}</h2>
        <div className="modal-body">{children}</div>
        <div className="modal-actions">{actions}</div>
      </div>
    </div>
  );
}

export function CloseButton({ label = 'Cancel' }: { label?: string }) {
  return (
    <button type="button" data-testid="dialog-cancel" onClick={() => useApp.getState().closeDialog()}>
      {label}
    </button>
  );
}
