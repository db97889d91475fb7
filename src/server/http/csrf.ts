import type { IncomingMessage } from 'node:http';
import { header } from './headers.ts';
import { isOriginAllowed } from './origin.ts';

/**
 * Whether a request comes from a browser page we do not trust (CSRF). With an
 * Origin, the Origin decides (ours or ALLOWED_ORIGINS). Without one, a browser
 * still says where the request came from in Sec-Fetch-Site: only same-origin
 * and none (typed by the user) pass. Neither header: not a browser (a service,
 * a bot, curl), which a forged page cannot drive; it still needs a token.
 */
export function isCrossSite(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  if (req.headers.origin !== undefined) return !isOriginAllowed(req, allowedOrigins);
  const site = header(req.headers, 'sec-fetch-site');
  if (site === undefined) return false;
  return site !== 'same-origin' && site !== 'none';
}

/**
 * Mutations take JSON bodies only. An HTML form can send
 * application/x-www-form-urlencoded, multipart/form-data and text/plain
 * cross-site without a CORS preflight; JSON it cannot. tRPC itself would also
 * accept form data and octet streams, so this runs before tRPC sees the body.
 */
export function isJsonBody(req: IncomingMessage): boolean {
  const type = header(req.headers, 'content-type');
  if (type === undefined) return false;
  return /^application\/json\s*(;|$)/i.test(type.trim());
}
