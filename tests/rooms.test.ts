import { describe, expect, it } from 'vitest';
import { acquaint, createRoom, people, sentinelTyping, watchRoom } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { until } from './helpers/raw-ws.ts';
import { recordedBefore } from './helpers/sentinel.ts';
import { startServer } from './helpers/server.ts';

describe('rooms', () => {
  it('creates a closed room with its creator as admin; joins are logged as seqs 1..n', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob], name: 'Design' });
    expect(room).toMatchObject({ name: 'Design', kind: 'closed', lastSeq: 2, archived: false });
    const members = await bob.api.rooms.members.query({ roomId: room.id });
    expect(members.map((m) => [m.username, m.role])).toEqual([
      ['alice', 'admin'],
      ['bob', 'member'],
    ]);
    const [listed] = await bob.api.rooms.list.query();
    expect(listed).toMatchObject({ id: room.id, unread: 0, lastSeq: 2, role: 'member' });
  });

  it('lets anyone browse and join open rooms, but not closed ones', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const open = await createRoom({ by: alice, kind: 'open', name: 'lobby' });
    const closed = await createRoom({ by: alice, kind: 'closed', name: 'secret' });
    expect((await bob.api.rooms.browse.query()).map((r) => r.name)).toEqual(['lobby']);
    await bob.api.rooms.join.mutate({ roomId: open.id });
    await bob.api.rooms.join.mutate({ roomId: open.id }); // twice: no second join
    expect((await alice.api.rooms.members.query({ roomId: open.id })).map((m) => m.username)).toEqual(['alice', 'bob']);
    expect((await bob.api.rooms.list.query())[0]!.lastSeq).toBe(2);
    expect(await bob.api.rooms.browse.query()).toEqual([]);
    expect((await rejection(bob.api.rooms.join.mutate({ roomId: closed.id }))).data?.code).toBe('NOT_FOUND');
  });

  it('has exactly one direct room per set of users, whoever asks and however concurrently', async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    // Contacts first: otherwise Bob (no admin) may reach Alice only once her racing call has made their room.
    await acquaint(bob, alice);
    const [a, b, c] = await Promise.all([
      alice.api.rooms.direct.mutate({ userIds: [bob.id] }),
      bob.api.rooms.direct.mutate({ userIds: [alice.id] }),
      alice.api.rooms.direct.mutate({ userIds: [bob.id, bob.id] }),
    ]);
    expect(b!.id).toBe(a!.id);
    expect(c!.id).toBe(a!.id);
    expect(a!.memberIds).toEqual([alice.id, bob.id].sort());
    // Carol shares no room with them: she reaches them as a contact (chat/reach.ts).
    await acquaint(carol, alice);
    await acquaint(carol, bob);
    const group = await carol.api.rooms.direct.mutate({ userIds: [alice.id, bob.id] });
    expect(group.id).not.toBe(a!.id);
    expect(await hearth.server.services.store.prisma.room.count({ where: { kind: 'direct' } })).toBe(2);
    expect((await rejection(alice.api.rooms.direct.mutate({ userIds: [alice.id] }))).data?.code).toBe('BAD_REQUEST');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await rejection(alice.api.rooms.direct.mutate({ userIds: [unknown] }))).data?.code).toBe('NOT_FOUND');
    expect((await rejection(alice.api.rooms.leave.mutate({ roomId: a!.id }))).data?.code).toBe('FORBIDDEN');
  });

  it('lets members add people to closed rooms; only room admins remove others; anyone leaves', async () => {
    const hearth = await startServer();
    const { alice, bob, carol, dave } = await people(hearth, 'alice', 'bob', 'carol', 'dave');
    const room = await createRoom({ by: alice, members: [bob] });
    await acquaint(bob, carol); // people bob can reach (chat/reach.ts)
    await acquaint(bob, dave);
    await expect(bob.api.rooms.addMembers.mutate({ roomId: room.id, userIds: [carol.id, dave.id] })).resolves.toEqual({
      added: [carol.id, dave.id],
    });
    expect((await rejection(bob.api.rooms.removeMember.mutate({ roomId: room.id, userId: carol.id }))).data?.code).toBe('FORBIDDEN');
    await alice.api.rooms.removeMember.mutate({ roomId: room.id, userId: carol.id });
    await dave.api.rooms.leave.mutate({ roomId: room.id });
    expect((await alice.api.rooms.members.query({ roomId: room.id })).map((m) => m.username)).toEqual(['alice', 'bob']);
    expect((await alice.api.rooms.list.query())[0]!.lastSeq).toBe(6); // 2 joins + 2 joins + 2 leaves
  });

  it('refuses every room-scoped call from a non-member: FORBIDDEN for open rooms, NOT_FOUND otherwise, no events', async () => {
    const hearth = await startServer();
    const { alice, mallory } = await people(hearth, 'alice', 'mallory');
    const closed = await createRoom({ by: alice });
    const open = await createRoom({ by: alice, kind: 'open', name: 'lobby' });
    const message = await alice.api.messages.send.mutate({ roomId: closed.id, body: 'secret', clientMessageId: 'c1' });

    for (const [room, code] of [
      [closed, 'NOT_FOUND'],
      [open, 'FORBIDDEN'],
    ] as const) {
      const roomId = room.id;
      const calls = [
        () => mallory.api.messages.send.mutate({ roomId, body: 'hi', clientMessageId: `x-${roomId}` }),
        () => mallory.api.messages.history.query({ roomId }),
        () => mallory.api.messages.markRead.mutate({ roomId, seq: 1 }),
        () => mallory.api.messages.markDelivered.mutate({ roomId, seq: 1 }),
        () => mallory.api.rooms.members.query({ roomId }),
        () => mallory.api.rooms.leave.mutate({ roomId }),
        () => mallory.api.rooms.addMembers.mutate({ roomId, userIds: [mallory.id] }),
        () => mallory.api.rooms.removeMember.mutate({ roomId, userId: alice.id }),
      ];
      for (const call of calls) expect((await rejection(call())).data?.code).toBe(code);
    }
    for (const call of [
      () => mallory.api.messages.edit.mutate({ messageId: message.id, body: 'pwned' }),
      () => mallory.api.messages.delete.mutate({ messageId: message.id }),
      () => mallory.api.messages.receipts.query({ messageId: message.id }),
      () => mallory.api.messages.get.query({ messageId: message.id }),
    ]) {
      expect((await rejection(call())).data?.code).toBe('NOT_FOUND');
    }

    // On the same socket, a stream of Mallory's own room carries the sentinel: anything leaked would come before it.
    const tab = mallory.connect();
    await acquaint(mallory, alice); // so she may add alice to a room of her own
    const own = await createRoom({ by: mallory, members: [alice], name: 'mallory' });
    const ownStream = watchRoom(tab, own.id);
    const stream = watchRoom(tab, closed.id);
    await until(() => ownStream.started && stream.errors.length === 1);
    expect((stream.errors[0] as { data?: { code?: string } }).data?.code).toBe('NOT_FOUND');
    await alice.api.messages.send.mutate({ roomId: closed.id, body: 'still secret', clientMessageId: 'c2' });
    await recordedBefore(ownStream.received, sentinelTyping(alice, own.id));
    expect(stream.received).toEqual([]);
    expect(await hearth.server.services.store.prisma.message.count()).toBe(2);
  });

  it('answers BAD_REQUEST for malformed ids', async () => {
    const hearth = await startServer();
    const { alice } = await people(hearth, 'alice');
    for (const call of [
      () => alice.api.messages.history.query({ roomId: 'not-an-id' }),
      () => alice.api.messages.send.mutate({ roomId: '1; DROP TABLE Room', body: 'x', clientMessageId: 'c' }),
      () => alice.api.messages.edit.mutate({ messageId: 'x'.repeat(5000), body: 'x' }),
    ]) {
      const error = await rejection(call());
      expect(error.data?.code).toBe('BAD_REQUEST');
    }
  });
});

