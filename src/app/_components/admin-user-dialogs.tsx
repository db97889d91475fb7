'use client';
import { useMutation } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState, type FormEvent } from 'react';
import type { AppRouter } from '../../server/api/root.ts';
import { linkOn, type LinkKind } from '../../trpc/links.ts';
import { useTRPC } from '../../trpc/react.tsx';
import { ErrorNote } from './error-note.tsx';
import { Modal } from './modal.tsx';

type Created = inferRouterOutputs<AppRouter>['admin']['users']['create'];

/** A link to hand over (set-password, reset, invitation), with a copy button. */
export function LinkDialog({ title, about, kind, token, onClose }: { title: string; about: string; kind: LinkKind; token: string; onClose(): void }) {
  return (
    <Modal title={title} onClose={onClose}>
      <CopyLink about={about} kind={kind} token={token} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}

export function CopyLink({ about, kind, token }: { about: string; kind: LinkKind; token: string }) {
  const url = linkOn(window.location.origin, kind, token);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(url).then(
      () => setCopied('Copied.'),
      () => setCopied('Copying was refused here: select the link and copy it yourself.'),
    );
  return (
    <div className="new-link">
      <p>{about}</p>
      <label>
        Link
        <input readOnly value={url} data-testid="new-link" onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div className="row-actions">
        <button type="button" className="small" onClick={() => void copy()}>
          Copy link
        </button>
        {copied && (
          <span role="status" className="muted small">
            {copied}
          </span>
        )}
      </div>
    </div>
  );
}

/** An account made by an admin: with a password, or with a set-password link to hand over. */
export function AdminCreateUser({ onClose, onCreated }: { onClose(): void; onCreated(created: Created): void }) {
  const trpc = useTRPC();
  const [withLink, setWithLink] = useState(true);
  const create = useMutation(trpc.admin.users.create.mutationOptions({ onSuccess: onCreated }));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      username: String(form.get('username') ?? ''),
      displayName: String(form.get('displayName') ?? '').trim() || undefined,
      password: withLink ? undefined : String(form.get('password') ?? ''),
      role: form.get('role') === 'admin' ? 'admin' : 'member',
    });
  };
  return (
    <Modal title="Create account" onClose={onClose}>
      <form onSubmit={submit} className="account-form">
        <label>
          Username
          <input name="username" required minLength={3} maxLength={32} autoCapitalize="none" autoComplete="off" />
        </label>
        <label>
          Display name (optional)
          <input name="displayName" maxLength={64} autoComplete="off" />
        </label>
        <label>
          Role
          <select name="role" defaultValue="member">
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={withLink} onChange={(e) => setWithLink(e.target.checked)} />
          Let them choose their password (a one-time link)
        </label>
        {!withLink && (
          <label>
            Initial password
            <input name="password" type="password" required minLength={8} maxLength={256} autoComplete="new-password" />
          </label>
        )}
        <ErrorNote error={create.error} />
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={create.isPending}>
            Create account
          </button>
        </div>
      </form>
    </Modal>
  );
}
