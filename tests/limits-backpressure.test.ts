import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { createHearthClient } from '../src/trpc/client.ts';
import { CloseCode } from '../src/shared/wire.ts';
import { createRoom, people, range, sentinelMessage, seqsOf, watchRoom } from './helpers/chat.ts';
import { metric } from './helpers/metrics.ts';
import { until } from './helpers/raw-ws.ts';
import { recordedBefore } from './helpers/sentinel.ts';
import { startServer } from './helpers/server.ts';

const CAP = 256 * 1024;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)]!;

describe('a client that stops reading', () => {
  it(
    'is cut with 4008 while 5 MB are published; everyone else gets everything, as fast as before; it resumes with exactly what it missed',
    { timeout: 60_000 },
    async () => {
      const hearth = await startServer({ env: { WS_MAX_BUFFERED_BYTES: String(CAP) } });
      const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
      const room = await createRoom({ by: alice, members: [bob, carol] });

      // Bob's socket is Hearth's own client over `ws`; we keep a hand on it to stop reading.
      const sockets: WebSocket[] = [];
      const closes: number[] = [];
      class Watched extends WebSocket {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          sockets.push(this);
          this.on('close', (code) => closes.push(code));
        }
      }
      const bobClient = createHearthClient({ url: hearth.url, token: bob.token, WebSocket: Watched as unknown as typeof globalThis.WebSocket });
      const slow = watchRoom(bobClient, room.id);
      // Carol's arrivals, timed as they come.
      const carolAt = new Map<number, number>();
      let carolStarted = false;
      carol.connect().trpc.events.room.subscribe(
        { roomId: room.id },
        {
          onStarted: () => (carolStarted = true),
          onData: (item) => 'id' in item && item.data.type !== 'presence' && carolAt.set(Number(item.id), performance.now()),
        },
      );
      await until(() => slow.started && carolStarted);

      // 10,000-character messages, five at a time over Alice's socket (tRPC's
      // client batches a tick's calls into one frame: 50 KB). Returns Carol's
      // latencies, from each send to its arrival.
      const sender = hearth.client({ token: alice.token, transport: 'ws' });
      const acked = new Map<number, number>(); // seq → when its send was issued
      let next = 1;
      let peakBuffered = 0;
      const bobOnServer = [...hearth.server.websocket.admission.authenticated].find(([, peer]) => peer.session?.userId === bob.id)![0];
      const publish = async (count: number) => {
        const seqs: number[] = [];
        for (let batch = 0; batch < count / 5; batch++) {
          const start = performance.now();
          const sent = await Promise.all(
            range(1, 5).map(() => {
              const i = next++;
              return sender.trpc.messages.send.mutate({ roomId: room.id, body: `${i} `.padEnd(10_000, 'x'), clientMessageId: `m${i}` });
            }),
          );
          for (const m of sent) {
            acked.set(m.seq, start);
            seqs.push(m.seq);
          }
          peakBuffered = Math.max(peakBuffered, bobOnServer.bufferedAmount);
        }
        await until(() => seqs.every((s) => carolAt.has(s)), 20_000);
        return seqs.map((s) => carolAt.get(s)! - acked.get(s)!);
      };

      const everyoneReading = await publish(100); // 1 MB
      await until(() => slow.seqs().length === 100);
      (sockets[0] as unknown as { _socket: Socket })._socket.pause();
      const bobStopped = await publish(500); // 5 MB

      // Carol got everything, as fast as when Bob was reading.
      const all = [...acked.keys()].sort((a, b) => a - b);
      expect([...carolAt.keys()]).toEqual(all);
      expect(p95(bobStopped)).toBeLessThan(p95(everyoneReading) * 3 + 25);

      // Bob was cut, once, and the server never held much more than the cap for him.
      expect(await metric(hearth, 'hearth_slow_consumers_total')).toBe(1);
      expect(bobOnServer.readyState).not.toBe(bobOnServer.OPEN);
      expect(peakBuffered).toBeLessThan(CAP + 64 * 1024);
      expect(slow.seqs().length).toBeLessThan(600);

      // He reads again: what was queued, the close (4008), then Hearth's client
      // reconnects and resubscribes from the last event id it saw.
      (sockets[0] as unknown as { _socket: Socket })._socket.resume();
      const resumed = await recordedBefore(slow.received, sentinelMessage(alice, room.id), 20_000);
      expect(closes[0]).toBe(CloseCode.tooSlow);
      expect(sockets).toHaveLength(2);
      expect(seqsOf(resumed)).toEqual(all);
      expect(await metric(hearth, 'hearth_resubscriptions_total')).toBe(1);
      await bobClient.close();
    },
  );

  it('resumes from the last tracked event even when untracked ones (typing) came after it', async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    const room = await createRoom({ by: alice, members: [bob, carol] });
    const stream = watchRoom(bob.connect(), room.id);
    await until(() => stream.started);
    const m1 = await alice.api.messages.send.mutate({ roomId: room.id, body: 'seen', clientMessageId: 'm1' });
    await carol.api.typing.set.mutate({ roomId: room.id, typing: true });
    await until(() => stream.received.some((r) => r.event.type === 'typing'));
    expect(stream.received.at(-1)?.event.type).toBe('typing'); // the last thing Bob saw is untracked

    // Cut Bob's socket as the server does a slow one; while he is away, two more messages.
    const [bobsSocket] = [...hearth.server.websocket.admission.authenticated].find(([, peer]) => peer.session?.userId === bob.id)!;
    bobsSocket.close(CloseCode.tooSlow, 'Too slow: reconnect and resume');
    const missed = [
      await alice.api.messages.send.mutate({ roomId: room.id, body: 'missed 1', clientMessageId: 'm2' }),
      await alice.api.messages.send.mutate({ roomId: room.id, body: 'missed 2', clientMessageId: 'm3' }),
    ];
    const resumed = await recordedBefore(stream.received, sentinelMessage(alice, room.id), 10_000);
    expect(seqsOf(resumed)).toEqual([m1.seq, ...missed.map((m) => m.seq)]);
  });
});
