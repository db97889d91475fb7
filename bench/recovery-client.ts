import WebSocket from 'ws';
import { openingFrames, wsUrl, type Endpoint } from './wire.ts';

export interface RecoverPlan {
  endpoint: Endpoint;
  token: string;
  roomId: string;
  /** The last event the client saw before it went away. */
  lastEventId: number;
  /** The room's last seq now: recovery is complete when the client has everything up to it. */
  lastSeq: number;
  timeoutMs: number;
}

export interface RecoverResult {
  /** replay: the stream replayed the gap; reset: it sent `reset` and the client paged history. */
  path: 'replay' | 'reset+history' | 'incomplete';
  ms: number;
  /** Time to the first replayed event (or to `reset`). */
  firstMs: number | null;
  events: number;
  historyPages: number;
  error?: string;
}

/**
 * One client coming back: a new socket, resubscribe with lastEventId, and
 * receive every missed event. If Hearth answers `reset` (the gap exceeds
 * REPLAY_LIMIT), do what a client must then do: page messages.history back to
 * where it was. The clock runs from opening the socket to holding the last event.
 */
export function recover(plan: RecoverPlan): Promise<RecoverResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return new Promise((resolve) => {
    const result: RecoverResult = { path: 'incomplete', ms: 0, firstMs: null, events: 0, historyPages: 0 };
    let done = false;
    const finish = (path: RecoverResult['path'], error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.terminate();
      Object.assign(result, { path, ms: elapsed() }, error ? { error } : {});
      resolve(result);
    };
    const timer = setTimeout(() => finish('incomplete', `timed out after ${plan.timeoutMs} ms`), plan.timeoutMs);
    const ws = new WebSocket(wsUrl(plan.endpoint), { perMessageDeflate: false });
    ws.on('open', () => {
      const sub = { roomId: plan.roomId, token: plan.token, lastEventId: String(plan.lastEventId) };
      for (const frame of openingFrames(plan.endpoint, sub)) ws.send(frame);
    });
    ws.on('error', (err) => finish('incomplete', err.message));
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text === 'PING') return ws.send('PONG');
      const msg = JSON.parse(text) as {
        error?: { message?: string };
        result?: { type?: string; data?: { id?: string; data?: { type?: string; seq?: number } } };
      };
      if (msg.error) return finish('incomplete', msg.error.message ?? 'subscription error');
      const event = msg.result?.data?.data;
      if (event?.type === 'reset') {
        result.firstMs ??= elapsed();
        ws.terminate();
        return void pageHistory(plan, result).then(
          () => finish('reset+history'),
          (err: Error) => finish('incomplete', err.message),
        );
      }
      if (event?.seq === undefined) return; // started, presence
      result.firstMs ??= elapsed();
      result.events++;
      if (event.seq >= plan.lastSeq) finish('replay');
    });
  });
}

/** messages.history from the newest page back to the client's last event. */
async function pageHistory(plan: RecoverPlan, result: RecoverResult): Promise<void> {
  let beforeSeq: number | undefined;
  for (let page = 0; page < 10_000; page++) {
    const input = encodeURIComponent(JSON.stringify({ roomId: plan.roomId, limit: 200, ...(beforeSeq ? { beforeSeq } : {}) }));
    const res = await fetch(`${plan.endpoint.url}/api/trpc/messages.history?input=${input}`, {
      headers: { authorization: `Bearer ${plan.token}` },
    });
    if (!res.ok) throw new Error(`messages.history: HTTP ${res.status}`);
    const { result: r } = (await res.json()) as { result: { data: { messages: { seq: number }[]; nextBeforeSeq: number | null } } };
    result.historyPages++;
    const missed = r.data.messages.filter((m) => m.seq > plan.lastEventId);
    result.events += missed.length;
    if (missed.length < r.data.messages.length || r.data.nextBeforeSeq === null) return;
    beforeSeq = r.data.nextBeforeSeq;
  }
}
