import type WebSocket from 'ws';

/** A refused upgrade as the client sees it: the status, why, and when to come back. */
export function refusal(ws: WebSocket): Promise<{ status: number; body: string; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim(), retryAfter: res.headers['retry-after'] }));
    });
    ws.once('open', () => reject(new Error('the upgrade was accepted')));
  });
}
