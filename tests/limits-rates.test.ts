import { describe, expect, it } from 'vitest';
import { acquaint, createRoom, people, range, watchRoom } from './helpers/chat.ts';
import { rejection, type WireAnswer } from './helpers/errors.ts';
import { until } from './helpers/raw-ws.ts';
import { realLimits, startServer, TestClock } from './helpers/server.ts';

const PASSWORD = 'correct horse battery';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('the message rate limit (per user, across connections)', () => {
  it('refuses a flooding user with TOO_MANY_REQUESTS and retryAfterMs; their socket stays open; another user in the room is not slowed', async () => {
    const clock = new TestClock(); // frozen: the bucket never refills unless we say so
    const hearth = await startServer({ clock, env: realLimits() });
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    await acquaint(carol, alice); // so carol may add them (chat/reach.ts)
    await acquaint(carol, bob);
    const room = await createRoom({ by: carol, members: [alice, bob] });
    const watcher = watchRoom(carol.connect(), room.id);
    await until(() => watcher.started);
    const arrivedAt = new Map<string, number>();
    const arrivals = watcher.received;
    const seen = () => {
      for (const { event } of arrivals.splice(0)) {
        if (event.type === 'message.created') arrivedAt.set(event.message.clientMessageId, performance.now());
        arrived.push(event);
      }
    };
    const arrived: (typeof arrivals)[number]['event'][] = [];
    const bobSays = async (id: string) => {
      const start = performance.now();
      await bob.api.messages.send.mutate({ roomId: room.id, body: `bob ${id}`, clientMessageId: id });
      await until(() => (seen(), arrivedAt.has(id)));
      return arrivedAt.get(id)! - start;
    };

    // Bob's latency at rest (the same path, warmed up). His 20 sends are his whole burst.
    for (const i of range(1, 2)) await bobSays(`warm${i}`);
    const quiet: number[] = [];
    for (const i of range(1, 9)) quiet.push(await bobSays(`q${i}`));

    // Alice floods from two connections at once: one bucket for both.
    const tabs = [hearth.client({ token: alice.token, transport: 'ws' }), hearth.client({ token: alice.token, transport: 'ws' })];
    let flooding = true;
    const outcomes: Array<{ ok: true } | { ok: false; code?: string; retryAfterMs?: number; limit?: string }> = [];
    const flood = tabs.map(async (tab, t) => {
      for (let i = 0; flooding || i < 100; i++) {
        await tab.trpc.messages.send.mutate({ roomId: room.id, body: `flood ${t}.${i}`, clientMessageId: `f${t}.${i}` }).then(
          () => outcomes.push({ ok: true }),
          (err) => outcomes.push({ ok: false, code: err.data?.code, retryAfterMs: err.data?.retryAfterMs, limit: err.data?.limit }),
        );
      }
    });
    const busy: number[] = [];
    for (const i of range(1, 9)) busy.push(await bobSays(`b${i}`));
    flooding = false;
    await Promise.all(flood);

    const accepted = outcomes.filter((o) => o.ok);
    const refused = outcomes.filter((o) => !o.ok);
    expect(accepted).toHaveLength(20); // MESSAGE_BURST; the frozen clock refills nothing
    expect(refused.length).toBeGreaterThanOrEqual(180);
    expect(new Set(refused.map((o) => !o.ok && `${o.code} ${o.limit}`))).toEqual(new Set(['TOO_MANY_REQUESTS message']));
    // One token comes back every second at 60 a minute.
    expect(refused.every((o) => !o.ok && o.retryAfterMs === 1000)).toBe(true);

    // Bob's messages kept arriving, in order, about as fast as before.
    expect(median(busy)).toBeLessThan(median(quiet) * 3 + 15);
    // Nothing Alice had accepted was dropped, and nothing refused was written.
    await until(() => (seen(), arrived.filter((e) => e.type === 'message.created').length === 20 + 20));
    const created = arrived.flatMap((e) => (e.type === 'message.created' ? [e.message] : []));
    expect(created.filter((m) => m.authorId === alice.id)).toHaveLength(20);
    expect(await hearth.server.services.store.prisma.message.count({ where: { authorId: alice.id } })).toBe(20);
    expect(created.map((m) => m.seq)).toEqual([...created.map((m) => m.seq)].sort((a, b) => a - b));

    // Her sockets are still open and answer; a second later she may send one more.
    await expect(tabs[0]!.trpc.auth.me.query()).resolves.toMatchObject({ username: 'alice' });
    expect((await rejection(tabs[1]!.trpc.messages.send.mutate({ roomId: room.id, body: 'x', clientMessageId: 'late1' }))).data?.code).toBe(
      'TOO_MANY_REQUESTS',
    );
    clock.advance(1000);
    await expect(tabs[1]!.trpc.messages.send.mutate({ roomId: room.id, body: 'one more', clientMessageId: 'late2' })).resolves.toMatchObject({
      body: 'one more',
    });
    expect(hearth.server.websocket.connections.size).toBe(3);
  });

  it('never refuses the retry of a send it already accepted', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock, env: { ...realLimits(), MESSAGE_BURST: '3' } });
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    const first = await alice.api.messages.send.mutate({ roomId: room.id, body: 'one', clientMessageId: 'm1' });
    await alice.api.messages.send.mutate({ roomId: room.id, body: 'two', clientMessageId: 'm2' });
    await alice.api.messages.send.mutate({ roomId: room.id, body: 'three', clientMessageId: 'm3' });
    const refused = await rejection(alice.api.messages.send.mutate({ roomId: room.id, body: 'four', clientMessageId: 'm4' }));
    expect(refused.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429, retryAfterMs: 1000, limit: 'message' });
    // The acknowledgement of m1 was lost, say: the client sends it again, over the limit.
    await expect(alice.api.messages.send.mutate({ roomId: room.id, body: 'one', clientMessageId: 'm1' })).resolves.toEqual(first);
    expect(await hearth.server.services.store.prisma.message.count()).toBe(3);
    clock.advance(1000);
    await expect(alice.api.messages.send.mutate({ roomId: room.id, body: 'four', clientMessageId: 'm4' })).resolves.toMatchObject({ seq: 5 });
  });
});

describe('the login limit per client address', () => {
  const login = (url: string, username: string, password: string, address: string) =>
    fetch(`${url}/api/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.9, ${address}` },
      body: JSON.stringify({ username, password }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as WireAnswer }));

  it('refuses the 21st attempt in a minute from one address, even with the right password; other addresses are unaffected', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock, env: realLimits() }); // TRUST_PROXY=loopback: our requests come from 127.0.0.1
    await hearth.register('alice', PASSWORD);
    // Guesses spread over many accounts, so no account's own lock (5 failures) is reached.
    for (const i of range(1, 20)) {
      const attempt = await login(hearth.url, `user${i % 5}`, 'a wrong guess', '198.51.100.7');
      expect(attempt.body.error?.data.code).toBe('UNAUTHORIZED');
    }
    const refused = await login(hearth.url, 'alice', PASSWORD, '198.51.100.7');
    expect(refused.status).toBe(429);
    expect(refused.body.error?.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterMs: 3000, limit: 'login_ip' });

    // The first X-Forwarded-For entry is the client's to forge; the last, the proxy's, decides.
    expect((await login(hearth.url, 'alice', PASSWORD, '198.51.100.8')).status).toBe(200);
    clock.advance(3000);
    expect((await login(hearth.url, 'alice', PASSWORD, '198.51.100.7')).status).toBe(200);
  });
});
