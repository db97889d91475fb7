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
  /**
   * Refused for now: too many new or open connections from this address, or the
   * server is full. The reason says why and when to come back (see `refusalReason`).
   */
  tooManyConnections: 4429,
  /** The user opened a newer connection past MAX_CONNECTIONS_PER_USER and this, their oldest, made room: do not reconnect by yourself. */
  replaced: 4409,
  /** The token is unknown, expired or revoked: do not retry with the same credentials. */
  unauthorized: 4401,
} as const;

/** What a 4409 close says: the person sees it in the tab that was closed. */
export const REPLACED_REASON = 'Opened in too many tabs: this tab was closed because a newer one opened';

/**
 * A refusal's close reason: why, then when to retry, in words a person can
 * read and a client can parse ("Too many new connections from this address;
 * retry in 3 s"). Close reasons are at most 123 bytes: messages stay short.
 */
export function refusalReason(message: string, retryAfterSeconds: number): string {
  return `${message}; retry in ${retryAfterSeconds} s`;
}

export function parseRefusalReason(reason: string): { message: string; retryAfterSeconds: number } | null {
  const match = /^(.*); retry in (\d+) s$/.exec(reason);
  return match ? { message: match[1]!, retryAfterSeconds: Number(match[2]) } : null;
}

export const TRPC_PATH = '/api/trpc';
/**
 * Calls Hearth's own clients put in one HTTP batch: below the server's
 * default MAX_BATCH_CALLS (16), so an operator may lower that a little
 * without the web app's batches being refused.
 */
export const BATCH_MAX_CALLS = 10;
export const SESSION_COOKIE = 'hearth_session';
