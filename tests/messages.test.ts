import { describe, expect, it } from 'vitest';
import { acquaint, createRoom, people, range, sentinelTyping, watchRoom } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { until } from './helpers/raw-ws.ts';
import { recordedBefore } from './helpers/sentinel.ts';
import { startServer } from './helpers/server.ts';

describe('messages.send', () => {
  it("returns the committed message with the room's next seq, body trimmed", async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] }); // seqs 1, 2: joins
    const message = await bob.api.messages.send.mutate({ roomId: room.id, body: '  hello  ', clientMessageId: 'b-1' });
    expect(message).toMatchObject({ roomId: room.id, authorId: bob.id, body: 'hello', clientMessageId: 'b-1', seq: 3, editedAt: null });
    expect(Date.parse(message.createdAt)).not.toBeNaN();
    expect(message.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/); // time-ordered (UUIDv7): appended to the index, not scattered
  });

  it('commits sends that arrive together as one group: each new one gets its own seq, a repeat its original, an archived room FORBIDDEN alone', async () => {
    const hearth = await startServer();
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice }); // seq 1: the join
    const old = await createRoom({ by: alice, name: 'old' });
    await alice.api.admin.rooms.archive.mutate({ roomId: old.id });
    const first = await alice.api.messages.send.mutate({ roomId: room.id, body: 'first', clientMessageId: 'c-0' });
    // One HTTP batch: the server takes them in the same turn, so they share a commit.
    const send = (roomId: string, clientMessageId: string) => alice.api.messages.send.mutate({ roomId, body: clientMessageId, clientMessageId });
    const [fresh, repeats, refused] = await Promise.all([
      Promise.all(range(1, 10).map((i) => send(room.id, `c-${i}`))),
      Promise.all([send(room.id, 'c-0'), send(room.id, 'c-0')]),
      rejection(send(old.id, 'c-old')),
    ]);
    expect(fresh.map((m) => m.seq).sort((a, b) => a - b)).toEqual(range(3, 12));
    expect(repeats).toEqual([first, first]);
    expect(refused.data?.code).toBe('FORBIDDEN');
    const db = hearth.server.services.store.prisma;
    expect(await db.message.count({ where: { roomId: room.id } })).toBe(11);
    expect(await db.message.count({ where: { roomId: old.id } })).toBe(0);
    expect((await db.room.findUniqueOrThrow({ where: { id: room.id } })).lastSeq).toBe(12);
    expect((await db.roomEvent.findMany({ where: { roomId: room.id }, orderBy: { seq: 'asc' } })).map((e) => e.seq)).toEqual(range(1, 12));
  });

  it('is idempotent on clientMessageId: retries, even concurrent ones, return the same message and write one row', async () => {
    const hearth = await startServer();
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    const send = () => alice.api.messages.send.mutate({ roomId: room.id, body: 'once', clientMessageId: 'same' });
    const results = await Promise.all([send(), send(), send(), send()]);
    expect(new Set(results.map((m) => m.id)).size).toBe(1);
    expect(await send()).toEqual(results[0]);
    const db = hearth.server.services.store.prisma;
    expect(await db.message.count()).toBe(1);
    expect((await db.room.findUniqueOrThrow({ where: { id: room.id } })).lastSeq).toBe(2); // join + one message
    const other = await createRoom({ by: alice, name: 'other' });
    const conflict = await rejection(alice.api.messages.send.mutate({ roomId: other.id, body: 'once', clientMessageId: 'same' }));
    expect(conflict.data?.code).toBe('CONFLICT');
  });

  it('rejects empty and over-long bodies with BAD_REQUEST pointing at body, and writes nothing', async () => {
    const hearth = await startServer({ env: { MAX_MESSAGE_LENGTH: '100' } });
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    for (const body of ['', '   \n ', 'x'.repeat(101)]) {
      const error = await rejection(alice.api.messages.send.mutate({ roomId: room.id, body, clientMessageId: `c${body.length}` }));
      expect(error.data?.code).toBe('BAD_REQUEST');
      expect(error.data?.issues?.[0]?.path).toEqual(['body']);
    }
    await expect(alice.api.messages.send.mutate({ roomId: room.id, body: 'x'.repeat(100), clientMessageId: 'ok' })).resolves.toMatchObject({ seq: 2 });
    expect(await hearth.server.services.store.prisma.message.count()).toBe(1);
  });

  it('gives 20 concurrent senders contiguous seqs 1..N, no gap, no duplicate', async () => {
    const hearth = await startServer();
    const names = range(1, 20).map((i) => `sender${i}`);
    const crowd = Object.values(await people(hearth, ...names));
    const room = await createRoom({ by: crowd[0]!, members: crowd.slice(1), kind: 'open' });
    const sent = await Promise.all(
      crowd.flatMap((person) =>
        range(1, 10).map((i) => person.api.messages.send.mutate({ roomId: room.id, body: `${person.name} #${i}`, clientMessageId: `${person.name}-${i}` })),
      ),
    );
    const seqs = sent.map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(range(21, 220)); // 20 joins first
    const log = await hearth.server.services.store.prisma.roomEvent.findMany({ where: { roomId: room.id }, orderBy: { seq: 'asc' } });
    expect(log.map((e) => e.seq)).toEqual(range(1, 220));
  });
});

