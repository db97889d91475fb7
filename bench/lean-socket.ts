import crypto from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';

/**
 * A minimal WebSocket client for the load generators: handshake over
 * node:http, then frames parsed straight off the TCP stream. With `ws` the
 * receivers cost more CPU per delivery than the baseline server itself, and
 * on two cores that would cap the very ceiling being measured. This one hands
 * each message to the caller as (chunk, start, end) without copying it.
 * Client frames are masked; server frames are not (RFC 6455).
 */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface LeanHandlers {
  open(): void;
  message(buf: Buffer, start: number, end: number): void;
  close(code: number): void;
  error(err: Error & { code?: string }): void;
}

export class LeanSocket {
  private socket: Socket | null = null;
  private pending: Buffer | null = null;
  private fragments: Buffer[] = [];
  private closed = false;
  private closeCode = 1006;

  constructor(
    url: string,
    opts: { localAddress?: string; timeoutMs: number },
    private readonly on: LeanHandlers,
  ) {
    const { hostname, port, pathname, search } = new URL(url.replace(/^ws/, 'http'));
    const key = crypto.randomBytes(16).toString('base64');
    const req = http.request({
      host: hostname,
      port,
      path: pathname + search,
      localAddress: opts.localAddress,
      agent: false,
      timeout: opts.timeoutMs,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' },
    });
    req.on('upgrade', (res, socket, head) => {
      const accept = crypto
        .createHash('sha1')
        .update(key + GUID)
        .digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) {
        socket.destroy();
        return this.fail(new Error('bad Sec-WebSocket-Accept'));
      }
      this.socket = socket;
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => this.read(chunk));
      socket.on('error', (err) => this.on.error(err));
      socket.on('close', () => this.finish());
      this.on.open();
      if (head.length) this.read(head);
    });
    req.on('response', (res) => {
      res.resume();
      this.fail(Object.assign(new Error(`upgrade refused: HTTP ${res.statusCode}`), { code: `HTTP ${res.statusCode}` }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('handshake timeout'), { code: 'HANDSHAKE_TIMEOUT' })));
    req.on('error', (err) => this.fail(err));
    req.end();
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.on.error(err);
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.on.close(this.closeCode);
  }

  send(text: string): void {
    if (!this.socket || this.closed) return;
    const payload = Buffer.from(text);
    const n = payload.length;
    const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
    const frame = Buffer.allocUnsafe(head + 4 + n);
    frame[0] = 0x81;
    if (n < 126) frame[1] = 0x80 | n;
    else if (n < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(n, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(n), 2);
    }
    const mask = crypto.randomBytes(4);
    mask.copy(frame, head);
    for (let i = 0; i < n; i++) frame[head + 4 + i] = payload[i]! ^ mask[i & 3]!;
    this.socket.write(frame);
  }

  terminate(): void {
    this.socket?.destroy();
    this.finish();
  }

  private read(chunk: Buffer): void {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let at = 0;
    while (buf.length - at >= 2) {
      const b0 = buf[at]!;
      const b1 = buf[at + 1]!;
      let len = b1 & 0x7f;
      let head = 2;
      if (len === 126) {
        if (buf.length - at < 4) break;
        len = buf.readUInt16BE(at + 2);
        head = 4;
      } else if (len === 127) {
        if (buf.length - at < 10) break;
        len = buf.readUInt32BE(at + 6);
        head = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      if (masked) head += 4;
      if (buf.length - at < head + len) break;
      const start = at + head;
      const end = start + len;
      if (masked) {
        buf = Buffer.from(buf); // unusual for a server; unmask a private copy
        for (let i = 0; i < len; i++) buf[start + i]! ^= buf[at + head - 4 + (i & 3)]!;
      }
      this.frame(b0, buf, start, end);
      at = end;
    }
    if (at < buf.length) this.pending = buf.subarray(at);
  }

  private frame(b0: number, buf: Buffer, start: number, end: number): void {
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    if (opcode === 0x8) {
      if (end - start >= 2) this.closeCode = buf.readUInt16BE(start);
      this.socket?.end();
      return;
    }
    if (opcode === 0x9) return this.control(0x8a, buf.subarray(start, end));
    if (opcode === 0xa) return;
    if (!fin || opcode === 0x0) {
      this.fragments.push(Buffer.from(buf.subarray(start, end)));
      if (!fin) return;
      const whole = Buffer.concat(this.fragments);
      this.fragments = [];
      return this.on.message(whole, 0, whole.length);
    }
    this.on.message(buf, start, end);
  }

  private control(b0: number, payload: Buffer): void {
    const frame = Buffer.alloc(6 + payload.length);
    frame[0] = b0;
    frame[1] = 0x80 | payload.length;
    payload.copy(frame, 6); // zero mask: payload unchanged
    this.socket?.write(frame);
  }
}
