import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE } from '../../trpc/protocol.ts';

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The credentials a request carries: `Authorization: Bearer` first, then the session cookie. */
export function requestToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim() || undefined;
  return readCookie(req.headers.cookie, SESSION_COOKIE);
}

const isHttps = (req: IncomingMessage) =>
  ('encrypted' in req.socket && Boolean(req.socket.encrypted)) || req.headers['x-forwarded-proto'] === 'https';

export function sessionCookie(req: IncomingMessage, token: string, expiresAt: Date): string {
  const secure = isHttps(req) ? '; Secure' : '';
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure}`;
}

export function clearedSessionCookie(req: IncomingMessage): string {
  return sessionCookie(req, '', new Date(0));
}
