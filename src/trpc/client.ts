import { createTRPCClient, createWSClient, httpBatchLink, splitLink, TRPCClientError, wsLink, type TRPCClient, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from '../server/api/root.ts';
import { BATCH_MAX_CALLS, CloseCode, parseRefusalReason, TRPC_PATH } from '../shared/wire.ts';
import { resumeLink } from './resume-link.ts';

export type { AppRouter };
export type HearthClient = TRPCClient<AppRouter>;

export interface HearthClientOptions {
  /** The server's base URL, e.g. http://localhost:3000 (in a browser: the page's origin). */
  url: string;
  /** A session token from auth.login/auth.register. Browsers may rely on the cookie instead. */
  token?: string;
  /** 'ws': every call over the socket; 'http' (default): subscriptions over the socket, the rest over HTTP. */
  transport?: 'http' | 'ws';
  /** A WebSocket implementation where there is no global one (Node 20: the `ws` package). */
  WebSocket?: typeof globalThis.WebSocket;
  /** Called once when the server refuses the credentials; the socket then stops reconnecting. */
  onAuthFailure?: () => void;
  /** Overrides for tests: keepAlive timings. */
  keepAlive?: { intervalMs: number; pongTimeoutMs: number };
}

/**
 * Reconnect delays: exponential with jitter, from 0.5 s up to 30 s, so that a
 * thousand clients dropped at once do not return in lockstep.
 */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(500 * 2 ** attempt, 30_000);
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** A connection the server refused for now: why, and how long until the next attempt. */
export interface ConnectionRefusal {
  message: string;
  retryAfterMs: number;
}

/**
 * The reconnect delay, unless the server said when to come back: a 4429
 * close carries "why; retry in N s", and the next attempt waits that long
 * (plus up to a fifth more, so an office told the same time does not return
 * in lockstep) instead of the backoff. A refused socket did open, so tRPC
 * counts its next attempt as the first: without this it would retry in
 * under a second, again and again.
 */
export function serverPacedRetry(backoff: (attempt: number) => number = reconnectDelay) {
  let told: number | null = null;
  return {
    /** Reads a close; returns the refusal it carried, if any. */
    heard(event: { code?: number; reason?: string } | undefined): ConnectionRefusal | null {
      const refusal = event?.code === CloseCode.tooManyConnections ? parseRefusalReason(event.reason ?? '') : null;
      told = refusal ? Math.round(refusal.retryAfterSeconds * 1000 * (1 + Math.random() / 5)) : null;
      return refusal && told !== null ? { message: refusal.message, retryAfterMs: told } : null;
    },
    delay(attempt: number): number {
      const wait = told ?? backoff(attempt);
      told = null;
      return wait;
    },
  };
}

export function createHearthWSClient(options: HearthClientOptions, onRefused?: () => void) {
  const wsUrl = `${options.url.replace(/^http/, 'ws')}${TRPC_PATH}`;
  const retry = serverPacedRetry();
  const client = createWSClient({
    url: wsUrl,
    WebSocket: options.WebSocket,
    connectionParams: options.token ? { token: options.token } : undefined,
    // The server pings after 30 s of silence; the client's own check notices a
    // dead network even when nothing is being sent.
    keepAlive: { enabled: true, ...(options.keepAlive ?? { intervalMs: 20_000, pongTimeoutMs: 5_000 }) },
    retryDelayMs: (attempt) => retry.delay(attempt),
    // Over 'http' the socket exists only for subscriptions: open it on demand.
    lazy: { enabled: options.transport !== 'ws', closeMs: 30_000 },
    onClose(event) {
      retry.heard(event);
      // The token is dead: retrying with it would only hammer the server.
      if (event?.code === CloseCode.unauthorized) {
        void client.close();
        onRefused?.();
        options.onAuthFailure?.();
      }
      // A newer connection of this user took this one's place: coming back would close another of theirs.
      if (event?.code === CloseCode.replaced) void client.close();
    },
  });
  return client;
}

/** The close event may be the error's cause or its cause's cause (a closed-socket error wraps it). */
function isUnauthorizedClose(cause: unknown, depth = 0): boolean {
  if (typeof cause !== 'object' || cause === null || depth > 3) return false;
  if ((cause as { code?: unknown }).code === CloseCode.unauthorized) return true;
  return isUnauthorizedClose((cause as { cause?: unknown }).cause, depth + 1);
}

/**
 * A call cut off because the server refused the socket's credentials fails with
 * a typed UNAUTHORIZED error instead of the stock "Unknown error" (a close
 * event) or "Active connection is not open" (the socket was already gone).
 */
const unauthorizedCloseLink =
  (refusal: { refused: boolean; signal: Promise<void> }): TRPCLink<AppRouter> =>
  () =>
  ({ next, op }) =>
    observable((observer) =>
      next(op).subscribe({
        next: (value) => observer.next(value),
        complete: () => observer.complete(),
        error(err) {
          if (err.data !== undefined && err.data !== null) return observer.error(err);
          // A connection-level failure: the close code that explains it may still be on its way.
          const settled = refusal.refused || isUnauthorizedClose(err.cause);
          const wait = settled ? Promise.resolve() : Promise.race([refusal.signal, new Promise((r) => setTimeout(r, 250))]);
          void wait.then(() => {
            if (!refusal.refused && !isUnauthorizedClose(err.cause)) return observer.error(err);
            observer.error(
              TRPCClientError.from<AppRouter>({
                error: {
                  code: -32001,
                  message: 'The server refused this session token (unknown, expired or revoked)',
                  data: { code: 'UNAUTHORIZED', httpStatus: 401, path: op.path, zodError: null, issues: null },
                },
              }),
            );
          });
        },
      }),
    );

/** A typed Hearth client for services, bots and the web app. */
export function createHearthClient(options: HearthClientOptions) {
  let markRefused!: () => void;
  const refusal = { refused: false, signal: new Promise<void>((resolve) => (markRefused = resolve)) };
  const ws = createHearthWSClient(options, () => {
    refusal.refused = true;
    markRefused();
  });
  const http = httpBatchLink<AppRouter>({
    url: `${options.url}${TRPC_PATH}`,
    maxItems: BATCH_MAX_CALLS,
    headers: () => (options.token ? { Authorization: `Bearer ${options.token}` } : {}),
  });
  const trpc = createTRPCClient<AppRouter>({
    links: [
      unauthorizedCloseLink(refusal),
      // After a drop (e.g. 4008, too slow) resume from the last *tracked* event, not the last event.
      resumeLink<AppRouter>(),
      options.transport === 'ws'
        ? wsLink({ client: ws })
        : splitLink({ condition: (op) => op.type === 'subscription', true: wsLink({ client: ws }), false: http }),
    ],
  });
  return { trpc, ws, close: () => ws.close() };
}
