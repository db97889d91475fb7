/**
 * The ceiling Hearth is measured against: a minimal `ws` broadcast server with
 * no auth and no persistence. A client subscribes with `{"subscribe": roomId}`;
 * POST /send builds the event once, serialises it once (the same frame shape
 * and size Hearth sends: tRPC's data envelope around a message.created event)
 * and writes that one buffer to every subscriber of the room.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const rooms = new Map<string, Set<WebSocket>>();
const lastSeq = new Map<string, number>();

function broadcast(input: { roomId: string; body: string; clientMessageId: string }) {
  const { roomId } = input;
  const seq = (lastSeq.get(roomId) ?? 0) + 1;
  lastSeq.set(roomId, seq);
  const message = {
    id: crypto.randomUUID(),
    seq,
    roomId,
    authorId: '00000000-0000-4000-8000-000000000000',
    body: input.body,
    clientMessageId: input.clientMessageId,
    createdAt: new Date().toISOString(),
    editedAt: null,
    deletedAt: null,
  };
  const id = String(seq);
  const event = { type: 'message.created', roomId, seq, message };
  const frame = Buffer.from(JSON.stringify({ id: 1, result: { type: 'data', id, data: { id, data: event } } }));
  for (const ws of rooms.get(roomId) ?? []) ws.send(frame, { binary: false });
  return message;
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/send') return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let input: { roomId?: unknown; body?: unknown; clientMessageId?: unknown };
    try {
      input = JSON.parse(Buffer.concat(chunks).toString());
    } catch {
      return void res.writeHead(400).end();
    }
    const message = broadcast({ roomId: String(input.roomId), body: String(input.body), clientMessageId: String(input.clientMessageId) });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: { data: message } }));
  });
});

const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (ws) => {
  let room: Set<WebSocket> | undefined;
  ws.on('error', () => ws.terminate());
  ws.on('message', (data) => {
    const text = data.toString();
    if (text === 'PING') return void ws.send('PONG');
    let msg: { subscribe?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return void ws.close(1003, 'bad frame');
    }
    if (typeof msg.subscribe !== 'string' || room) return;
    const roomId = msg.subscribe;
    room = rooms.get(roomId) ?? new Set();
    rooms.set(roomId, room);
    room.add(ws);
    ws.send(JSON.stringify({ subscribed: roomId }));
  });
  ws.on('close', () => {
    room?.delete(ws);
  });
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'baseline listening', url: `http://${address}:${port}` }));
});
process.once('SIGTERM', () => process.exit(0));
process.once('SIGINT', () => process.exit(0));
