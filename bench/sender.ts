import http from 'node:http';
import { stampedBody } from './body.ts';
import { nowUs } from './clock.ts';
import { Histogram, type SerializedHistogram } from './hist.ts';
import { sendRequest, type Endpoint } from './wire.ts';

export interface SendPlan {
  endpoint: Endpoint;
  /** Who sends where; see `pick`. */
  senders: { token?: string; roomId: string }[];
  /** cycle: in turn; random: any; slot: in-flight slot k always sends as senders[k]. */
  pick: 'cycle' | 'random' | 'slot';
  /** Messages per second, paced (open loop). Absent: as fast as acks come back (closed loop). */
  rate?: number;
  count: number;
  durationMs: number;
  /** Requests in flight at most (and HTTP sockets). */
  concurrency: number;
  step: number;
  bodyBytes: number;
  requestTimeoutMs: number;
}

export interface SendResult {
  sent: number;
  acked: number;
  failed: number;
  errors: Record<string, number>;
  ack: SerializedHistogram;
  firstSendUs: number;
  lastSendUs: number;
  lastAckUs: number;
  /** Paced sends held back because `concurrency` requests were already in flight (acks too slow). */
  late: number;
  maxSeq: number;
}

let sequence = 0;

/**
 * Sends stamped messages over HTTP with keep-alive sockets, paced or closed
 * loop, bounded by count and by time. The stamp is taken as the request is
 * written, so a receiver's latency is send-to-receipt, excluding our queueing.
 */
export async function runSends(plan: SendPlan, localAddress?: string): Promise<SendResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.concurrency, localAddress });
  const url = new URL(plan.endpoint.url);
  const ack = new Histogram();
  const errors: Record<string, number> = {};
  const r: SendResult = { sent: 0, acked: 0, failed: 0, errors, ack: ack.toJSON(), firstSendUs: 0, lastSendUs: 0, lastAckUs: 0, late: 0, maxSeq: 0 };
  const note = (kind: string) => (errors[kind] = (errors[kind] ?? 0) + 1);
  const started = nowUs();
  const endUs = started + plan.durationMs * 1000;
  let inflight = 0;

  const senderFor = (slot: number, i: number) => {
    const n = plan.senders.length;
    if (plan.pick === 'slot') return plan.senders[slot % n]!;
    if (plan.pick === 'random') return plan.senders[Math.floor(Math.random() * n)]!;
    return plan.senders[i % n]!;
  };

  const sendOne = (slot: number): Promise<void> => {
    const i = r.sent++;
    const who = senderFor(slot, i);
    const body = stampedBody(plan.step, plan.bodyBytes);
    const { path, headers, payload } = sendRequest(plan.endpoint, {
      roomId: who.roomId,
      token: who.token,
      body,
      clientMessageId: `${process.pid}-${plan.step}-${sequence++}`,
    });
    const sentUs = nowUs();
    if (!r.firstSendUs) r.firstSendUs = sentUs;
    r.lastSendUs = sentUs;
    inflight++;
    return new Promise((resolve) => {
      const done = (error?: string) => {
        inflight--;
        if (error) {
          r.failed++;
          note(error);
        }
        resolve();
      };
      const req = http.request(
        { host: url.hostname, port: url.port, path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(payload) }, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200) {
              const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? '';
              return done(`HTTP ${res.statusCode} ${code}`.trim());
            }
            const now = nowUs();
            r.acked++;
            r.lastAckUs = now;
            ack.record(now - sentUs);
            const seq = Number(/"seq":(\d+)/.exec(text)?.[1] ?? 0);
            if (seq > r.maxSeq) r.maxSeq = seq;
            done();
          });
          res.on('error', (err: NodeJS.ErrnoException) => done(`response ${err.code ?? err.message}`));
        },
      );
      req.setTimeout(plan.requestTimeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) => done(`request ${err.code ?? err.message}`));
      req.end(payload);
    });
  };

  if (plan.rate === undefined) {
    // Closed loop: each slot sends its next message when the last one is acked.
    const slot = async (k: number) => {
      while (r.sent < plan.count && nowUs() < endUs) await sendOne(k);
    };
    await Promise.all(Array.from({ length: plan.concurrency }, (_, k) => slot(k)));
  } else {
    // Open loop: message i is due at start + i/rate; late ones go as soon as a slot frees.
    const intervalUs = 1e6 / plan.rate;
    const all: Promise<void>[] = [];
    await new Promise<void>((resolve) => {
      let heldBack = -1;
      const tick = () => {
        const now = nowUs();
        while (r.sent < plan.count && now < endUs && started + r.sent * intervalUs <= now) {
          if (inflight >= plan.concurrency) {
            if (heldBack !== r.sent) r.late++;
            heldBack = r.sent;
            break;
          }
          all.push(sendOne(r.sent));
        }
        if (r.sent >= plan.count || now >= endUs) return resolve();
        const dueInMs = (started + r.sent * intervalUs - now) / 1000;
        setTimeout(tick, Math.max(0, Math.min(dueInMs, 50)));
      };
      tick();
    });
    await Promise.all(all);
  }
  agent.destroy();
  r.ack = ack.toJSON();
  return r;
}
