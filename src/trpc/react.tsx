'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { createContext, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { AppRouter } from '../server/api/root.ts';
import { createBrowserHearthClient, type BrowserHearthClient } from './browser.ts';
import type { ConnectionMonitor } from './connection.ts';
import { describeError, isNetworkError, retryAfterMs } from './errors.ts';
import { Outbox, type OutboxItem } from './outbox.ts';
import type { Me } from './session.ts';
import type { Message } from './timeline.ts';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

type AckListener = (message: Message) => void;

interface Hearth {
  me: Me;
  outbox: Outbox<Message>;
  monitor: ConnectionMonitor;
  /** Sends acknowledged by the server, as they happen (the room view merges them at once). */
  onAcknowledged(listener: AckListener): () => void;
  /** After this tab's connection was replaced by a newer tab's: start again here (a new client, every subscription anew). */
  reconnectHere(): void;
  /** My role or name changed (events.user `account.changed`): read who I am again. */
  accountChanged(): void;
}

const HearthContext = createContext<Hearth | null>(null);

export function useHearth(): Hearth {
  const hearth = useContext(HearthContext);
  if (!hearth) throw new Error('useHearth() outside <HearthProvider>');
  return hearth;
}

export const useConnectionStatus = () => {
  const { monitor } = useHearth();
  return useSyncExternalStore(monitor.subscribe, monitor.snapshot, monitor.snapshot);
};

/** The server's refusal behind a `refused` status: why, and when the next attempt goes out. */
export const useConnectionNotice = () => {
  const { monitor } = useHearth();
  return useSyncExternalStore(monitor.subscribe, monitor.notice, monitor.notice);
};

export const useOutboxItems = (): readonly OutboxItem[] => {
  const { outbox } = useHearth();
  return useSyncExternalStore(outbox.subscribe, outbox.snapshot, outbox.snapshot);
};

/** Queued sends survive a reload, per user (sends are idempotent, so a second tab re-sending is harmless). */
function outboxStorage(userId: string) {
  const key = `hearth.outbox.${userId}`;
  return {
    load: (): OutboxItem[] => {
      try {
        return JSON.parse(localStorage.getItem(key) ?? '[]') as OutboxItem[];
      } catch {
        return [];
      }
    },
    save: (items: readonly OutboxItem[]) => {
      if (items.length) localStorage.setItem(key, JSON.stringify(items));
      else localStorage.removeItem(key);
    },
  };
}

function startSession(userId: string, onSessionEnded: () => void, accountChanged: () => void, reconnectHere: () => void) {
  const client: BrowserHearthClient = createBrowserHearthClient({ onSessionEnded });
  const ackListeners = new Set<AckListener>();
  const outbox = new Outbox<Message>({
    send: (input) => client.trpc.messages.send.mutate(input),
    isTransient: isNetworkError,
    retryAfterMs,
    describe: describeError,
    onSent: (_item, message) => ackListeners.forEach((listener) => listener(message)),
    storage: outboxStorage(userId),
  });
  // Offline: hold the queue. Back online, or the socket is back: send it now.
  let last = client.monitor.snapshot();
  const stopWatching = client.monitor.subscribe((status) => {
    if (status === last) return; // a new refusal notice, same status
    last = status;
    if (status === 'offline') outbox.pause();
    else outbox.resume();
  });
  if (client.monitor.snapshot() === 'offline') outbox.pause();
  else void outbox.flush();
  // `me` is the provider's: a new name or role must not restart the session.
  const hearth: Omit<Hearth, 'me'> = {
    outbox,
    accountChanged,
    monitor: client.monitor,
    onAcknowledged(listener) {
      ackListeners.add(listener);
      return () => ackListeners.delete(listener);
    },
    reconnectHere,
  };
  const dispose = () => {
    stopWatching();
    outbox.dispose();
    client.dispose();
  };
  return { hearth, trpc: client.trpc, dispose };
}

/**
 * Everything a signed-in page needs: the session's tRPC client (HTTP + one
 * WebSocket), React Query, the outbox and the connection status. Made in an
 * effect so React's development double-mount cannot leak a socket.
 */
export function HearthProvider({
  me,
  onSessionEnded,
  onAccountChanged,
  children,
}: {
  me: Me;
  onSessionEnded: () => void;
  onAccountChanged: () => void;
  children: ReactNode;
}) {
  // The latest callbacks, without restarting the session when the parent passes new ones.
  const ended = useRef(onSessionEnded);
  const changed = useRef(onAccountChanged);
  useEffect(() => {
    ended.current = onSessionEnded;
    changed.current = onAccountChanged;
  }, [onSessionEnded, onAccountChanged]);
  const [session, setSession] = useState<ReturnType<typeof startSession> | null>(null);
  // Bumped by reconnectHere: the effect below then starts the session again.
  const [generation, setGeneration] = useState(0);
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 5_000, retry: (failures, error) => failures < 3 && isNetworkError(error) },
          mutations: { retry: false },
        },
      }),
  );

  useEffect(() => {
    const started = startSession(
      me.id,
      () => ended.current(),
      () => changed.current(),
      () => setGeneration((g) => g + 1),
    );
    setSession(started);
    return () => {
      started.dispose();
      queryClient.clear();
    };
  }, [me.id, queryClient, generation]);

  // Back online: queries that failed while the server was unreachable (a room's
  // members and details, opened offline) ask again. Their own retries gave up
  // after three network errors, and nothing else would ever refetch them.
  useEffect(() => {
    if (!session) return;
    let was = session.hearth.monitor.snapshot();
    return session.hearth.monitor.subscribe((status) => {
      if (status === 'online' && was !== 'online') {
        void queryClient.refetchQueries({ type: 'active', predicate: (query) => query.state.status === 'error' });
      }
      was = status;
    });
  }, [session, queryClient]);

  // Who I am changes under a running session (a new name, a role): the same socket, a new `me`.
  const hearth = useMemo(() => session && { ...session.hearth, me }, [session, me]);
  if (!session || !hearth) return null;
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={session.trpc} queryClient={queryClient}>
        <HearthContext.Provider value={hearth}>{children}</HearthContext.Provider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
