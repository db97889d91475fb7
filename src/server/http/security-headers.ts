import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseHost } from './origin.ts';

/**
 * On every response. API answers (JSON, plain text) are never pages: nothing
 * may load from them, frame them or sniff them into HTML. Links to elsewhere
 * get no Referer (a private server's name and paths stay private), while
 * same-origin requests keep theirs, and with it an Origin on every POST.
 */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY'); // frame-ancestors for browsers that predate it
}

/**
 * Next.js pages: scripts only with this response's nonce (Next puts it on its
 * own script tags and inline payloads when it renders the page, which it reads
 * from the request's Content-Security-Policy header, so the request header is
 * ours, never the client's), and what those scripts load ('strict-dynamic').
 * 'self' is the fallback for browsers without nonces. The WebSocket is named
 * as well as 'self', which older browsers do not extend to ws: and wss:.
 * The service worker (public/sw.js, Web Push) needs worker-src: without it
 * workers fall back to script-src, where 'strict-dynamic' ignores 'self'.
 */
export function setPageHeaders(req: IncomingMessage, res: ServerResponse, options: { dev: boolean }): void {
  const nonce = crypto.randomBytes(16).toString('base64');
  const host = parseHost(req.headers.host) ? req.headers.host : undefined;
  const policy = [
    "default-src 'self'",
    // Development only: React's dev build and hot reload evaluate code.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "worker-src 'self'",
    `connect-src 'self'${host ? ` ws://${host} wss://${host}` : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  req.headers['content-security-policy'] = policy;
  delete req.headers['content-security-policy-report-only'];
  res.setHeader('Content-Security-Policy', policy);
}
