/**
 * What differs between the two servers under test, on the wire. Everything
 * else in the load generator (pacing, timing, counting) is shared, so both get
 * exactly the same load.
 *
 * Hearth: tRPC v11 over WebSocket (connectionParams first, then an
 * `events.room` subscription) and `messages.send` over HTTP.
 * Baseline: `{"subscribe": roomId}` over WebSocket and POST /send.
 */
export type Target = 'hearth' | 'baseline';

export interface Endpoint {
  target: Target;
  /** http://127.0.0.1:PORT */
  url: string;
}

export interface Subscription {
  roomId: string;
  /** Hearth session token (the baseline has no auth). */
  token?: string;
  lastEventId?: string;
}

export interface SendInput {
  roomId: string;
  token?: string;
  body: string;
  clientMessageId: string;
}

export const SUBSCRIPTION_ID = 1;

export function wsUrl(endpoint: Endpoint): string {
  const base = endpoint.url.replace(/^http/, 'ws');
  return endpoint.target === 'hearth' ? `${base}/api/trpc?connectionParams=1` : `${base}/ws`;
}

/** The frames a client sends right after the socket opens. */
export function openingFrames(endpoint: Endpoint, sub: Subscription): string[] {
  if (endpoint.target === 'baseline') return [JSON.stringify({ subscribe: sub.roomId, lastEventId: sub.lastEventId })];
  const params: Record<string, unknown> = { path: 'events.room', input: { roomId: sub.roomId } };
  if (sub.lastEventId !== undefined) params.lastEventId = sub.lastEventId;
  return [JSON.stringify({ method: 'connectionParams', data: { token: sub.token } }), JSON.stringify({ id: SUBSCRIPTION_ID, method: 'subscription', params })];
}

/**
 * Classifies a non-message frame. Hearth's subscription is live once its first
 * data frame (the presence snapshot) arrives: by then the stream has attached
 * to the bus. The baseline confirms with `{"subscribed":...}`.
 */
export function controlFrame(endpoint: Endpoint, text: string): 'ready' | 'error' | 'other' {
  if (endpoint.target === 'baseline') return text.startsWith('{"subscribed"') ? 'ready' : 'other';
  if (text.includes('"error"')) return 'error';
  return text.includes('"type":"data"') ? 'ready' : 'other';
}

export function sendRequest(endpoint: Endpoint, input: SendInput): { path: string; headers: Record<string, string>; payload: string } {
  const payload = JSON.stringify({ roomId: input.roomId, body: input.body, clientMessageId: input.clientMessageId });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (endpoint.target === 'baseline') return { path: '/send', headers, payload };
  if (input.token) headers.authorization = `Bearer ${input.token}`;
  return { path: '/api/trpc/messages.send', headers, payload };
}