describe('admin.rooms', () => {
  it('is for admins only', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob'); // alice registered first: admin
    const room = await createRoom({ by: bob });
    expect((await rejection(bob.api.admin.rooms.list.query())).data?.code).toBe('FORBIDDEN');
    expect((await rejection(bob.api.admin.rooms.archive.mutate({ roomId: room.id }))).data?.code).toBe('FORBIDDEN');
    expect((await rejection(bob.api.admin.rooms.delete.mutate({ roomId: room.id }))).data?.code).toBe('FORBIDDEN');
    const listed = await alice.api.admin.rooms.list.query();
    expect(listed.map((r) => [r.id, r.memberCount, r.messageCount])).toEqual([[room.id, 1, 0]]);
  });

  it('archives a room: readable, but no new messages, edits or joins', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob], kind: 'open' });
    const message = await bob.api.messages.send.mutate({ roomId: room.id, body: 'before', clientMessageId: 'b1' });
    await alice.api.admin.rooms.archive.mutate({ roomId: room.id });
    for (const call of [
      () => bob.api.messages.send.mutate({ roomId: room.id, body: 'after', clientMessageId: 'b2' }),
      () => bob.api.messages.edit.mutate({ messageId: message.id, body: 'changed' }),
      () => bob.api.messages.delete.mutate({ messageId: message.id }),
      () => bob.api.rooms.addMembers.mutate({ roomId: room.id, userIds: [alice.id] }),
    ]) {
      expect((await rejection(call())).data?.code).toBe('FORBIDDEN');
    }
    const history = await bob.api.messages.history.query({ roomId: room.id });
    expect(history.messages.map((m) => m.body)).toEqual(['before']);
    expect((await bob.api.rooms.list.query())[0]).toMatchObject({ archived: true, lastSeq: 4 }); // the archive is logged too
    await alice.api.admin.rooms.archive.mutate({ roomId: room.id, archived: false });
    await expect(bob.api.messages.send.mutate({ roomId: room.id, body: 'after', clientMessageId: 'b2' })).resolves.toMatchObject({ seq: 6 });
  });

  it("deletes a room: its streams end and it leaves everyone's list", async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    await acquaint(bob, alice); // so bob may add alice (chat/reach.ts)
    const room = await createRoom({ by: bob, members: [alice] });
    const stream = watchRoom(bob.connect(), room.id);
    await until(() => stream.started);
    await alice.api.admin.rooms.delete.mutate({ roomId: room.id });
    await until(() => stream.completed);
    expect(await bob.api.rooms.list.query()).toEqual([]);
    expect(await hearth.server.services.store.prisma.roomEvent.count()).toBe(0);
    expect((await rejection(bob.api.messages.history.query({ roomId: room.id }))).data?.code).toBe('NOT_FOUND');
  });
});
