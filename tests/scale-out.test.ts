import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/server/api/root.ts';
import type { RoomStreamEvent } from '../src/server/chat/room-events.ts';
import { createNodeHearthClient } from '../src/trpc/node.ts';
import { range } from './helpers/chat.ts';
import { freshPostgresDatabase, redisTestUrl, servicesAvailable } from './helpers/database.ts';
import { spawnHearth, TEST_SETUP_TOKEN, type HearthProcess } from './helpers/process.ts';
import { until, untilResolves } from './helpers/raw-ws.ts';
import { freePort, startRedis } from './helpers/redis.ts';

const PASSWORD = 'correct horse battery';
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function cluster(redisUrl = redisTestUrl()!) {
  const database = await freshPostgresDatabase();
  cleanups.push(() => database.drop());
  const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl, SERVE_WEB: 'false', PRESENCE_TTL_MS: '2000', TYPING_TTL_MS: '1000' };
  const [a, b] = await Promise.all([spawnHearth(env), spawnHearth(env)]);
  for (const node of [a, b]) cleanups.push(() => kill(node));
  return { a, b, env };
}

async function kill(node: HearthProcess) {
  if (node.child.exitCode === null && node.child.signalCode === null) {
    node.child.kill('SIGKILL');
    await node.exited;
  }
}

