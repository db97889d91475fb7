'use client';
import { useState, type ReactNode } from 'react';
import { describeError } from '../../trpc/errors.ts';
import { Modal } from './modal.tsx';

/** A change waiting for its confirmation: what the dialog says, and what it does on Confirm. */
export type Confirming = { title: string; body: ReactNode; confirm: string; run(): Promise<unknown> } | null;

interface Props {
  title: string;
  /** What will happen, in plain words. */
  children: ReactNode;
  /** The confirming button's text, naming the action ("Delete room"). */
  confirm: string;
  /** The action; the dialog closes when it resolves and shows the error when it fails. */
  onConfirm(): Promise<unknown>;
  onClose(): void;
}

/**
 * The one confirmation for destructive actions (delete a room, deactivate
 * someone, change a role, remove a member). Focus starts on Cancel, so Enter
 * alone never confirms; Escape cancels.
 */
export function ConfirmDialog({ title, children, confirm, onConfirm, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={onClose}>
      <div className="confirm-body">{children}</div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void run()} data-testid="confirm">
          {confirm}
        </button>
      </div>
    </Modal>
  );
}
