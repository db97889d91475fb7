import { describe, expect, it } from 'vitest';
import { noCookie } from '../src/server/api/context.ts';
import { appRouter } from '../src/server/api/root.ts';
import { createCallerFactory } from '../src/server/api/trpc.ts';
import { sessionForToken } from '../src/server/auth/sessions.ts';
import type { RoomStreamEvent } from '../src/server/chat/room-events.ts';
import { RoomStream } from '../src/server/realtime/room-stream.ts';
import { createRoom, people, type Person, type Received, watchRoom } from './helpers/chat.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer, type TestServer } from './helpers/server.ts';

/** Tracked events as [id, type]: what a client's cursor follows. */
const tracked = (received: Received[]) => received.filter((r) => r.id !== undefined).map((r) => [r.id, r.event.type]);

/** Records a stream pulled in the background, as tRPC's adapters pull it. */
function pump(stream: AsyncIterable<unknown>, stop = () => {}) {
  const pumped = { received: [] as Received[], completed: false, stop };
  void (async () => {
    for await (const value of stream) {
      // tracked(id, data) is an [id, data, marker] envelope; ephemeral events are plain objects.
      pumped.received.push(Array.isArray(value) ? { id: value[0] as string, event: value[1] as RoomStreamEvent } : { event: value as RoomStreamEvent });
    }
    pumped.completed = true;
  })();
  return pumped;
}

/** `events.room` through tRPC's own async generator path (createCaller), which the WebSocket frame writer never takes. */
async function callRoom(hearth: TestServer, person: Person, roomId: string, lastEventId?: string) {
  const { services } = hearth.server;
  const session = await sessionForToken(services, { token: person.token });
  const abort = new AbortController();
  const caller = createCallerFactory(appRouter)({ services, session, transport: 'http', cookie: noCookie, crossSite: false }, { signal: abort.signal });
  return pump(await caller.events.room({ roomId, lastEventId }), () => abort.abort());
}

/** The same stream over either path; `stop` ends it as the client would. */
async function subscribe(path: 'WebSocket' | 'generator', hearth: TestServer, person: Person, roomId: string, lastEventId: string) {
  if (path === 'generator') return callRoom(hearth, person, roomId, lastEventId);
  const watch = watchRoom(person.connect(), roomId, lastEventId);
  return {
    received: watch.received,
    get completed() {
      return watch.completed;
    },
    stop: watch.unsubscribe,
  };
}

const say = (person: Person, roomId: string, body: string) => person.api.messages.send.mutate({ roomId, body, clientMessageId: body });

describe('a lastEventId beyond the room', () => {
  for (const path of ['WebSocket', 'generator'] as const) {
    it(`gets a reset at lastSeq first, then every live event, none skipped up to the bogus cursor (${path})`, async () => {
      const hearth = await startServer();
      const { alice } = await people(hearth, 'alice');
      const room = await createRoom({ by: alice }); // seq 1
      await say(alice, room.id, 'm2');
      await say(alice, room.id, 'm3');
      // A cursor from before a restore from backup: 3 seqs ahead of the room.
      const stream = await subscribe(path, hearth, alice, room.id, '6');
      await until(() => tracked(stream.received).length === 2);
      expect(stream.received.slice(0, 2)).toEqual([
        { id: '3', event: { type: 'reset', roomId: room.id, lastSeq: 3 } },
        { id: '3', event: { type: 'presence', roomId: room.id, online: expect.any(Array) } },
      ]);
      for (const body of ['m4', 'm5', 'm6', 'm7']) await say(alice, room.id, body);
      await until(() => tracked(stream.received).length === 6);
      expect(tracked(stream.received).slice(2)).toEqual(['4', '5', '6', '7'].map((id) => [id, 'message.created']));
      expect(stream.completed).toBe(false);
      stream.stop();
    });
  }

  for (const path of ['WebSocket', 'generator'] as const) {
    it(`a lastEventId equal to lastSeq is no reset: the presence is tracked there, then live events (${path})`, async () => {
      const hearth = await startServer();
      const { alice } = await people(hearth, 'alice');
      const room = await createRoom({ by: alice });
      await say(alice, room.id, 'm2');
      const stream = await subscribe(path, hearth, alice, room.id, '2');
      await until(() => tracked(stream.received).length === 1);
      await say(alice, room.id, 'm3');
      await until(() => tracked(stream.received).length === 2);
      expect(tracked(stream.received)).toEqual([
        ['2', 'presence'],
        ['3', 'message.created'],
      ]);
      stream.stop();
    });
  }
});

