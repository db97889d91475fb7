import { describe, expect, it } from 'vitest';
import { acquaint, createRoom, people, watchRoom } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer, TestClock } from './helpers/server.ts';

/** The durable events a stream received (the opening presence is tracked too, but is not one). */
const durable = (stream: ReturnType<typeof watchRoom>) => stream.received.filter((r) => r.id && r.event.type !== 'presence').map((r) => r.event);
const code = async (call: Promise<unknown>) => (await rejection(call)).data?.code;

describe('room details: rename, topic, archive, roles', () => {
  it('lets room admins rename and set the topic; each change is logged with its actor and reaches the room live', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob], name: 'design' }); // seqs 1, 2
    const stream = watchRoom(bob.connect(), room.id);
    await until(() => stream.started);
    const renamed = await alice.api.rooms.rename.mutate({ roomId: room.id, name: '  Product  ' });
    expect(renamed).toMatchObject({ name: 'Product', topic: '', myRole: 'admin', memberCount: 2, lastSeq: 3, archived: false, kind: 'closed' });
    await alice.api.rooms.setTopic.mutate({ roomId: room.id, topic: 'Ship the room panel' });
    await until(() => stream.seqs().includes(4));
    expect(durable(stream)).toEqual([
      { type: 'room.updated', roomId: room.id, seq: 3, actorId: alice.id, change: { name: 'Product' } },
      { type: 'room.updated', roomId: room.id, seq: 4, actorId: alice.id, change: { topic: 'Ship the room panel' } },
    ]);
    expect(await bob.api.rooms.get.query({ roomId: room.id })).toMatchObject({
      name: 'Product',
      topic: 'Ship the room panel',
      myRole: 'member',
      memberCount: 2,
      roomMentionAdminOnlyAbove: 10, // the composer offers @room by it
    });
    expect((await bob.api.rooms.list.query())[0]).toMatchObject({ name: 'Product', topic: 'Ship the room panel' });
    // The same value again changes nothing and takes no seq; an empty topic clears it.
    await alice.api.rooms.rename.mutate({ roomId: room.id, name: 'Product' });
    expect((await alice.api.rooms.setTopic.mutate({ roomId: room.id, topic: '' })).lastSeq).toBe(5);
  });

  it('refuses members who are not room admins, direct rooms, non-members and bad input, changing nothing', async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol'); // alice: the Hearth admin
    await acquaint(bob, carol); // so bob may add carol (chat/reach.ts)
    const room = await createRoom({ by: bob, members: [carol], name: 'ops' });
    expect(await code(carol.api.rooms.rename.mutate({ roomId: room.id, name: 'mine' }))).toBe('FORBIDDEN');
    expect(await code(carol.api.rooms.setTopic.mutate({ roomId: room.id, topic: 'mine' }))).toBe('FORBIDDEN');
    expect(await code(carol.api.rooms.archive.mutate({ roomId: room.id, archived: true }))).toBe('FORBIDDEN');
    expect(await code(carol.api.rooms.setRole.mutate({ roomId: room.id, userId: carol.id, role: 'admin' }))).toBe('FORBIDDEN');
    expect(await code(alice.api.rooms.rename.mutate({ roomId: room.id, name: 'x' }))).toBe('NOT_FOUND'); // not a member of a closed room
    expect(await code(alice.api.rooms.get.query({ roomId: room.id }))).toBe('NOT_FOUND');
    expect(await code(bob.api.rooms.get.query({ roomId: crypto.randomUUID() }))).toBe('NOT_FOUND');
    const tooLong = await rejection(bob.api.rooms.setTopic.mutate({ roomId: room.id, topic: 'x'.repeat(251) }));
    expect(tooLong.data?.code).toBe('BAD_REQUEST');
    expect(tooLong.message).toContain('a topic can be at most 250 characters');
    expect(await code(bob.api.rooms.setTopic.mutate({ roomId: room.id, topic: 'bad\u202Etopic' }))).toBe('BAD_REQUEST');
    expect(await code(bob.api.rooms.rename.mutate({ roomId: room.id, name: '   ' }))).toBe('BAD_REQUEST');
    expect(await code(bob.api.rooms.rename.mutate({ roomId: room.id, name: 'y'.repeat(81) }))).toBe('BAD_REQUEST');
    expect(await code(bob.api.rooms.setRole.mutate({ roomId: room.id, userId: carol.id, role: 'owner' as 'admin' }))).toBe('BAD_REQUEST');
    expect(await code(bob.api.rooms.setRole.mutate({ roomId: room.id, userId: alice.id, role: 'admin' }))).toBe('NOT_FOUND'); // not a member
    const direct = await bob.api.rooms.direct.mutate({ userIds: [carol.id] });
    expect(await code(bob.api.rooms.rename.mutate({ roomId: direct.id, name: 'dm' }))).toBe('FORBIDDEN');
    expect(await code(bob.api.rooms.archive.mutate({ roomId: direct.id, archived: true }))).toBe('FORBIDDEN');
    expect(await bob.api.rooms.get.query({ roomId: room.id })).toMatchObject({ name: 'ops', topic: '', lastSeq: 2, archived: false });
  });

  it('keeps names unique among open and closed rooms regardless of case, on create and rename; direct rooms do not count', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    await alice.api.rooms.direct.mutate({ userIds: [bob.id, (await people(hearth, 'carol')).carol.id] });
    const general = await createRoom({ by: alice, kind: 'open', name: 'General' });
    const taken = await rejection(bob.api.rooms.create.mutate({ name: 'GENERAL', kind: 'closed' }));
    expect(taken.data?.code).toBe('CONFLICT');
    expect(taken.message).toBe('A room named “GENERAL” exists; pick another name');
    const other = await createRoom({ by: bob, name: 'random' });
    expect(await code(bob.api.rooms.rename.mutate({ roomId: other.id, name: 'general' }))).toBe('CONFLICT');
    expect((await bob.api.rooms.get.query({ roomId: other.id })).lastSeq).toBe(1); // refused whole: no seq taken
    // An archived room keeps its name; renaming a room to its own name in another case is fine.
    await alice.api.rooms.archive.mutate({ roomId: general.id, archived: true });
    expect(await code(bob.api.rooms.create.mutate({ name: 'general', kind: 'open' }))).toBe('CONFLICT');
    await alice.api.rooms.archive.mutate({ roomId: general.id, archived: false });
    expect((await alice.api.rooms.rename.mutate({ roomId: general.id, name: 'general' })).name).toBe('general');
    expect((await hearth.server.services.store.prisma.room.findMany({ where: { kind: 'direct' } })).map((r) => r.nameKey)).toEqual([null, null]);
  });

  it('archives for room admins and Hearth admins: the composer-side writes stop, the change is logged and published', async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    await acquaint(bob, carol); // so bob may add them (chat/reach.ts)
    await acquaint(bob, alice);
    const room = await createRoom({ by: bob, members: [carol, alice], name: 'old' }); // 1..3
    const stream = watchRoom(carol.connect(), room.id);
    await until(() => stream.started);
    expect(await bob.api.rooms.archive.mutate({ roomId: room.id, archived: true })).toMatchObject({ archived: true, lastSeq: 4 });
    expect(await bob.api.rooms.archive.mutate({ roomId: room.id, archived: true })).toMatchObject({ archived: true, lastSeq: 4 }); // so already
    expect(await code(carol.api.messages.send.mutate({ roomId: room.id, body: 'hi', clientMessageId: 'c1' }))).toBe('FORBIDDEN');
    expect(await code(bob.api.rooms.setTopic.mutate({ roomId: room.id, topic: 'late' }))).toBe('FORBIDDEN');
    expect(await code(bob.api.rooms.setRole.mutate({ roomId: room.id, userId: carol.id, role: 'admin' }))).toBe('FORBIDDEN');
    // alice is a Hearth admin and a plain member here: she may unarchive.
    await alice.api.rooms.archive.mutate({ roomId: room.id, archived: false });
    await until(() => stream.seqs().includes(5));
    expect(durable(stream).map((event) => [event.type, 'change' in event ? event.change : null, 'actorId' in event ? event.actorId : null])).toEqual([
      ['room.updated', { archived: true }, bob.id],
      ['room.updated', { archived: false }, alice.id],
    ]);
    await carol.api.messages.send.mutate({ roomId: room.id, body: 'back', clientMessageId: 'c2' });
    expect(await code(alice.api.admin.rooms.archive.mutate({ roomId: crypto.randomUUID(), archived: true }))).toBe('NOT_FOUND');
  });

  it('changes a member’s role: it reaches their room stream and their room list live; the last admin cannot step down', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob], name: 'team' });
    const bobs = bob.connect();
    const userEvents: Array<{ type: string; roomId?: string }> = [];
    bobs.trpc.events.user.subscribe(undefined, { onData: (e) => userEvents.push(e) });
    const stream = watchRoom(bobs, room.id);
    await until(() => stream.started && userEvents.some((e) => e.type === 'unread'));
    expect(await alice.api.rooms.setRole.mutate({ roomId: room.id, userId: bob.id, role: 'admin' })).toEqual({ userId: bob.id, role: 'admin' });
    await until(() => stream.seqs().includes(3) && userEvents.some((e) => e.type === 'room.changed'));
    expect(stream.received.find((r) => r.id === '3')?.event).toEqual({
      type: 'room.updated',
      roomId: room.id,
      seq: 3,
      actorId: alice.id,
      change: { role: { userId: bob.id, role: 'admin' } },
    });
    expect(userEvents).toContainEqual({ type: 'room.changed', roomId: room.id });
    expect((await bob.api.rooms.list.query())[0]).toMatchObject({ role: 'admin' });
    expect((await bob.api.rooms.members.query({ roomId: room.id })).map((m) => [m.username, m.role])).toEqual([
      ['alice', 'admin'],
      ['bob', 'admin'],
    ]);
    // Now bob may manage the room; alice steps down; bob, the last admin, may not.
    await bob.api.rooms.setRole.mutate({ roomId: room.id, userId: alice.id, role: 'member' });
    const last = await rejection(bob.api.rooms.setRole.mutate({ roomId: room.id, userId: bob.id, role: 'member' }));
    expect(last.data?.code).toBe('CONFLICT');
    expect(last.message).toContain('at least one admin');
  });

  it('rate-limits every room change (ROOM_CHANGES_PER_MINUTE); a refused call changes nothing', async () => {
    const hearth = await startServer({ clock: new TestClock(), env: { ROOM_CHANGES_PER_MINUTE: '4' } });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await alice.api.rooms.create.mutate({ name: 'busy', kind: 'closed', memberIds: [bob.id] }); // 1 token
    await alice.api.rooms.rename.mutate({ roomId: room.id, name: 'busier' });
    await alice.api.rooms.setTopic.mutate({ roomId: room.id, topic: 'one' });
    await alice.api.rooms.setRole.mutate({ roomId: room.id, userId: bob.id, role: 'admin' });
    for (const call of [
      alice.api.rooms.rename.mutate({ roomId: room.id, name: 'busiest' }),
      alice.api.rooms.setTopic.mutate({ roomId: room.id, topic: 'two' }),
      alice.api.rooms.archive.mutate({ roomId: room.id, archived: true }),
      alice.api.rooms.setRole.mutate({ roomId: room.id, userId: bob.id, role: 'member' }),
    ]) {
      const error = await rejection(call);
      expect(error.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', limit: 'room_change' });
    }
    expect(await alice.api.rooms.get.query({ roomId: room.id })).toMatchObject({ name: 'busier', topic: 'one', archived: false, lastSeq: 5 });
  });
});

