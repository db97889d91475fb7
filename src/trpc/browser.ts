import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '../server/api/root.ts';
import { reconnectDelay, serverPacedRetry } from './client.ts';
import { ConnectionMonitor } from './connection.ts';
import { resumeLink } from './resume-link.ts';
import { BATCH_MAX_CALLS, CloseCode, TRPC_PATH } from '../shared/wire.ts';

/** While the browser says it is offline, try the socket this often (each try fails at once, locally). */
const OFFLINE_RETRY_MS = 1000;

export interface BrowserClientOptions {
  /** The session is gone (revoked, expired, user deactivated): show the login screen. */
  onSessionEnded(): void;
}

/**
 * The web app's client for one signed-in session: queries and mutations over
 * same-origin HTTP, subscriptions over one WebSocket, both authenticated by the
 * HttpOnly session cookie. Create a new one after each login, since the socket
 * authenticates once, when it opens.
 */
export function createBrowserHearthClient({ onSessionEnded }: BrowserClientOptions) {
  const monitor = new ConnectionMonitor(navigator.onLine);
  let ended = false;
  let replaced = false;
  const endSession = () => {
    if (ended) return;
    ended = true;
    onSessionEnded();
  };

  // Backoff counts only the attempts made since the network came back, so a
  // long time offline does not leave us waiting 30 s once it returns.
  let lastAttempt = 0;
  let attemptOffset = 0;
  // A refusal (4429) says when to come back; otherwise the backoff.
  const retry = serverPacedRetry((attempt: number) => {
    lastAttempt = attempt;
    if (!navigator.onLine) return OFFLINE_RETRY_MS;
    return reconnectDelay(Math.max(0, attempt - attemptOffset));
  });

  const ws = createWSClient({
    url: `${window.location.origin.replace(/^http/, 'ws')}${TRPC_PATH}`,
    keepAlive: { enabled: true, intervalMs: 20_000, pongTimeoutMs: 5_000 },
    retryDelayMs: (attempt) => retry.delay(attempt),
    onClose(event) {
      const refusal = retry.heard(event);
      if (refusal) monitor.refused(refusal);
      // The session was revoked: retrying would only be refused again.
      if (event?.code === CloseCode.unauthorized) {
        void ws.close();
        endSession();
      }
      // A newer tab of this person took this one's place: coming back by
      // itself would close another of their tabs. The banner offers to.
      if (event?.code === CloseCode.replaced) {
        replaced = true;
        void ws.close();
        monitor.setReplaced();
      }
    },
  });
  const socketState = ws.connectionState.subscribe({ next: (state) => monitor.setSocket(state.state) });

  const onOffline = () => {
    monitor.setBrowserOnline(false);
    // The network is gone, so the socket is too, even if it has not noticed yet
    // (it would at the next keepAlive ping). Dropping it now makes the
    // reconnect resubscribe with lastEventId as soon as the network is back.
    ws.connection?.ws.close();
  };
  const onOnline = () => {
    attemptOffset = lastAttempt + 1;
    monitor.setBrowserOnline(true);
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);

  /** Any call answered UNAUTHORIZED (outside auth.*) means the session ended. */
  const sessionLink: TRPCLink<AppRouter> =
    () =>
    ({ next, op }) =>
      observable((observer) =>
        next(op).subscribe({
          next: (value) => observer.next(value),
          complete: () => observer.complete(),
          error(err) {
            if (err.data?.code === 'UNAUTHORIZED' && !op.path.startsWith('auth.')) endSession();
            observer.error(err);
          },
        }),
      );

  /**
   * After a 4409 the socket stays closed until the person asks for it back
   * (which makes a new client): a new subscription would reopen it, and take
   * another tab's place. So new subscriptions wait, quietly, for that.
   */
  const heldWhileReplaced: TRPCLink<AppRouter> =
    () =>
    ({ next, op }) =>
      observable((observer) => (replaced ? undefined : next(op).subscribe(observer)));

  const trpc = createTRPCClient<AppRouter>({
    links: [
      sessionLink,
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: [heldWhileReplaced, resumeLink<AppRouter>(), wsLink({ client: ws })],
        false: httpBatchLink({ url: TRPC_PATH, maxItems: BATCH_MAX_CALLS }),
      }),
    ],
  });

  return {
    trpc,
    monitor,
    dispose() {
      ended = true;
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      socketState.unsubscribe();
      monitor.dispose();
      void ws.close();
    },
  };
}

export type BrowserHearthClient = ReturnType<typeof createBrowserHearthClient>;
