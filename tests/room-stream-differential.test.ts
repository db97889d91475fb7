import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { type WebSocketServer } from 'ws';
import { TRPC_SERVER_VERSION } from '../src/server/adapters/trpc.ts';
import type { AppRouter } from '../src/server/api/root.ts';
import { channels } from '../src/server/realtime/bus-events.ts';
import type { HearthSocket } from '../src/server/ws/hearth-socket.ts';
import type { SocketConnection } from '../src/server/ws/socket-connection.ts';
import { createWebSocketEndpoint } from '../src/server/ws/endpoint.ts';
import { acquaint, createRoom, people } from './helpers/chat.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer, type TestServer } from './helpers/server.ts';

/**
 * The room stream served two ways must look the same on the wire: through
 * its frame writer (Hearth's endpoint) and through tRPC's own ws adapter
 * (a second endpoint on the same services, `roomFrames: false`). One script
 * runs against each, on fresh people and rooms; the frames each request id
 * got are compared after normalising only what must differ between two runs
 * (ids, timestamps). Frames of different ids may interleave differently: tRPC
 * promises no order between requests, so neither may a client rely on one.
 */

const installed = JSON.parse(fs.readFileSync(new URL('../node_modules/@trpc/server/package.json', import.meta.url), 'utf8')).version as string;

type Frame = Record<string, unknown>;

