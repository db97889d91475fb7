import { describe, expect, it, vi } from 'vitest';
import { createRoom, people } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { metric } from './helpers/metrics.ts';
import { block, feedOf, setLevel, watchUser } from './helpers/notifications.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

let sent = 0;
const say = (
  by: { api: { messages: { send: { mutate(input: { roomId: string; body: string; clientMessageId: string }): Promise<{ seq: number; id: string }> } } } },
  roomId: string,
  body: string,
) => by.api.messages.send.mutate({ roomId, body, clientMessageId: `n-${++sent}` });

describe('who is notified of a message', () => {
  it('direct messages notify the other side by default, never the sender, and collapse into one unread notification', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    const first = await say(alice, direct.id, 'hello bob');
    expect((await feedOf(hearth, bob)).items).toMatchObject([
      {
        kind: 'direct',
        roomId: direct.id,
        roomKind: 'direct',
        messageId: first.id,
        seq: first.seq,
        count: 1,
        excerpt: 'hello bob',
        read: false,
        actor: { id: alice.id, username: 'alice' },
      },
    ]);
    const second = await say(alice, direct.id, 'are you there?');
    const feed = await feedOf(hearth, bob);
    expect(feed.unread).toBe(1);
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ kind: 'direct', messageId: second.id, seq: second.seq, count: 2, excerpt: 'are you there?' });
    expect(await feedOf(hearth, alice)).toEqual({ items: [], unread: 0, nextCursor: null });
  });

  it('by level: all hears every message, the default (mentions) and nothing hear none; a muted direct room is silent', async () => {
    const hearth = await startServer();
    const { alice, bob, carol, dave } = await people(hearth, 'alice', 'bob', 'carol', 'dave');
    const room = await createRoom({ by: alice, members: [bob, carol, dave], name: 'plans' });
    await setLevel(hearth, room.id, bob, 'all');
    await setLevel(hearth, room.id, dave, 'nothing');
    const direct = await alice.api.rooms.direct.mutate({ userIds: [dave.id] });
    await setLevel(hearth, direct.id, dave, 'nothing');
    await say(alice, room.id, 'lunch at noon');
    await say(alice, direct.id, 'psst');
    const aboutMessages = async (person: typeof bob) => (await feedOf(hearth, person)).items.filter((n) => n.kind !== 'room.added');
    expect(await aboutMessages(bob)).toMatchObject([{ kind: 'message', roomName: 'plans', roomKind: 'closed', excerpt: 'lunch at noon', count: 1 }]);
    expect(await aboutMessages(carol)).toEqual([]);
    expect(await aboutMessages(dave)).toEqual([]);
  });

  it('a person who blocked the author hears nothing of their messages', async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    // Not a direct room: there a block refuses the send itself (tests/blocks.test.ts); here only the notifier leaves bob out.
    const room = await createRoom({ by: alice, members: [bob, carol] });
    await block(hearth, bob, alice);
    await say(alice, room.id, 'hi @bob and @carol');
    expect((await feedOf(hearth, bob)).items.map((item) => item.kind)).toEqual(['room.added']); // being added, before the block
    expect((await feedOf(hearth, carol)).items).toMatchObject([{ kind: 'mention', excerpt: 'hi @bob and @carol' }, { kind: 'room.added' }]);
  });

  it('being added to a room by someone else notifies; creating it or joining it yourself does not', async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    const room = await createRoom({ by: alice, members: [bob], name: 'design', kind: 'open' });
    await alice.api.rooms.addMembers.mutate({ roomId: room.id, userIds: [carol.id] });
    expect((await feedOf(hearth, bob)).items).toMatchObject([{ kind: 'room.added', roomId: room.id, roomName: 'design', actor: { id: alice.id } }]);
    expect((await feedOf(hearth, carol)).items).toMatchObject([{ kind: 'room.added', roomId: room.id, actor: { id: alice.id } }]);
    expect((await feedOf(hearth, alice)).items).toEqual([]);
    const { dave } = await people(hearth, 'dave');
    await dave.api.rooms.join.mutate({ roomId: room.id });
    expect((await feedOf(hearth, dave)).items).toEqual([]);
  });
});

