import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** A client that never answers the close frame keeps its socket no longer than this. */
const LINGER_MS = 5000;

/**
 * Refuses an upgrade in a way a browser can read: a browser's WebSocket never
 * sees an upgrade's HTTP status (only "error", then close code 1006), but it
 * does see a close code and reason. So the handshake is answered (101) and
 * the close frame follows in the same write; nothing else of a connection is
 * made (no WebSocket object, no place in admission), so this costs about what
 * an HTTP 429 does: one SHA-1 and one write. A request that is not a valid
 * version-13 handshake gets `false`, and the caller answers it over HTTP.
 */
export function closeAtOnce(req: IncomingMessage, socket: Duplex, code: number, reason: string): boolean {
  const key = req.headers['sec-websocket-key'];
  const valid =
    req.method === 'GET' &&
    req.headers.upgrade?.toLowerCase() === 'websocket' &&
    req.headers['sec-websocket-version'] === '13' &&
    typeof key === 'string' &&
    /^[+/0-9A-Za-z]{22}==$/.test(key);
  if (!valid) return false;
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  const handshake = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
  const text = Buffer.from(reason).subarray(0, 123); // a close reason's limit; Hearth's are short ASCII
  const frame = Buffer.alloc(4 + text.length);
  frame[0] = 0x88; // FIN + close
  frame[1] = 2 + text.length; // unmasked, < 126
  frame.writeUInt16BE(code, 2);
  text.copy(frame, 4);
  // Read and drop what the client sends back (its close frame), so its FIN is
  // seen and the socket ends cleanly; destroying it at once could reset the
  // connection before the client has read the close frame.
  socket.resume();
  socket.end(Buffer.concat([Buffer.from(handshake, 'latin1'), frame]));
  const linger = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(linger));
  return true;
}
