import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../app/services.ts';
import { isLocalRequest } from './client-ip.ts';

/**
 * GET /metrics, Prometheus text. With METRICS_TOKEN set, it needs
 * `Authorization: Bearer <token>` (compared in constant time), from anywhere.
 * Without, only a loopback peer that did not come through a proxy may read
 * it: a scraper on the same machine, never the internet by way of a reverse
 * proxy on the same machine (whose requests carry X-Forwarded-For).
 */
export async function serveMetrics(services: Pick<Services, 'config' | 'metrics'>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const token = services.config.METRICS_TOKEN;
  if (token ? !bearerMatches(req, token) : !isLocalRequest(req)) {
    const status = token ? 401 : 403;
    const headers = { 'Content-Type': 'text/plain', ...(token ? { 'WWW-Authenticate': 'Bearer' } : {}) };
    res.writeHead(status, headers).end(token ? 'A metrics token is required\n' : 'Metrics are served to loopback clients only (or set METRICS_TOKEN)\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed\n');
    return;
  }
  const { contentType, body } = await services.metrics.render();
  res.writeHead(200, { 'Content-Type': contentType }).end(req.method === 'HEAD' ? undefined : body);
}

function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}
