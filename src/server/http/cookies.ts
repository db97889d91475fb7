import type { IncomingMessage } from 'node:http';
import { parseCookie, stringifySetCookie } from 'cookie';
import { SESSION_COOKIE } from '../../shared/wire.ts';
import { header } from './headers.ts';

/**
 * Tokens are base64url and never need decoding. A value that is not valid
 * percent-encoding (`hearth_session=%`) is no token at all, where the
 * library's own decoder would hand back the raw text.
 */
function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The credentials a request carries: `Authorization: Bearer` first, then the session cookie. Never throws. */
export function requestToken(req: IncomingMessage): string | undefined {
  const auth = header(req.headers, 'authorization');
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim() || undefined;
  const cookies = header(req.headers, 'cookie');
  return (cookies && parseCookie(cookies, { decode })[SESSION_COOKIE]) || undefined;
}

const isHttps = (req: IncomingMessage) => ('encrypted' in req.socket && Boolean(req.socket.encrypted)) || header(req.headers, 'x-forwarded-proto') === 'https';

export function sessionCookie(req: IncomingMessage, token: string, expiresAt: Date): string {
  return stringifySetCookie({ name: SESSION_COOKIE, value: token, path: '/', httpOnly: true, sameSite: 'lax', expires: expiresAt, secure: isHttps(req) });
}

export function clearedSessionCookie(req: IncomingMessage): string {
  return sessionCookie(req, '', new Date(0));
}
