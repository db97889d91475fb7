import WebSocket from 'ws';

/** A bare WebSocket to the tRPC endpoint, for frames Hearth's client would never send. */
export function rawSocket(url: string, headers: Record<string, string> = {}, query = ''): WebSocket {
  return new WebSocket(`${url.replace(/^http/, 'ws')}/api/trpc${query}`, { headers });
}

export function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** The HTTP status of a refused upgrade. */
export function refusedStatus(ws: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => reject(new Error('the upgrade was accepted')));
  });
}

/** Collects every JSON message the server sends. */
export function messages(ws: WebSocket): unknown[] {
  const seen: unknown[] = [];
  ws.on('message', (data) => {
    const text = data.toString();
    seen.push(text === 'PING' || text === 'PONG' ? text : JSON.parse(text));
  });
  return seen;
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Tries `attempt` until it resolves (e.g. a send while the server restarts), and returns what it resolved with. */
export async function untilResolves<T>(attempt: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  let result: { value: T } | undefined;
  let lastError: unknown;
  const resolved = () =>
    attempt().then(
      (value) => {
        result = { value };
        return true;
      },
      (error: unknown) => {
        lastError = error;
        return false;
      },
    );
  await until(resolved, timeoutMs).catch(() => {
    throw new Error(`still failing after ${timeoutMs} ms`, { cause: lastError });
  });
  return result!.value;
}