/** A raw socket that keeps every frame the server sends, by request id. */
class Recorder {
  readonly frames: Frame[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      if (text !== 'PING' && text !== 'PONG') this.frames.push(JSON.parse(text) as Frame);
    });
  }

  static async open(url: string, token?: string): Promise<Recorder> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/trpc${token ? '?connectionParams=1' : ''}`);
    const recorder = new Recorder(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    if (token) ws.send(JSON.stringify({ method: 'connectionParams', data: { token } }));
    return recorder;
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  of(id: unknown): Frame[] {
    return this.frames.filter((frame) => frame.id === id);
  }

  /** Waits for a frame of `id` matching `test` (the default: any). */
  async await(id: unknown, test: (frame: Frame) => boolean = () => true): Promise<void> {
    await until(() => this.of(id).some(test));
  }

  /** Every frame, grouped by id in order of arrival within each. */
  byId(): Record<string, Frame[]> {
    const ids = [...new Set(this.frames.map((frame) => JSON.stringify(frame.id)))].sort();
    return Object.fromEntries(ids.map((id) => [id, this.of(JSON.parse(id))]));
  }
}

const subscribe = (id: unknown, input: unknown, extra: Record<string, unknown> = {}) => ({
  id,
  method: 'subscription',
  params: { path: 'events.room', input },
  ...extra,
});
interface Data {
  id?: string;
  type?: string;
  online?: string[];
  data?: Data;
}
/** A data frame's value: `{ id, data }` for a tracked event. */
const value = (frame: Frame) => ((frame.result as { data?: Data } | undefined)?.data ?? {}) as Data;
const event = (frame: Frame) => value(frame).data ?? value(frame);
const tracked = (seq: number) => (frame: Frame) => value(frame).id === String(seq);
const hasEvent = (type: string) => (frame: Frame) => event(frame).type === type;
const isType = (type: string) => (frame: Frame) => (frame.result as { type?: string } | undefined)?.type === type;
const isError = (frame: Frame) => 'error' in frame;

/** Resolves when the bus carries a presence event for the room showing `count` online. */
function presenceOnBus(hearth: TestServer, roomId: string, count: number): Promise<void> {
  return new Promise((resolve) => {
    const off = hearth.server.services.bus.subscribe(channels.room(roomId), (e) => {
      const ev = e as { type: string; online?: string[] };
      if (ev.type === 'presence' && ev.online?.length === count) {
        off();
        resolve();
      }
    });
  });
}

/** Room subscriptions the frame writer holds on an endpoint's sockets. */
const servedByFrames = (wss: WebSocketServer) => [...wss.clients].reduce((sum, ws) => sum + ((ws as HearthSocket).owner as SocketConnection).rooms.size, 0);

/** One scripted session against the endpoint at `url`, by people named with `tag`. */
async function script(hearth: TestServer, url: string, wss: WebSocketServer, tag: string) {
  const cast = await people(hearth, `alice${tag}`, `bob${tag}`, `carol${tag}`);
  const [alice, bob, carol] = [cast[`alice${tag}`]!, cast[`bob${tag}`]!, cast[`carol${tag}`]!];
  // Only the first run's alice is the server's admin; each run's alice reaches her bob as a contact (chat/reach.ts).
  await acquaint(alice, bob);
  // Room names are unique: each run names its room after its alice, whose name is normalised away.
  const room = await createRoom({ by: alice, members: [bob], name: `${alice.name} room` });
  const lobby = await createRoom({ by: carol, kind: 'open', name: `lobby${tag}` });
  const hidden = await createRoom({ by: carol, name: `hidden${tag}` });
  const say = (body: string) => alice.api.messages.send.mutate({ roomId: room.id, body, clientMessageId: crypto.randomUUID() });
  await say('one');
  const two = await say('two');

  const bobOnline = presenceOnBus(hearth, room.id, 1);
  const b = await Recorder.open(url, bob.token);
  await bobOnline; // settled before any subscription: a snapshot, never a race with it

  // Subscribe with a cursor: the presence snapshot at it, then the replay.
  b.send(subscribe(1, { roomId: room.id, lastEventId: '1' }));
  await b.await(1, tracked(two.seq));

  // One frame, several calls: bad input, an open room and a hidden one it is
  // not a member of, and a query.
  b.send([
    subscribe(2, { roomId: 'not-a-uuid' }),
    subscribe(3, { roomId: lobby.id }),
    subscribe(4, { roomId: hidden.id }),
    { id: 5, method: 'query', params: { path: 'rooms.members', input: { roomId: room.id } } },
  ]);
  for (const id of [2, 3, 4, 5]) await b.await(id);

  // Live: a message, typing, a receipt, someone coming online.
  const three = await say('three');
  await b.await(1, tracked(three.seq));
  await alice.api.typing.set.mutate({ roomId: room.id, typing: true });
  await b.await(1, hasEvent('typing'));
  await alice.api.messages.markRead.mutate({ roomId: room.id, seq: three.seq });
  await b.await(1, hasEvent('receipt'));
  const a = await Recorder.open(url, alice.token);
  await b.await(1, (f) => event(f).online?.length === 2);

  // A string id with jsonrpc, resuming past the end: a reset. Then the slot cap (3 here).
  b.send(subscribe('s', { roomId: room.id }, { jsonrpc: '2.0', params: { path: 'events.room', input: { roomId: room.id }, lastEventId: '999' } }));
  await b.await('s', hasEvent('presence'));
  b.send(subscribe(6, { roomId: room.id }));
  await b.await(6, hasEvent('presence'));
  const served = servedByFrames(wss);
  b.send(subscribe(7, { roomId: room.id }));
  await b.await(7, isError);

  // Unsubscribe one, and stop an id nobody holds.
  b.send({ id: 6, method: 'subscription.stop' });
  b.send({ id: 99, method: 'subscription.stop' });
  await b.await(6, isType('stopped'));

  // A subscription id already in use, alone and with a slot free: tRPC's
  // adapter (11.22.1) runs the procedure before it looks for a duplicate, so
  // one sent beside subscriptions still being set up, or with no slot left,
  // is refused by whichever check it meets first.
  b.send(subscribe(1, { roomId: room.id }));
  await b.await(1, isError);

  // Reconnect from the last event id seen before `three`.
  const r = await Recorder.open(url, bob.token);
  r.send(subscribe(1, { roomId: room.id, lastEventId: String(two.seq) }));
  await r.await(1, tracked(three.seq));

  // No session at all.
  const n = await Recorder.open(url);
  n.send(subscribe(1, { roomId: room.id }));
  await n.await(1, isError);

  // Removal ends every stream of Bob's on the room.
  await alice.api.rooms.removeMember.mutate({ roomId: room.id, userId: bob.id });
  for (const [socket, id] of [
    [b, 1],
    [b, 's'],
    [r, 1],
  ] as const)
    await socket.await(id, isType('stopped'));

  // Sentinels: a reply on each socket after everything above; what came before it is all there is.
  for (const socket of [b, r, n, a]) {
    socket.send({ id: 'sentinel', method: 'query', params: { path: 'rooms.list' } });
    await socket.await('sentinel');
  }
  const recorded = { bob: b.byId(), bobAgain: r.byId(), nobody: n.byId(), alice: a.byId() };
  for (const socket of [b, r, n, a]) socket.ws.close();
  return { recorded, served, cast: [alice, bob, carol] };
}

/**
 * Replaces what differs between two runs by placeholders: people (ids and
 * names) by their part in the script, other uuids in order of appearance,
 * times. Who is online is a set: sorted, its order is the store's.
 */
function normalised(value: unknown, cast: Array<{ id: string; name: string }>): string {
  const seen = new Map<string, string>();
  const person = (id: string) => `<person${cast.findIndex((p) => p.id === id)}>`;
  let text = JSON.stringify(value, (key, v: unknown) => (key === 'online' && Array.isArray(v) ? v.map((id: string) => person(id)).sort() : v));
  for (const [i, { id, name }] of cast.entries()) text = text.replaceAll(id, `<person${i}>`).replace(new RegExp(name, 'gi'), `<name${i}>`);
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (uuid) => {
      if (!seen.has(uuid)) seen.set(uuid, `<id${seen.size}>`);
      return seen.get(uuid)!;
    })
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
}

/**
 * The stock @trpc/client over a recording WebSocket: subscribe, a live
 * message, a dropped connection it resumes from its last event id (the
 * reconnect waits on `gate` until a message was sent meanwhile), unsubscribe.
 */
async function stockClient(hearth: TestServer, url: string, tag: string) {
  const cast = await people(hearth, `dave${tag}`, `erin${tag}`);
  const [dave, erin] = [cast[`dave${tag}`]!, cast[`erin${tag}`]!];
  await acquaint(dave, erin); // dave is no admin: he reaches erin as a contact (chat/reach.ts)
  const room = await createRoom({ by: dave, members: [erin], name: `${dave.name} room` });
  const say = (body: string) => dave.api.messages.send.mutate({ roomId: room.id, body, clientMessageId: crypto.randomUUID() });
  // Erin stays online on a socket of her own: her client dropping changes no presence.
  const erinOnline = presenceOnBus(hearth, room.id, 1);
  const held = await Recorder.open(url, erin.token);
  await erinOnline;

  const received: Frame[] = [];
  const sent: unknown[] = [];
  const sockets: WebSocket[] = [];
  class Recording extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      sockets.push(this);
      this.on('message', (data) => {
        const text = data.toString();
        if (text !== 'PING' && text !== 'PONG') received.push(JSON.parse(text) as Frame);
      });
    }
    override send(data: unknown, ...rest: unknown[]): void {
      sent.push(JSON.parse(String(data)));
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  }
  let gate = Promise.resolve();
  const wsUrl = `${url.replace(/^http/, 'ws')}/api/trpc`;
  const wsClient = createWSClient({
    url: async () => (await gate, wsUrl),
    connectionParams: { token: erin.token },
    WebSocket: Recording as unknown as typeof globalThis.WebSocket,
    retryDelayMs: () => 0,
  });
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
  const events: unknown[] = [];
  const subscription = client.events.room.subscribe({ roomId: room.id }, { onData: (item) => events.push(item) });
  await until(() => events.length === 1); // the presence snapshot
  await say('a');
  await until(() => events.length === 2);

  let reopen = () => {};
  gate = new Promise((resolve) => (reopen = resolve));
  sockets[0]!.terminate();
  const missed = await say('b');
  reopen();
  await until(() => received.some(tracked(missed.seq)));
  subscription.unsubscribe();
  await until(() => received.some(isType('stopped')));
  await client.rooms.list.query(); // the sentinel
  wsClient.close();
  held.ws.close();
  const byId = Object.fromEntries(
    [...new Set(received.map((f) => JSON.stringify(f.id)))].sort().map((id) => [id, received.filter((f) => JSON.stringify(f.id) === id)]),
  );
  return { recorded: { sent, received: byId, sockets: sockets.length }, cast: [dave, erin, { id: erin.token, name: 'token-of-erin' }] };
}

const closeables: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closeables.splice(0)) await close();
});

/** tRPC's own adapter on the same services, on a server of its own. */
async function plainEndpoint(hearth: TestServer): Promise<{ url: string; wss: WebSocketServer }> {
  const endpoint = createWebSocketEndpoint(hearth.server.services, { roomFrames: false });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => endpoint.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeables.push(
    () => endpoint.dispose(),
    () => new Promise((resolve) => server.close(resolve)),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, wss: endpoint.wss };
}

describe(`the room stream's frame writer, against tRPC's own ws adapter (@trpc/server ${TRPC_SERVER_VERSION})`, () => {
  it('relies on the @trpc/server version it was checked against', () => {
    expect(
      installed,
      `@trpc/server is ${installed}, the frame writer was checked against ${TRPC_SERVER_VERSION}: run this test, then update TRPC_SERVER_VERSION in src/server/adapters/trpc.ts`,
    ).toBe(TRPC_SERVER_VERSION);
  });

  it('writes the same frames for one scripted session: replay, live events, errors, batches, reset, unsubscribe, reconnect, removal', async () => {
    const hearth = await startServer({ env: { MAX_SUBSCRIPTIONS_PER_CONNECTION: '3', TYPING_TTL_MS: '60000' } });
    const plain = await plainEndpoint(hearth);
    const written = await script(hearth, hearth.url, hearth.server.websocket.wss, 'W');
    const adapted = await script(hearth, plain.url, plain.wss, 'T');
    // Each endpoint served the streams its own way: Bob's three through the frame writer, or none.
    expect([written.served, adapted.served]).toEqual([3, 0]);
    const frames = normalised(written.recorded, written.cast);
    expect(normalised(adapted.recorded, adapted.cast), `the frame writer's frames differ from tRPC's (@trpc/server ${installed})`).toBe(frames);
    // The comparison is not vacuous: every kind of frame the script asks for is there.
    for (const kind of [
      '"type":"started"',
      '"type":"stopped"',
      '"type":"reset"',
      '"type":"typing"',
      '"type":"receipt"',
      '"type":"member.left"',
      'Duplicate id',
      'UNAUTHORIZED',
      'FORBIDDEN',
      'NOT_FOUND',
      'TOO_MANY_REQUESTS',
      'BAD_REQUEST',
      '"jsonrpc":"2.0"',
    ]) {
      expect(frames).toContain(kind);
    }
  });
});

describe('the stock @trpc/client', () => {
  it('sees the same frames from either endpoint, through a dropped connection resumed from its last event id', async () => {
    const hearth = await startServer();
    const plain = await plainEndpoint(hearth);
    const written = await stockClient(hearth, hearth.url, 'w');
    const adapted = await stockClient(hearth, plain.url, 't');
    const frames = normalised(written.recorded, written.cast);
    expect(normalised(adapted.recorded, adapted.cast), `the frame writer's frames differ from tRPC's (@trpc/server ${installed})`).toBe(frames);
    expect(written.recorded.sockets).toBe(2);
    expect(frames).toContain('"lastEventId":"3"');
    expect(frames).toContain('"type":"stopped"');
  });
});
