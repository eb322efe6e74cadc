'use client';

import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>: focus is trapped and Escape closes it, by the browser.
 * The body is a form so Enter submits.
 */
export function Dialog({
  open, title, onClose, onSubmit, children, footer, labelledBy,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  onSubmit?: (e: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
  footer: ReactNode;
  labelledBy?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const titleId = labelledBy ?? `dlg-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby={titleId}>
      {open ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit?.(e);
          }}
        >
          <div className="dialog-head">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="btn small" onClick={onClose} aria-label="Close">✕</button>
          </div>
          <div className="dialog-body">{children}</div>
          <div className="dialog-foot">{footer}</div>
        </form>
      ) : null}
    </dialog>
  );
}
