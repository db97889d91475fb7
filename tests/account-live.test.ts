import { describe, expect, it } from 'vitest';
import type { UserStreamEvent } from '../src/server/realtime/user-stream.ts';
import { createRoom, people, watchRoom, type Person } from './helpers/chat.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

/** A person's events.user, as their open page receives it (they must be in a room, so it starts with an unread count). */
async function userStream(person: Person) {
  const received: UserStreamEvent[] = [];
  await new Promise<void>((resolve) => {
    person.connect().trpc.events.user.subscribe(undefined, { onStarted: () => resolve(), onData: (event) => void received.push(event) });
  });
  // The stream's first answer is its unread counts, sent once it listens: from here on it is live.
  await until(() => received.some((e) => e.type === 'unread'));
  return { received, since: (n: number) => received.slice(n).filter((e) => e.type !== 'unread' && e.type !== 'presence') };
}

describe('account changes reach open pages live', () => {
  it("a role change tells that person's pages; a new display name tells theirs and every room they are in, and no one else", async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol'); // alice claimed the server: its admin
    const room = await createRoom({ by: alice, members: [bob] });
    const carolsRoom = await createRoom({ by: carol });
    const [aliceEvents, bobEvents, carolEvents] = await Promise.all([userStream(alice), userStream(bob), userStream(carol)]);
    const roomStream = watchRoom(alice.connect(), room.id);
    await until(() => roomStream.started);
    const marks = { alice: aliceEvents.received.length, bob: bobEvents.received.length, carol: carolEvents.received.length };

    await alice.api.admin.users.setRole.mutate({ userId: bob.id, role: 'admin' });
    await until(() => bobEvents.since(marks.bob).length === 1);
    expect(bobEvents.since(marks.bob)).toEqual([{ type: 'account.changed' }]);
    expect((await bob.api.auth.me.query()).role).toBe('admin');

    await bob.api.auth.setDisplayName.mutate({ displayName: 'Bobby Tables' });
    await until(() => bobEvents.since(marks.bob).length === 3 && aliceEvents.since(marks.alice).length === 1);
    expect(bobEvents.since(marks.bob)).toEqual([
      { type: 'account.changed' }, // the role
      { type: 'account.changed' }, // the name
      { type: 'member.changed', roomId: room.id, userId: bob.id },
    ]);
    expect(aliceEvents.since(marks.alice)).toEqual([{ type: 'member.changed', roomId: room.id, userId: bob.id }]);
    await until(() => roomStream.received.some((r) => r.event.type === 'member.changed'));
    expect(roomStream.received.map((r) => r.event).filter((e) => e.type === 'member.changed')).toEqual([
      { type: 'member.changed', roomId: room.id, userId: bob.id },
    ]);
    expect((await alice.api.rooms.members.query({ roomId: room.id })).find((m) => m.userId === bob.id)?.displayName).toBe('Bobby Tables');

    // Carol shares no room with Bob: her own rename (to her and her room) is the first thing her stream says, after both of Bob's changes.
    await carol.api.auth.setDisplayName.mutate({ displayName: 'Carol C.' });
    await until(() => carolEvents.since(marks.carol).length === 2);
    expect(carolEvents.since(marks.carol)).toEqual([{ type: 'account.changed' }, { type: 'member.changed', roomId: carolsRoom.id, userId: carol.id }]);
    // And nothing of Carol's reached Alice.
    expect(aliceEvents.since(marks.alice)).toEqual([{ type: 'member.changed', roomId: room.id, userId: bob.id }]);
  });

  it('a bad display name changes nothing and tells no one', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    await createRoom({ by: alice, members: [bob] });
    const aliceEvents = await userStream(alice);
    const mark = aliceEvents.received.length;
    await expect(bob.api.auth.setDisplayName.mutate({ displayName: ' '.repeat(3) })).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    await bob.api.auth.setDisplayName.mutate({ displayName: 'Bob B.' }); // the sentinel: had the bad one gone out, it would come first
    await until(() => aliceEvents.since(mark).length > 0);
    expect(aliceEvents.since(mark)).toHaveLength(1);
    expect((await bob.api.auth.me.query()).displayName).toBe('Bob B.');
  });
});
