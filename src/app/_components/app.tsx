'use client';
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { HearthProvider } from '../../trpc/react.tsx';
import { SessionStore } from '../../trpc/session.ts';
import { AuthScreen } from './auth-screen.tsx';
import { ConnectionBanner } from './connection-banner.tsx';

const SessionContext = createContext<SessionStore | null>(null);

export function useSessionStore(): SessionStore {
  const store = useContext(SessionContext);
  if (!store) throw new Error('useSessionStore() outside <App>');
  return store;
}

/** Shows the login screen until someone is signed in, then the app with its live connection. */
export function App({ children }: { children: ReactNode }) {
  const [store] = useState(() => new SessionStore());
  const session = useSyncExternalStore(store.subscribe, store.snapshot, store.snapshot);
  useEffect(() => void store.load(), [store]);

  if (session.status === 'loading') {
    return (
      <div className="splash" role="status">
        {session.problem ?? 'Loading Hearth…'}
      </div>
    );
  }
  if (session.status === 'signed-out') return <AuthScreen store={store} notice={session.notice} />;
  return (
    <SessionContext.Provider value={store}>
      <HearthProvider key={session.user.id} me={session.user} onSessionEnded={() => store.ended()} onAccountChanged={() => void store.refreshUser()}>
        <div className="app-shell">
          <ConnectionBanner />
          <div className="app-body">{children}</div>
        </div>
      </HearthProvider>
    </SessionContext.Provider>
  );
}
