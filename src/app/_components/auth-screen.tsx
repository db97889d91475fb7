'use client';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../trpc/errors.ts';
import type { SessionStore } from '../../trpc/session.ts';

type Mode = 'login' | 'register';

export function AuthScreen({ store, notice }: { store: SessionStore; notice: string | null }) {
  const [mode, setMode] = useState<Mode>('login');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get('username') ?? '');
    const password = String(form.get('password') ?? '');
    const displayName = String(form.get('displayName') ?? '').trim() || undefined;
    setBusy(true);
    setError(null);
    try {
      if (mode === 'register') await store.register({ username, password, displayName });
      else await store.login({ username, password });
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  }

  const title = mode === 'login' ? 'Log in' : 'Create an account';
  return (
    <main className="auth">
      <h1 className="brand">Hearth</h1>
      <p className="muted">Real-time chat for your team.</p>
      {notice && (
        <p className="notice" role="alert" data-testid="session-notice">
          {notice}
        </p>
      )}
      <div className="tabs" role="group" aria-label="Log in or register">
        <button type="button" aria-pressed={mode === 'login'} onClick={() => setMode('login')}>
          Log in
        </button>
        <button type="button" aria-pressed={mode === 'register'} onClick={() => setMode('register')}>
          Register
        </button>
      </div>
      <form onSubmit={submit} aria-label={title}>
        <label>
          Username
          <input name="username" autoComplete="username" required minLength={3} maxLength={32} autoCapitalize="none" />
        </label>
        {mode === 'register' && (
          <label>
            Display name (optional)
            <input name="displayName" autoComplete="nickname" maxLength={64} />
          </label>
        )}
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            required
            minLength={mode === 'register' ? 8 : 1}
          />
        </label>
        <button type="submit" disabled={busy}>
          {mode === 'login' ? 'Log in' : 'Create account'}
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
