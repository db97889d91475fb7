import type { IncomingMessage } from 'node:http';

/**
 * A browser request is trusted when its Origin is in ALLOWED_ORIGINS or is the
 * server's own origin (the host the browser addressed). Requests without an
 * Origin come from non-browser clients (services, bots), which CSRF cannot
 * drive, so they pass; they still need a token.
 */
export function isOriginAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === req.headers.host;
  } catch {
    return false; // "null" (sandboxed frames, file://) or garbage
  }
}