describe('a member removed and added back', () => {
  /** Bob sees seq 3 live, is removed (4), misses 5, is added back (6), misses 7. */
  async function rejoined() {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] }); // seqs 1, 2
    await say(alice, room.id, 'm3');
    await alice.api.rooms.removeMember.mutate({ roomId: room.id, userId: bob.id }); // 4
    await say(alice, room.id, 'm5');
    await alice.api.rooms.addMembers.mutate({ roomId: room.id, userIds: [bob.id] }); // 6
    await say(alice, room.id, 'm7');
    return { hearth, alice, bob, room };
  }

  for (const path of ['WebSocket', 'generator'] as const) {
    it(`resuming from before the removal gets a reset at the present, then live events; the stream goes on (${path})`, async () => {
      const { hearth, alice, bob, room } = await rejoined();
      const stream = await subscribe(path, hearth, bob, room.id, '3');
      await until(() => tracked(stream.received).length === 2);
      expect(stream.received.filter((r) => r.id !== undefined)).toEqual([
        { id: '3', event: expect.objectContaining({ type: 'presence' }) },
        { id: '7', event: { type: 'reset', roomId: room.id, lastSeq: 7 } },
      ]);
      await say(alice, room.id, 'm8');
      await until(() => tracked(stream.received).length === 3);
      expect(tracked(stream.received)[2]).toEqual(['8', 'message.created']);
      expect(stream.completed).toBe(false);

      // The current membership's end still ends the stream, as a live removal.
      await alice.api.rooms.removeMember.mutate({ roomId: room.id, userId: bob.id }); // 9
      await until(() => stream.completed);
      expect(tracked(stream.received).slice(3)).toEqual([['9', 'member.left']]);
    });
  }

  it('resuming from within the current membership replays as usual', async () => {
    const { bob, room } = await rejoined();
    const stream = watchRoom(bob.connect(), room.id, '6');
    await until(() => tracked(stream.received).length === 2);
    expect(tracked(stream.received)).toEqual([
      ['6', 'presence'],
      ['7', 'message.created'],
    ]);
  });

  it('a removal of the current membership reached in the replay still ends the stream', async () => {
    const { hearth, alice, bob, room } = await rejoined();
    const { services } = hearth.server;
    // As when the removal commits between the access check and the replay.
    const { joinedSeq } = await services.store.prisma.membership.findUniqueOrThrow({ where: { roomId_userId: { roomId: room.id, userId: bob.id } } });
    expect(joinedSeq).toBe(6);
    await alice.api.rooms.removeMember.mutate({ roomId: room.id, userId: bob.id }); // 8
    // Past admission (openRoomStream), as the stream is once its access check passed.
    const received: Received[] = [];
    let ended = false;
    const sink = {
      durable: (seq: number, event: unknown) => void received.push({ id: String(seq), event: event as RoomStreamEvent }),
      ephemeral: (event: unknown) => void received.push({ event: event as RoomStreamEvent }),
      end: () => void (ended = true),
    };
    await new RoomStream(services, sink, undefined, { roomId: room.id, userId: bob.id, joinedSeq, cursor: 6 }).start();
    await until(() => ended);
    expect(tracked(received)).toEqual([
      ['6', 'presence'],
      ['7', 'message.created'],
      ['8', 'member.left'],
    ]);
    expect(services.hub.size).toBe(0);
  });
});