describe('reading notifications', () => {
  it('reading the room reads its notifications up to that seq; a later message starts a new one', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    const first = await say(alice, direct.id, 'one');
    const second = await say(alice, direct.id, 'two');
    const tab = await watchUser(bob);
    await bob.api.messages.markRead.mutate({ roomId: direct.id, seq: first.seq });
    expect((await feedOf(hearth, bob)).unread).toBe(1); // its newest message is above what was read
    await bob.api.messages.markRead.mutate({ roomId: direct.id, seq: second.seq });
    expect(await feedOf(hearth, bob)).toMatchObject({ unread: 0, items: [{ read: true, count: 2 }] });
    await until(() => tab.of('notifications.read').length > 0);
    expect(tab.of('notifications.read')).toEqual([{ type: 'notifications.read', unread: 0 }]);

    await say(alice, direct.id, 'three');
    const feed = await feedOf(hearth, bob);
    expect(feed.unread).toBe(1);
    expect(feed.items.map((n) => [n.excerpt, n.count, n.read])).toEqual([
      ['three', 1, false],
      ['two', 2, true],
    ]);
  });

  it('markRead takes ids (mine only) or all, answers the unread count, and refuses bad input without changing anything', async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    await createRoom({ by: alice, members: [bob] });
    await createRoom({ by: alice, members: [bob, carol] });
    const [newest, older] = (await feedOf(hearth, bob)).items;
    const carols = (await feedOf(hearth, carol)).items[0]!;
    expect(await bob.api.notifications.markRead.mutate({ ids: [newest!.id, carols.id] })).toEqual({ unread: 1 });
    expect((await feedOf(hearth, carol)).unread).toBe(1);
    for (const input of [{ ids: [] }, { ids: ['nope'] }, { all: false }, { ids: [older!.id], all: true }, {}] as never[]) {
      expect((await rejection(bob.api.notifications.markRead.mutate(input))).data?.code).toBe('BAD_REQUEST');
    }
    expect((await feedOf(hearth, bob)).unread).toBe(1);
    expect(await bob.api.notifications.markRead.mutate({ all: true })).toEqual({ unread: 0 });
    expect((await feedOf(hearth, carol)).unread).toBe(1);
  });

  it('lists newest first in pages, with the excerpt gone once the message is deleted; a forged cursor is refused', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    for (let i = 1; i <= 5; i++) await createRoom({ by: alice, members: [bob], name: `room ${i}` });
    await hearth.server.services.notifier.idle();
    const first = await bob.api.notifications.list.query({ limit: 2 });
    const second = await bob.api.notifications.list.query({ limit: 2, cursor: first.nextCursor! });
    const third = await bob.api.notifications.list.query({ limit: 2, cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((n) => n.roomName)).toEqual(['room 5', 'room 4', 'room 3', 'room 2', 'room 1']);
    expect(third.nextCursor).toBeNull();
    expect((await rejection(bob.api.notifications.list.query({ cursor: 'x' }))).data?.code).toBe('BAD_REQUEST');

    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    const message = await say(alice, direct.id, 'regrettable');
    await alice.api.messages.delete.mutate({ messageId: message.id });
    expect((await feedOf(hearth, bob)).items[0]).toMatchObject({ kind: 'direct', messageId: message.id, excerpt: null });
  });
});

describe('live and push', () => {
  it('my pages hear each notification with the unread count; people with no open connection get it as a push instead', async () => {
    const hearth = await startServer();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    const group = await alice.api.rooms.direct.mutate({ userIds: [bob.id, carol.id] });
    const deliver = vi.spyOn(hearth.server.services.push, 'deliver');
    const tab = await watchUser(bob); // Bob is online; Carol has no socket
    const message = await say(alice, group.id, 'standup in 5');
    await until(() => tab.of('notification').length > 0);
    expect(tab.of('notification')).toMatchObject([{ unread: 1, notification: { kind: 'direct', messageId: message.id, excerpt: 'standup in 5', count: 1 } }]);
    await hearth.server.services.notifier.idle();
    const carols = (await feedOf(hearth, carol)).items[0]!;
    expect(deliver.mock.calls).toEqual([
      [
        {
          userId: carol.id,
          notificationId: carols.id,
          url: `/#room=${group.id}`,
          title: 'New message from alice',
          body: 'standup in 5',
          privateBody: 'New message',
        },
      ],
    ]);
  });

  it('never delays or fails the send: the queue is bounded and counts what it drops', async () => {
    const hearth = await startServer({ env: { NOTIFY_QUEUE_MAX: '2' } });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    const { notifier } = hearth.server.services;
    for (let i = 0; i < 5; i++) notifier.contactRequested({ requesterId: alice.id, addresseeId: bob.id }); // queued in one turn: 2 kept
    expect(await metric(hearth, 'hearth_notifications_dropped_total')).toBe(3);
    await say(alice, direct.id, 'still sent');
    await notifier.idle();
    expect((await feedOf(hearth, bob)).items.map((n) => n.kind).sort()).toEqual(['contact.request', 'direct']); // one request, however often asked
  });

  it('contact requests notify the addressee; an acceptance reads the request and notifies the requester', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    hearth.server.services.notifier.contactRequested({ requesterId: alice.id, addresseeId: bob.id });
    expect(await feedOf(hearth, bob)).toMatchObject({ unread: 1, items: [{ kind: 'contact.request', roomId: null, actor: { id: alice.id } }] });
    hearth.server.services.notifier.contactAccepted({ requesterId: alice.id, addresseeId: bob.id });
    expect(await feedOf(hearth, bob)).toMatchObject({ unread: 0, items: [{ kind: 'contact.request', read: true }] });
    expect(await feedOf(hearth, alice)).toMatchObject({ unread: 1, items: [{ kind: 'contact.accepted', actor: { id: bob.id } }] });
  });
});