describe('editing and deleting', () => {
  it('lets the author, a room admin and an admin edit; others get FORBIDDEN', async () => {
    const hearth = await startServer();
    const { root, alice, bob, carol } = await people(hearth, 'root', 'alice', 'bob', 'carol');
    for (const other of [bob, carol, root]) await acquaint(alice, other); // so alice may add them (chat/reach.ts)
    const room = await createRoom({ by: alice, members: [bob, carol, root] });
    const message = await bob.api.messages.send.mutate({ roomId: room.id, body: 'first', clientMessageId: 'b1' });
    expect((await rejection(carol.api.messages.edit.mutate({ messageId: message.id, body: 'carol was here' }))).data?.code).toBe('FORBIDDEN');
    const edited = await bob.api.messages.edit.mutate({ messageId: message.id, body: ' second ' });
    expect(edited).toMatchObject({ id: message.id, seq: message.seq, body: 'second' });
    expect(edited.editedAt).not.toBeNull();
    await alice.api.messages.edit.mutate({ messageId: message.id, body: 'by the room admin' });
    await root.api.messages.edit.mutate({ messageId: message.id, body: 'by the admin' });
    expect((await carol.api.messages.get.query({ messageId: message.id })).body).toBe('by the admin');
  });

  it('deletes the body from the database for good; a deleted message cannot be edited', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const message = await bob.api.messages.send.mutate({ roomId: room.id, body: 'regrettable words', clientMessageId: 'b1' });
    await bob.api.messages.edit.mutate({ messageId: message.id, body: 'still regrettable' });
    expect((await rejection(alice.api.messages.delete.mutate({ messageId: '00000000-0000-4000-8000-000000000000' }))).data?.code).toBe('NOT_FOUND');
    await expect(bob.api.messages.delete.mutate({ messageId: message.id })).resolves.toEqual({ ok: true });
    await expect(bob.api.messages.delete.mutate({ messageId: message.id })).resolves.toEqual({ ok: true }); // again: no-op
    const db = hearth.server.services.store.prisma;
    const row = await db.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(row.body).toBeNull();
    expect(row.deletedAt).not.toBeNull();
    const everything = JSON.stringify([await db.message.findMany(), await db.roomEvent.findMany()]);
    expect(everything).not.toContain('regrettable');
    const log = await db.roomEvent.findMany({ where: { roomId: room.id }, orderBy: { seq: 'asc' } });
    expect(log.map((e) => e.type)).toEqual(['member.joined', 'member.joined', 'message.created', 'message.updated', 'message.deleted']);
    expect((await rejection(bob.api.messages.edit.mutate({ messageId: message.id, body: 'back' }))).data?.code).toBe('NOT_FOUND');
    expect((await bob.api.messages.history.query({ roomId: room.id })).messages).toEqual([]);
  });
});

