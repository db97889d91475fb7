import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createRoom, people, sentinelTyping, seqsOf, watchRoom } from './helpers/chat.ts';
import { servicesAvailable } from './helpers/database.ts';
import { until } from './helpers/raw-ws.ts';
import { freePort, startRedis, stopRedis } from './helpers/redis.ts';
import { recordedBefore } from './helpers/sentinel.ts';
import { startServer } from './helpers/server.ts';

/**
 * Redis is never on the path of an acknowledgement, and ephemeral state
 * (typing, presence) fails open. A private redis-server, stopped and started
 * again under a running Hearth (SQLite + Redis bus, presence and typing).
 */
let redis: ChildProcess | undefined;
afterEach(async () => {
  if (redis) await stopRedis(redis);
  redis = undefined;
});

async function hearthOnPrivateRedis() {
  const port = await freePort();
  redis = await startRedis(port);
  const hearth = await startServer({ env: { REDIS_URL: `redis://127.0.0.1:${port}`, PRESENCE_TTL_MS: '3000' } });
  return { hearth, port };
}

describe.skipIf(!servicesAvailable())('with Redis stopped and restarted', { timeout: 60_000 }, () => {
  it('sends, edits, deletes, receipts, typing and member lists answer while Redis is down, the first time, and nothing is lost', async () => {
    const { hearth, port } = await hearthOnPrivateRedis();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const stream = watchRoom(bob.connect(), room.id);
    await until(() => stream.started && stream.received.length > 0);
    await alice.api.messages.send.mutate({ roomId: room.id, body: 'before', clientMessageId: 'before' });
    await until(() => stream.seqs().length === 1);

    await stopRedis(redis!);
    await until(async () => (await fetch(`${hearth.url}/healthz`)).status === 503);
    await alice.api.typing.set.mutate({ roomId: room.id, typing: true }).then((r) => expect(r).toEqual({ accepted: true }));
    const during = await alice.api.messages.send.mutate({ roomId: room.id, body: 'during', clientMessageId: 'during' });
    expect(during.body).toBe('during');
    const edited = await alice.api.messages.edit.mutate({ messageId: during.id, body: 'during, edited' });
    expect(edited.body).toBe('during, edited');
    await expect(bob.api.messages.markRead.mutate({ roomId: room.id, seq: during.seq })).resolves.toMatchObject({ readSeq: during.seq });
    const members = await bob.api.rooms.members.query({ roomId: room.id });
    expect(members.map((m) => m.userId).sort()).toEqual([alice.id, bob.id].sort());
    await alice.api.typing.set.mutate({ roomId: room.id, typing: false });
    const doomed = await alice.api.messages.send.mutate({ roomId: room.id, body: 'doomed', clientMessageId: 'doomed' });
    await expect(alice.api.messages.delete.mutate({ messageId: doomed.id })).resolves.toEqual({ ok: true });

    redis = await startRedis(port);
    await until(async () => (await fetch(`${hearth.url}/healthz`)).status === 200, 10_000);
    const last = (await bob.api.rooms.list.query()).find((r) => r.id === room.id)!.lastSeq;
    await until(() => stream.seqs().at(-1) === last, 10_000);
    // Exactly once, in order: everything committed while Redis was away came from the log (a late duplicate would come before Alice's typing).
    const seqs = seqsOf(await recordedBefore(stream.received, sentinelTyping(alice, room.id), 10_000));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const history = await bob.api.messages.history.query({ roomId: room.id });
    expect(history.messages.map((m) => m.body)).toEqual(['before', 'during, edited']);
  });

  it('presence comes back for every open connection after Redis restarts empty', async () => {
    const { hearth, port } = await hearthOnPrivateRedis();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const aliceTab = hearth.client({ token: alice.token, transport: 'ws' });
    await aliceTab.trpc.auth.me.query(); // her socket makes her online
    const stream = watchRoom(bob.connect(), room.id);
    const online = () =>
      bob.api.rooms.members.query({ roomId: room.id }).then((ms) =>
        ms
          .filter((m) => m.online)
          .map((m) => m.userId)
          .sort(),
      );
    await until(async () => (await online()).length === 2, 10_000);

    const presenceEvents = () => stream.received.filter((r) => r.event.type === 'presence');
    const before = presenceEvents().length;

    await stopRedis(redis!);
    redis = await startRedis(port); // empty: every presence entry is gone
    await until(async () => (await online()).length === 2, 10_000);
    expect(await online()).toEqual([alice.id, bob.id].sort());
    // And the room hears it: a presence event naming both arrives after the restart.
    await until(() => {
      const latest = presenceEvents().at(-1)?.event;
      return presenceEvents().length > before && latest?.type === 'presence' && latest.online.length === 2;
    }, 10_000);
  });
});
