import http from 'node:http';
import WebSocket from 'ws';

export interface Addressed {
  /** The Host header, as a browser or proxy would write it (default: the server's own). */
  host?: string;
  /** A local address to connect from: on Linux all of 127.0.0.0/8 is this machine. */
  from?: string;
  headers?: Record<string, string>;
}

/**
 * One HTTP request with headers fetch() will not send as given (Host) or from
 * a chosen local address; resolves with the status, content type and body.
 */
export function request(url: string, path: string, options: Addressed & { method?: string; body?: unknown } = {}) {
  const target = new URL(path, url);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(options.host ? { host: options.host } : {}),
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  return new Promise<{ status: number; type: string; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request(target, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, localAddress: options.from }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens a WebSocket to /api/trpc: 101 when it opened (then closed again), else the refusal's status. */
export function upgradeStatus(url: string, options: Addressed = {}): Promise<number> {
  const headers = { ...(options.host ? { host: options.host } : {}), ...options.headers };
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/trpc`, { headers, localAddress: options.from });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy(); // ws leaves a refused handshake to whoever handles this event
    });
    ws.once('error', reject);
  });
}
