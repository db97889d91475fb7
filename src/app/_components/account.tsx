'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { useHearth, useTRPC } from '../../trpc/react.tsx';
import { AccountContacts } from './account-contacts.tsx';
import { AccountPush } from './account-push.tsx';
import { AccountSessions } from './account-sessions.tsx';
import { useSessionStore } from './app.tsx';
import { ErrorNote } from './error-note.tsx';

/** My account: display name, password, contacts, push notifications, sessions. */
export function Account() {
  const { me } = useHearth();
  return (
    <main className="account">
      <header className="admin-header">
        <h1>Account</h1>
        <Link href="/">← Back to chat</Link>
      </header>
      <p className="muted">
        Signed in as <strong>@{me.username}</strong>
        {me.role === 'admin' ? ' (admin)' : ''}.
      </p>
      <DisplayNameForm />
      <PasswordForm />
      <AccountContacts />
      <AccountPush />
      <AccountSessions />
    </main>
  );
}

function DisplayNameForm() {
  const trpc = useTRPC();
  const { me } = useHearth();
  const session = useSessionStore();
  const [name, setName] = useState(me.displayName);
  const change = useMutation(trpc.auth.setDisplayName.mutationOptions({ onSuccess: (user) => session.updateUser(user) }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ displayName: name });
  };
  return (
    <section className="account-section" aria-labelledby="account-name">
      <h2 id="account-name">Display name</h2>
      <form onSubmit={submit} className="account-form">
        <label>
          Display name
          <input name="displayName" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} autoComplete="nickname" />
        </label>
        <p className="muted small">Shown to everyone next to your @{me.username}.</p>
        <button type="submit" disabled={change.isPending || name.trim() === me.displayName}>
          Save name
        </button>
        <ErrorNote error={change.error} />
      </form>
    </section>
  );
}

function PasswordForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() }),
      onSuccess: ({ endedSessions }) =>
        setDone(`Password changed.${endedSessions > 0 ? ` ${endedSessions} other session${endedSessions === 1 ? ' was' : 's were'} logged out.` : ''}`),
    }),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setDone(null);
    change.mutate(
      { currentPassword: String(data.get('currentPassword') ?? ''), newPassword: String(data.get('newPassword') ?? '') },
      { onSuccess: () => form.reset() },
    );
  };
  return (
    <section className="account-section" aria-labelledby="account-password">
      <h2 id="account-password">Password</h2>
      <form onSubmit={submit} className="account-form">
        <label>
          Current password
          <input name="currentPassword" type="password" autoComplete="current-password" required maxLength={256} />
        </label>
        <label>
          New password
          <input name="newPassword" type="password" autoComplete="new-password" required minLength={8} maxLength={256} />
        </label>
        <p className="muted small">Changing it logs out your other sessions; this one stays.</p>
        <button type="submit" disabled={change.isPending}>
          Change password
        </button>
        {done && (
          <p className="notice" role="status">
            {done}
          </p>
        )}
        <ErrorNote error={change.error} />
      </form>
    </section>
  );
}