describe('messages.history', () => {
  it('pages backwards, newest page first, without deleted messages', async () => {
    const hearth = await startServer();
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice }); // seq 1
    const sent = [];
    for (const i of range(1, 120)) sent.push(await alice.api.messages.send.mutate({ roomId: room.id, body: `m${i}`, clientMessageId: `m${i}` }));
    await alice.api.messages.delete.mutate({ messageId: sent[119]!.id }); // m120
    await alice.api.messages.delete.mutate({ messageId: sent[0]!.id }); // m1

    const first = await alice.api.messages.history.query({ roomId: room.id, limit: 50 });
    expect(first.messages.map((m) => m.body)).toEqual(range(70, 119).map((i) => `m${i}`));
    const second = await alice.api.messages.history.query({ roomId: room.id, limit: 50, beforeSeq: first.nextBeforeSeq! });
    expect(second.messages.map((m) => m.body)).toEqual(range(20, 69).map((i) => `m${i}`));
    const third = await alice.api.messages.history.query({ roomId: room.id, limit: 50, beforeSeq: second.nextBeforeSeq! });
    expect(third.messages.map((m) => m.body)).toEqual(range(2, 19).map((i) => `m${i}`));
    expect(third.nextBeforeSeq).toBeNull();
    expect((await rejection(alice.api.messages.history.query({ roomId: room.id, limit: 5000 }))).data?.code).toBe('BAD_REQUEST');
  });
});

describe('unread counts and receipts', () => {
  it("counts others' unread messages per room and moves read/delivered positions forward only", async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const sent = [];
    for (const i of range(1, 5)) sent.push(await alice.api.messages.send.mutate({ roomId: room.id, body: `m${i}`, clientMessageId: `a${i}` }));
    await bob.api.messages.send.mutate({ roomId: room.id, body: 'mine', clientMessageId: 'b1' });
    expect((await bob.api.rooms.list.query())[0]).toMatchObject({ unread: 5, lastSeq: 8 });
    expect((await alice.api.rooms.list.query())[0]).toMatchObject({ unread: 1 });

    await bob.api.messages.markDelivered.mutate({ roomId: room.id, seq: sent[4]!.seq });
    await bob.api.messages.markRead.mutate({ roomId: room.id, seq: sent[2]!.seq });
    expect((await bob.api.rooms.list.query())[0]).toMatchObject({ unread: 2 });
    await expect(bob.api.messages.markRead.mutate({ roomId: room.id, seq: 1 })).resolves.toEqual({ readSeq: sent[2]!.seq, deliveredSeq: sent[4]!.seq });
    expect((await rejection(bob.api.messages.markRead.mutate({ roomId: room.id, seq: 99 }))).data?.code).toBe('BAD_REQUEST');

    await alice.api.messages.delete.mutate({ messageId: sent[4]!.id });
    expect((await bob.api.rooms.list.query())[0]).toMatchObject({ unread: 1 });

    expect(await alice.api.messages.receipts.query({ messageId: sent[2]!.id })).toEqual({
      messageId: sent[2]!.id,
      seq: sent[2]!.seq,
      delivered: [bob.id],
      read: [bob.id],
    });
    expect(await alice.api.messages.receipts.query({ messageId: sent[3]!.id })).toMatchObject({ delivered: [bob.id], read: [] });
  });

  it('streams receipt changes to the room as ephemeral events', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const message = await alice.api.messages.send.mutate({ roomId: room.id, body: 'seen?', clientMessageId: 'a1' });
    const stream = watchRoom(alice.connect(), room.id);
    await until(() => stream.started);
    await bob.api.messages.markDelivered.mutate({ roomId: room.id, seq: message.seq });
    await bob.api.messages.markRead.mutate({ roomId: room.id, seq: message.seq });
    // Bob's typing is the sentinel: a third receipt would arrive before it.
    const receipts = (await recordedBefore(stream.received, sentinelTyping(bob, room.id))).filter((r) => r.event.type === 'receipt');
    expect(receipts).toEqual([
      { event: { type: 'receipt', roomId: room.id, userId: bob.id, deliveredSeq: 3, readSeq: 0 } },
      { event: { type: 'receipt', roomId: room.id, userId: bob.id, deliveredSeq: 3, readSeq: 3 } },
    ]);
  });
});