function client(url: string | (() => string), token?: string) {
  const wsClient = createWSClient({
    url: () => `${(typeof url === 'string' ? url : url()).replace('http', 'ws')}/api/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: token ? { token } : undefined,
    retryDelayMs: () => 200,
  });
  cleanups.push(() => wsClient.close());
  return createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] });
}

function watch(api: ReturnType<typeof client>, roomId: string) {
  const events: { id?: string; event: RoomStreamEvent }[] = [];
  let starts = 0;
  api.events.room.subscribe(
    { roomId },
    {
      onStarted: () => starts++,
      onData: (value) => {
        const item = value as { id?: string; data?: RoomStreamEvent };
        events.push(item.id !== undefined && item.data ? { id: item.id, event: item.data } : { event: value as RoomStreamEvent });
      },
    },
  );
  return {
    events,
    starts: () => starts,
    /** Seqs of durable events (the opening presence is tracked at the cursor, but is not one). */
    seqs: () => events.filter((e) => e.id !== undefined && e.event.type !== 'presence').map((e) => Number(e.id)),
  };
}

async function people(url: string) {
  const anon = client(url);
  const alice = await anon.auth.register.mutate({ username: 'alice', password: PASSWORD, setupToken: TEST_SETUP_TOKEN });
  const bob = await anon.auth.register.mutate({ username: 'bob', password: PASSWORD, setupToken: TEST_SETUP_TOKEN });
  return { alice, bob };
}

function sendWithRetry(api: ReturnType<typeof createNodeHearthClient>['trpc'], roomId: string, clientMessageId: string) {
  return untilResolves(() => api.messages.send.mutate({ roomId, body: clientMessageId, clientMessageId }), 15_000);
}

// Without PostgreSQL and Redis (never under CI=true) the suite is skipped, with the apt-get line.
describe.skipIf(!servicesAvailable())('several instances on PostgreSQL + Redis', { timeout: 120_000 }, () => {
  it('delivers a message sent through A to a subscriber on B exactly once, in order; presence and typing cross too', async () => {
    const { a, b } = await cluster();
    const { alice, bob } = await people(a.url);
    const aliceOnA = client(a.url, alice.token);
    const room = await aliceOnA.rooms.create.mutate({ name: 'across', kind: 'closed', memberIds: [bob.user.id] });
    const bobOnB = watch(client(b.url, bob.token), room.id);
    await until(() => bobOnB.starts() === 1, 10_000);

    await aliceOnA.auth.me.query(); // Alice's socket on A makes her online
    await until(() => bobOnB.events.some((e) => e.event.type === 'presence' && e.event.online.includes(alice.user.id)), 10_000);

    const sent = [];
    for (const i of range(1, 30)) sent.push(await aliceOnA.messages.send.mutate({ roomId: room.id, body: `m${i}`, clientMessageId: `m${i}` }));
    await until(() => bobOnB.seqs().length === 30, 10_000);

    // Alice's typing is also the sentinel for "exactly once": a late duplicate would arrive before it.
    const typing = (value: boolean) => () =>
      bobOnB.events.some((e) => e.event.type === 'typing' && e.event.userId === alice.user.id && e.event.typing === value);
    await aliceOnA.typing.set.mutate({ roomId: room.id, typing: true });
    await until(typing(true), 10_000);
    expect(bobOnB.seqs()).toEqual(sent.map((m) => m.seq));

    // A dies mid-sentence: the typing state lives in Redis, so B expires it and says so;
    // Alice's presence expires with A's heartbeat.
    await kill(a);
    await until(typing(false), 5000);
    await until(
      () =>
        bobOnB.events.filter((e) => e.event.type === 'presence').at(-1)?.event.type === 'presence' &&
        !(bobOnB.events.filter((e) => e.event.type === 'presence').at(-1)!.event as { online: string[] }).online.includes(alice.user.id),
      8000,
    );
  });

  it('keeps seqs contiguous with 20 concurrent senders split across both instances', async () => {
    const { a, b } = await cluster();
    const { alice, bob } = await people(a.url);
    const room = await client(a.url, alice.token).rooms.create.mutate({ name: 'busy', kind: 'open', memberIds: [bob.user.id] });
    const sends = range(1, 20).flatMap((s) => {
      const via = createNodeHearthClient({ url: s % 2 ? a.url : b.url, token: s % 3 ? alice.token : bob.token });
      cleanups.push(() => via.close());
      return range(1, 10).map((i) => via.trpc.messages.send.mutate({ roomId: room.id, body: `${s}/${i}`, clientMessageId: `${s}-${i}` }));
    });
    const seqs = (await Promise.all(sends)).map((m) => m.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(range(3, 202));
  });

  it('loses and duplicates nothing when Redis pub/sub connections are killed and Redis restarts mid-stream', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    cleanups.push(() => redis.kill('SIGKILL'));
    const { a, b } = await cluster(`redis://127.0.0.1:${port}`);
    const { alice, bob } = await people(a.url);
    const room = await client(a.url, alice.token).rooms.create.mutate({ name: 'faults', kind: 'closed', memberIds: [bob.user.id] });
    const onA = watch(client(a.url, bob.token), room.id);
    const onB = watch(client(b.url, bob.token), room.id);
    await until(() => onA.starts() === 1 && onB.starts() === 1, 10_000);

    const senders = [a, b].map((node) => {
      const c = createNodeHearthClient({ url: node.url, token: alice.token });
      cleanups.push(() => c.close());
      return c.trpc;
    });
    const acked: number[] = [];
    const admin = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    await admin.connect();
    for (const i of range(1, 120)) {
      if (i === 40) await admin.client('KILL', 'TYPE', 'pubsub');
      if (i === 80) {
        admin.disconnect();
        redis.kill('SIGKILL');
        await new Promise((r) => redis.once('exit', r));
        // Sends keep working on the database alone; health says the bus is down.
        const health = await fetch(`${a.url}/healthz`);
        expect(health.status).toBe(503);
        expect(await health.json()).toEqual({ status: 'degraded', database: 'ok', bus: 'down' });
        await sendWithRetry(senders[0]!, room.id, 'while-redis-is-down').then((m) => acked.push(m.seq));
        redis = await startRedis(port);
      }
      acked.push((await sendWithRetry(senders[i % 2]!, room.id, `f${i}`)).seq);
    }
    const last = Math.max(...acked);
    for (const stream of [onA, onB]) {
      await until(() => stream.seqs().at(-1) === last, 20_000);
      expect(stream.seqs()).toEqual(range(3, last));
    }
    expect(acked.sort((x, y) => x - y)).toEqual(range(3, 123));
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
  });

  it('moves the users of an instance killed with SIGKILL to the other, missing nothing', async () => {
    const { a, b } = await cluster();
    const { alice, bob } = await people(a.url);
    const room = await client(b.url, alice.token).rooms.create.mutate({ name: 'failover', kind: 'closed', memberIds: [bob.user.id] });
    let target = a.url;
    const bobs = watch(
      client(() => target, bob.token),
      room.id,
    );
    await until(() => bobs.starts() === 1, 10_000);
    const sender = createNodeHearthClient({ url: b.url, token: alice.token });
    cleanups.push(() => sender.close());
    for (const i of range(1, 10)) await sender.trpc.messages.send.mutate({ roomId: room.id, body: `${i}`, clientMessageId: `k${i}` });
    await until(() => bobs.seqs().length === 10, 10_000);

    await kill(a); // the load balancer now sends Bob to B
    target = b.url;
    for (const i of range(11, 30)) await sender.trpc.messages.send.mutate({ roomId: room.id, body: `${i}`, clientMessageId: `k${i}` });
    await until(() => bobs.seqs().length === 30, 20_000);
    expect(bobs.starts()).toBe(2);
    expect(bobs.seqs()).toEqual(range(3, 32));
  });
});
