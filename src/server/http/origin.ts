import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../app/config.ts';
import { isTrustedProxy } from './client-ip.ts';

type HostSettings = Pick<Config, 'PUBLIC_URL' | 'HOST' | 'TRUST_PROXY'>;

/** Asked for by monitors and scrapers, which address the server by whatever name reaches it. */
const ANY_HOST = new Set(['/healthz', '/metrics']);

export const MISDIRECTED = 'Misdirected request: this server does not answer to that host name (see PUBLIC_URL)';

// The request passed the Host check under PUBLIC_URL: its own origin is
// PUBLIC_URL's, scheme included, for isOriginAllowed. A WeakMap because the
// Origin checks are called with the request alone (csrf.ts, ws/endpoint.ts).
const publicOrigins = new WeakMap<IncomingMessage, string>();

/**
 * A browser request is trusted when its Origin is in ALLOWED_ORIGINS or is the
 * server's own origin: PUBLIC_URL's, or, without it, the host the browser
 * addressed. Requests without an Origin come from non-browser clients
 * (services, bots), which CSRF cannot drive, so they pass; they still need a token.
 */
export function isOriginAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  const own = publicOrigins.get(req);
  if (own !== undefined) return origin === own;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === req.headers.host;
  } catch {
    return false; // "null" (sandboxed frames, file://) or garbage
  }
}

/**
 * DNS rebinding: a page on attacker.example whose name is made to point at
 * this server sends `Host: attacker.example` and a matching Origin, so the
 * Origin checks alone let it in. With PUBLIC_URL, only its host is answered.
 * Without, a server listening on loopback answers loopback names; any other
 * name only from a proxy TRUST_PROXY believes, and only if the Host names a
 * port other than the one the request arrived on: a browser sent here by a
 * rebound name must name this very port (it cannot write Host itself), while a
 * reverse proxy passes on the name and port the browser used to reach the proxy.
 * A server listening beyond loopback without PUBLIC_URL takes any Host.
 */
export function isHostAllowed(req: IncomingMessage, config: HostSettings, pathname: string): boolean {
  if (ANY_HOST.has(pathname)) return true;
  const host = parseHost(req.headers.host);
  if (config.PUBLIC_URL !== undefined) {
    const own = publicHost(config.PUBLIC_URL);
    const ok = host !== undefined && host.name === own.name && (host.port ?? own.defaultPort) === own.port;
    if (ok) publicOrigins.set(req, config.PUBLIC_URL);
    return ok;
  }
  if (!isLoopbackName(config.HOST)) return true;
  if (host === undefined) return false;
  if (isLoopbackName(host.name)) return true;
  return isTrustedProxy(req, config.TRUST_PROXY) && (host.port ?? 80) !== req.socket.localPort;
}

/** 421, plain text: the client reached a server that is not the one it named. */
export function refuseMisdirected(res: ServerResponse): void {
  res.writeHead(421, { 'Content-Type': 'text/plain' }).end(`${MISDIRECTED}\n`);
}

function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name === '::1' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** A Host header as a lower-case name (IPv6 in brackets) and an optional port; anything else is no host. */
export function parseHost(header: string | undefined): { name: string; port?: number } | undefined {
  const match = header === undefined ? null : /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::(\d{1,5}))?$/i.exec(header);
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), port: match[2] === undefined ? undefined : Number(match[2]) };
}

const publicHosts = new Map<string, { name: string; port: number; defaultPort: number }>();

function publicHost(publicUrl: string) {
  let host = publicHosts.get(publicUrl);
  if (!host) {
    const url = new URL(publicUrl);
    const defaultPort = url.protocol === 'https:' ? 443 : 80;
    host = { name: url.hostname, port: url.port === '' ? defaultPort : Number(url.port), defaultPort };
    publicHosts.set(publicUrl, host);
  }
  return host;
}
