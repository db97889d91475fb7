'use client';
import { useEffect, useState, type FormEvent } from 'react';
import type { PublicUser } from '../server/auth/users';
import { api, describeError } from './api-client';

type Mode = 'login' | 'register';

export function AuthPanel() {
  const [user, setUser] = useState<PublicUser | null | undefined>(undefined);
  const [mode, setMode] = useState<Mode>('login');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.auth.me.query().then(setUser, () => setUser(null));
  }, []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get('username') ?? '');
    const password = String(form.get('password') ?? '');
    setBusy(true);
    setError(null);
    try {
      const result =
        mode === 'register'
          ? await api.auth.register.mutate({ username, password, displayName: String(form.get('displayName') ?? '') || undefined })
          : await api.auth.login.mutate({ username, password });
      setUser(result.user);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  async function logout() {
    setBusy(true);
    try {
      await api.auth.logout.mutate();
      setUser(null);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  if (user === undefined) return <p className="muted">Loading…</p>;

  if (user) {
    return (
      <section aria-label="Your account">
        <p data-testid="whoami">
          Signed in as <strong>{user.displayName}</strong> (@{user.username}, {user.role})
        </p>
        <button type="button" className="secondary" onClick={logout} disabled={busy}>
          Log out
        </button>
        {error && <p className="error" role="alert">{error}</p>}
      </section>
    );
  }

  return (
    <section aria-label={mode === 'login' ? 'Log in' : 'Create an account'}>
      <div className="tabs" role="group" aria-label="Choose">
        <button type="button" aria-pressed={mode === 'login'} onClick={() => setMode('login')}>Log in</button>
        <button type="button" aria-pressed={mode === 'register'} onClick={() => setMode('register')}>Register</button>
      </div>
      <form onSubmit={submit}>
        <label>
          Username
          <input name="username" autoComplete="username" required minLength={3} maxLength={32} />
        </label>
        {mode === 'register' && (
          <label>
            Display name (optional)
            <input name="displayName" autoComplete="nickname" maxLength={64} />
          </label>
        )}
        <label>
          Password
          <input name="password" type="password" autoComplete={mode === 'login' ? 'current-password' : 'new-password'} required minLength={mode === 'register' ? 8 : 1} />
        </label>
        <button type="submit" disabled={busy}>{mode === 'login' ? 'Log in' : 'Create account'}</button>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </section>
  );
}