describe('admin.rooms.list', () => {
  it('names who is in each direct room (they have no name); other rooms have none listed', async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    await acquaint(bob, carol); // so bob may reach carol (chat/reach.ts)
    await bob.api.rooms.direct.mutate({ userIds: [carol.id] });
    await createRoom({ by: bob, members: [carol], name: 'team' });
    const listed = await alice.api.admin.rooms.list.query();
    const direct = listed.find((r) => r.kind === 'direct');
    expect(direct?.directMembers?.map((m) => m.username).sort()).toEqual(['bob', 'carol']);
    expect(listed.find((r) => r.name === 'team')?.directMembers).toBeNull();
    expect(await code(bob.api.admin.rooms.list.query())).toBe('FORBIDDEN');
  });
});

describe('member and room events in the timeline', () => {
  it('carries who added and removed whom, live and after a reconnect from the last event id', async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    const room = await createRoom({ by: alice, kind: 'open', name: 'lobby' }); // 1: alice (created it)
    const stream = watchRoom(alice.connect(), room.id);
    await until(() => stream.started);
    await alice.api.rooms.addMembers.mutate({ roomId: room.id, userIds: [carol.id] }); // 2: alice added carol
    await bob.api.rooms.join.mutate({ roomId: room.id }); // 3: bob joined
    await alice.api.rooms.removeMember.mutate({ roomId: room.id, userId: bob.id }); // 4: alice removed bob
    await carol.api.rooms.leave.mutate({ roomId: room.id }); // 5: carol left
    await alice.api.rooms.setTopic.mutate({ roomId: room.id, topic: 'Welcome' }); // 6
    await until(() => stream.seqs().includes(6));
    const expected = [
      { type: 'member.joined', roomId: room.id, seq: 2, userId: carol.id, actorId: alice.id },
      { type: 'member.joined', roomId: room.id, seq: 3, userId: bob.id, actorId: null },
      { type: 'member.left', roomId: room.id, seq: 4, userId: bob.id, actorId: alice.id },
      { type: 'member.left', roomId: room.id, seq: 5, userId: carol.id, actorId: null },
      { type: 'room.updated', roomId: room.id, seq: 6, actorId: alice.id, change: { topic: 'Welcome' } },
    ];
    expect(durable(stream)).toEqual(expected);
    // A new connection resuming from seq 1 replays the same events from the log.
    const replay = watchRoom(alice.connect(), room.id, '1');
    await until(() => replay.seqs().includes(6));
    expect(durable(replay)).toEqual(expected);
    // History names everyone its events name, members or not, so a reloaded page still says "Alice removed Bob".
    const page = await alice.api.messages.history.query({ roomId: room.id });
    expect(page.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(page.people.map((p) => p.username).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(page.people.find((p) => p.userId === bob.id)).toEqual({ userId: bob.id, username: 'bob', displayName: 'bob' });
  });

  it('gives each history page the member and room events in its range of seqs, so "Bob joined" survives a reload', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, kind: 'open', name: 'pages' }); // 1
    const say = (body: string) => alice.api.messages.send.mutate({ roomId: room.id, body, clientMessageId: body });
    await say('m2'); // 2
    await bob.api.rooms.join.mutate({ roomId: room.id }); // 3
    await say('m4'); // 4
    await say('m5'); // 5
    await alice.api.rooms.rename.mutate({ roomId: room.id, name: 'Pages' }); // 6
    await say('m7'); // 7
    await alice.api.rooms.setTopic.mutate({ roomId: room.id, topic: 'newest' }); // 8
    const newest = await bob.api.messages.history.query({ roomId: room.id, limit: 2 });
    expect(newest.messages.map((m) => m.seq)).toEqual([5, 7]);
    expect(newest.events.map((e) => [e.seq, e.type])).toEqual([
      [6, 'room.updated'],
      [8, 'room.updated'],
    ]);
    const older = await bob.api.messages.history.query({ roomId: room.id, limit: 2, beforeSeq: newest.nextBeforeSeq! });
    expect(older.messages.map((m) => m.seq)).toEqual([2, 4]);
    // The oldest page reaches back to the room's start.
    expect(older.nextBeforeSeq).toBeNull();
    expect(older.events).toEqual([
      { type: 'member.joined', roomId: room.id, seq: 1, userId: alice.id, actorId: null },
      { type: 'member.joined', roomId: room.id, seq: 3, userId: bob.id, actorId: null },
    ]);
  });
});

describe('the default room', () => {
  it('is created at start and every new account joins it; an empty DEFAULT_ROOM means none', async () => {
    const hearth = await startServer({ env: { DEFAULT_ROOM: 'General' } });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const [general] = await bob.api.rooms.list.query();
    expect(general).toMatchObject({ name: 'General', kind: 'open', archived: false, role: 'member' });
    expect((await alice.api.rooms.members.query({ roomId: general!.id })).map((m) => m.username)).toEqual(['alice', 'bob']);
    const log = await hearth.server.services.store.log.entriesAfter(general!.id, 0, 10);
    expect(log.map((e) => [e.type, e.userId, e.actorId])).toEqual([
      ['member.joined', alice.id, null],
      ['member.joined', bob.id, null],
    ]);
    // The default room is a room like any other: its name is taken, in any case.
    expect(await code(bob.api.rooms.create.mutate({ name: 'general', kind: 'open' }))).toBe('CONFLICT');

    const none = await startServer();
    const { carol } = await people(none, 'carol');
    expect(await carol.api.rooms.list.query()).toEqual([]);
  });
});
