'use client';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { describeError } from '../../trpc/errors.ts';
import { linkFromHash, registrationNote, type PageLink } from '../../trpc/links.ts';
import type { Registration, SessionStore } from '../../trpc/session.ts';

type Mode = 'login' | 'register';

/** The link the page was opened with; cleared from the address bar once used or dismissed. */
function usePageLink(): [PageLink | null, () => void] {
  const [link, setLink] = useState<PageLink | null>(() => (typeof window === 'undefined' ? null : linkFromHash(window.location.hash)));
  // A link pasted into the address bar of an open page changes only the fragment: no reload.
  useEffect(() => {
    const read = () => setLink(linkFromHash(window.location.hash));
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }, []);
  const dismiss = () => {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    setLink(null);
  };
  return [link, dismiss];
}

export function AuthScreen({ store, notice }: { store: SessionStore; notice: string | null }) {
  const [link, dismissLink] = usePageLink();
  const [status, setStatus] = useState<Registration | null>(null);
  const [statusError, setStatusError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    store.registration(link).then(
      (answer) => live && setStatus(answer),
      (error: unknown) => live && setStatusError(describeError(error)),
    );
    return () => {
      live = false;
    };
  }, [store, link]);

  const usable = link && status?.link && status.link.problem === null ? status.link : null;
  let body: ReactNode;
  if (!status && !statusError) body = <p role="status">{link ? 'Checking the link…' : 'Loading…'}</p>;
  else if (link && status?.link?.problem) body = <LinkProblem problem={status.link.problem} onDismiss={dismissLink} />;
  else if (usable?.kind === 'reset')
    body = <PasswordForm store={store} token={link!.token} username={usable.username} purpose={usable.purpose} onDone={dismissLink} />;
  else if (usable?.kind === 'setup' || usable?.kind === 'invite') body = <SignUpForm store={store} link={link!} onDone={dismissLink} />;
  else body = <LoginOrRegister store={store} status={status} />;

  return (
    <main className="auth">
      <h1 className="brand">Hearth</h1>
      <p className="muted">Real-time chat for your team.</p>
      {notice && (
        <p className="notice" role="alert" data-testid="session-notice">
          {notice}
        </p>
      )}
      {statusError && (
        <p className="error" role="alert">
          {statusError}
        </p>
      )}
      {body}
    </main>
  );
}

function LinkProblem({ problem, onDismiss }: { problem: string; onDismiss(): void }) {
  return (
    <section className="auth-link" aria-label="This link cannot be used">
      <p className="error" role="alert" data-testid="link-problem">
        {problem}
      </p>
      <button type="button" onClick={onDismiss}>
        Go to log in
      </button>
    </section>
  );
}

/** Runs a form's action, keeping its error (in plain words) and busy state. */
function useSubmit(action: (form: FormData) => Promise<unknown>, onDone?: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await action(form);
      onDone?.();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;
}

/** The setup link (the first, admin, account) or an invitation link (a member). */
function SignUpForm({ store, link, onDone }: { store: SessionStore; link: PageLink; onDone(): void }) {
  const setup = link.kind === 'setup';
  const { error, busy, submit } = useSubmit(
    (form) =>
      store.register({
        username: text(form, 'username'),
        password: text(form, 'password'),
        displayName: text(form, 'displayName').trim() || undefined,
        ...(setup ? { setupToken: link.token } : { inviteToken: link.token }),
      }),
    onDone,
  );
  const title = setup ? 'Set up Hearth' : 'You are invited';
  return (
    <form onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      <p className="muted">
        {setup
          ? 'Create the admin account of this Hearth. The setup link works once: after this, people join with invitations you create.'
          : 'Create your account on this Hearth.'}
      </p>
      <AccountFields />
      <button type="submit" disabled={busy}>
        {setup ? 'Create admin account' : 'Create account'}
      </button>
      <FormError error={error} />
    </form>
  );
}

function AccountFields({ login = false }: { login?: boolean }) {
  return (
    <>
      <label>
        Username
        <input name="username" autoComplete="username" required minLength={3} maxLength={32} autoCapitalize="none" />
      </label>
      {!login && (
        <label>
          Display name (optional)
          <input name="displayName" autoComplete="nickname" maxLength={64} />
        </label>
      )}
      <label>
        Password
        <input name="password" type="password" autoComplete={login ? 'current-password' : 'new-password'} required minLength={login ? 1 : 8} />
      </label>
    </>
  );
}

/** A password-reset (or set-password) link from an admin. */
function PasswordForm({
  store,
  token,
  username,
  purpose,
  onDone,
}: {
  store: SessionStore;
  token: string;
  username: string;
  purpose: 'reset' | 'set';
  onDone(): void;
}) {
  const { error, busy, submit } = useSubmit((form) => store.usePasswordLink({ token, password: text(form, 'password') }), onDone);
  const title = purpose === 'set' ? 'Set your password' : 'Choose a new password';
  return (
    <form onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      <p className="muted">
        For <strong>@{username}</strong>. This link works once; any other session of this account is logged out.
      </p>
      <label>
        New password
        <input name="password" type="password" autoComplete="new-password" required minLength={8} maxLength={256} />
      </label>
      <button type="submit" disabled={busy}>
        Set password and log in
      </button>
      <FormError error={error} />
    </form>
  );
}

function LoginOrRegister({ store, status }: { store: SessionStore; status: Registration | null }) {
  const [mode, setMode] = useState<Mode>('login');
  const canRegister = status?.mode === 'open';
  const { error, busy, submit } = useSubmit((form) => {
    const username = text(form, 'username');
    const password = text(form, 'password');
    if (mode === 'register' && canRegister) return store.register({ username, password, displayName: text(form, 'displayName').trim() || undefined });
    return store.login({ username, password });
  });
  const registering = mode === 'register' && canRegister;
  const title = registering ? 'Create an account' : 'Log in';
  const note = status && registrationNote(status);
  return (
    <>
      {canRegister && (
        <div className="tabs" role="group" aria-label="Log in or register">
          <button type="button" aria-pressed={!registering} onClick={() => setMode('login')}>
            Log in
          </button>
          <button type="button" aria-pressed={registering} onClick={() => setMode('register')}>
            Register
          </button>
        </div>
      )}
      {note && (
        <p className="muted" data-testid="registration-note">
          {note}
        </p>
      )}
      <form onSubmit={submit} aria-label={title}>
        <AccountFields login={!registering} />
        <button type="submit" disabled={busy}>
          {registering ? 'Create account' : 'Log in'}
        </button>
        <FormError error={error} />
      </form>
    </>
  );
}
