import { readStamp } from './body.ts';
import { nowUs } from './clock.ts';
import { Histogram, type SerializedHistogram } from './hist.ts';
import { LeanSocket } from './lean-socket.ts';
import { controlFrame, openingFrames, wsUrl, type Endpoint, type Subscription } from './wire.ts';

export interface OpenRequest {
  endpoint: Endpoint;
  subs: Subscription[];
  /** Handshakes in flight at once. */
  concurrency: number;
  /** For the whole batch; each connection also gives up after handshakeMs. */
  timeoutMs: number;
  handshakeMs: number;
}

export interface OpenResult {
  requested: number;
  ready: number;
  failed: number;
  ms: number;
}

export interface StepStats {
  count: number;
  firstUs: number;
  lastUs: number;
  hist: SerializedHistogram;
}

interface StepRecord {
  count: number;
  firstUs: number;
  lastUs: number;
  hist: Histogram;
}

/**
 * The subscribed sockets of one load-generator process. Every stamped frame
 * is counted and its latency recorded, per step; PINGs are answered; drops
 * and errors are counted by kind so the report can say what went wrong.
 */
export class Receivers {
  private readonly sockets = new Set<LeanSocket>();
  private readonly steps = new Map<number, StepRecord>();
  private closing = false;
  ready = 0;
  dropped = 0;
  readonly errors: Record<string, number> = {};
  readonly closeCodes: Record<string, number> = {};

  constructor(private readonly localAddress?: string) {}

  private note(kind: string): void {
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
  }

  private onStamped(sentUs: number, step: number): void {
    const now = nowUs();
    let rec = this.steps.get(step);
    if (!rec) this.steps.set(step, (rec = { count: 0, firstUs: now, lastUs: now, hist: new Histogram() }));
    rec.count++;
    rec.lastUs = now;
    rec.hist.record(now - sentUs);
  }

  async open(req: OpenRequest): Promise<OpenResult> {
    const started = Date.now();
    const deadline = started + req.timeoutMs;
    let next = 0;
    let ready = 0;
    let failed = 0;
    const worker = async () => {
      while (next < req.subs.length && Date.now() < deadline) {
        const sub = req.subs[next++]!;
        if (await this.connect(req, sub)) ready++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(req.concurrency, req.subs.length) }, worker));
    failed += req.subs.length - next; // never attempted: the batch ran out of time
    if (req.subs.length > next) this.note('not attempted (batch timeout)');
    return { requested: req.subs.length, ready, failed, ms: Date.now() - started };
  }

  private connect(req: OpenRequest, sub: Subscription): Promise<boolean> {
    const { endpoint } = req;
    return new Promise((resolve) => {
      let ready = false;
      let settled = false;
      const settle = (ok: boolean, why?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (why) this.note(why);
        resolve(ok);
      };
      const timer = setTimeout(() => {
        settle(false, 'subscribe timeout');
        ws.terminate();
      }, req.handshakeMs);
      const ws: LeanSocket = new LeanSocket(
        wsUrl(endpoint),
        { localAddress: this.localAddress, timeoutMs: req.handshakeMs },
        {
          open: () => {
            for (const frame of openingFrames(endpoint, sub)) ws.send(frame);
          },
          message: (buf, start, end) => {
            const stamp = readStamp(buf, start, end);
            if (stamp) return this.onStamped(stamp.sentUs, stamp.step);
            const text = buf.toString('utf8', start, end);
            if (text === 'PING') return ws.send('PONG');
            if (ready) return;
            const kind = controlFrame(endpoint, text);
            if (kind === 'ready') {
              ready = true;
              this.ready++;
              settle(true);
            } else if (kind === 'error') {
              const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? text.slice(0, 80);
              settle(false, `subscribe error ${code}`);
              ws.terminate();
            }
          },
          error: (err) => {
            if (!ready) settle(false, `connect error ${err.code ?? err.message}`);
            else this.note(`socket error ${err.code ?? err.message}`);
          },
          close: (code) => {
            this.sockets.delete(ws);
            if (!ready) return settle(false, `closed before subscribed (${code})`);
            this.ready--;
            if (this.closing) return;
            this.dropped++;
            this.closeCodes[code] = (this.closeCodes[code] ?? 0) + 1;
          },
        },
      );
      this.sockets.add(ws);
    });
  }

  counts(): Record<number, number> {
    const out: Record<number, number> = {};
    for (const [step, rec] of this.steps) out[step] = rec.count;
    return out;
  }

  /** Per-step figures; forgotten afterwards if asked (steps are read once). */
  stats(steps: number[], forget: boolean): Record<number, StepStats> {
    const out: Record<number, StepStats> = {};
    for (const step of steps) {
      const rec = this.steps.get(step);
      if (!rec) continue;
      out[step] = { count: rec.count, firstUs: rec.firstUs, lastUs: rec.lastUs, hist: rec.hist.toJSON() };
      if (forget) this.steps.delete(step);
    }
    return out;
  }

  status() {
    return { open: this.sockets.size, ready: this.ready, dropped: this.dropped, closeCodes: this.closeCodes, errors: this.errors };
  }

  closeAll(): number {
    this.closing = true;
    const n = this.sockets.size;
    for (const ws of this.sockets) ws.terminate();
    return n;
  }
}
