import net from 'node:net';

export interface RawAnswer {
  status: number;
  /** The status line and headers, as sent. */
  head: string;
  headers: Record<string, string>;
  body: string;
}

const CRLF = Buffer.from('\r\n');

/**
 * A request as exact bytes: the request line, then each header as given
 * (values may hold any byte, CR and LF included), then the body. Node's own
 * client refuses to send most of what the fuzz suites need to send.
 */
export function rawRequest(line: string, headers: Array<[string, string | Uint8Array]>, body: Uint8Array = new Uint8Array()): Buffer {
  const lines = headers.map(([name, value]) => Buffer.concat([Buffer.from(`${name}: `, 'latin1'), Buffer.from(value), CRLF]));
  return Buffer.concat([Buffer.from(line, 'latin1'), CRLF, ...lines, CRLF, body]);
}

/**
 * Writes `request` to the server and reads its one answer. A 101 resolves as
 * soon as its head is in (the WebSocket opened) and the socket is dropped;
 * anything else is read until the server closes, so send `Connection: close`.
 * With `end`, this side closes its half after writing (a body shorter than its
 * Content-Length). Resolves null when the server closed without answering;
 * throws when the bytes back are not an HTTP/1.1 response, or never come.
 */
export function exchange(url: string, request: Buffer, { end = false, timeoutMs = 5000 } = {}): Promise<RawAnswer | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => fail(new Error(`no answer in ${timeoutMs} ms to ${JSON.stringify(request.toString('latin1').slice(0, 300))}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const finish = (partial: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(chunks);
      if (bytes.length === 0) return resolve(null);
      try {
        resolve(parse(bytes, partial));
      } catch (error) {
        reject(error as Error);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      if (bytes.indexOf('\r\n\r\n') >= 0 && /^HTTP\/1\.1 101 /.test(bytes.toString('latin1', 0, 13))) finish(true);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the answer was written (Node drops the rest of a request it refused).
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return finish(false);
      fail(error);
    });
    socket.on('close', () => finish(false));
    socket.write(request);
    if (end) socket.end();
  });
}

function parse(bytes: Buffer, partial: boolean): RawAnswer {
  const text = bytes.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`an answer without a complete head: ${JSON.stringify(text.slice(0, 300))}`);
  const head = text.slice(0, split);
  const [statusLine, ...fields] = head.split('\r\n');
  const match = /^HTTP\/1\.1 (\d{3}) [^\r\n]*$/.exec(statusLine!);
  if (!match) throw new Error(`not an HTTP/1.1 status line: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) throw new Error(`a malformed header line in the answer: ${JSON.stringify(field)}`);
    headers[field.slice(0, colon).toLowerCase()] = field.slice(colon + 1).trim();
  }
  let body = bytes.subarray(Buffer.byteLength(head, 'latin1') + 4);
  if (!partial && headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  const length = headers['content-length'];
  if (!partial && length !== undefined && body.length < Number(length)) {
    throw new Error(`a body of ${body.length} bytes where ${length} were announced: ${JSON.stringify(text.slice(0, 300))}`);
  }
  return { status: Number(match[1]), head, headers, body: body.toString('utf8') };
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = bytes.indexOf('\r\n', at);
    const size = eol < 0 ? NaN : parseInt(bytes.toString('latin1', at, eol), 16);
    if (!Number.isInteger(size) || eol + 2 + size > bytes.length)
      throw new Error(`a malformed chunked body: ${JSON.stringify(bytes.toString('latin1').slice(0, 300))}`);
    if (size === 0) return Buffer.concat(parts);
    parts.push(bytes.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
