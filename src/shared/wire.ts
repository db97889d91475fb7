/**
 * WebSocket close codes Hearth uses, shared by server and clients.
 * 1009 (message too big) and 1012 (service restart) are the standard codes.
 */
export const CloseCode = {
  /** The frame exceeded the server's payload limit; the client may reconnect and retry smaller. */
  messageTooBig: 1009,
  /** The server is shutting down or restarting; reconnect (with backoff). */
  serviceRestart: 1012,
  /** The client read too slowly and fell too far behind: reconnect and resume from the last event id. */
  tooSlow: 4008,
  /** The user already holds MAX_CONNECTIONS_PER_USER sockets: retry later (with backoff), or close another. */
  tooManyConnections: 4429,
  /** The token is unknown, expired or revoked: do not retry with the same credentials. */
  unauthorized: 4401,
} as const;

export const TRPC_PATH = '/api/trpc';
/**
 * Calls Hearth's own clients put in one HTTP batch: below the server's
 * default MAX_BATCH_CALLS (16), so an operator may lower that a little
 * without the web app's batches being refused.
 */
export const BATCH_MAX_CALLS = 10;
export const SESSION_COOKIE = 'hearth_session';
