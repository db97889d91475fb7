'use client';
import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A native modal dialog: focus stays inside, Escape closes it. Opening it
 * focuses the element marked `data-autofocus`, else its first field (the
 * browser alone would pick the Close button); closing it returns focus to
 * where it was.
 */
export function Modal({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      const first =
        dialog.querySelector<HTMLElement>('[data-autofocus]') ??
        dialog.querySelector<HTMLElement>(':scope > :not(header) :is(input:not([type="hidden"]), textarea, select)');
      first?.focus();
    }
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className="modal" aria-labelledby={titleId} onClose={onClose}>
      <header>
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="ghost" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </header>
      {children}
    </dialog>
  );
}
