import { describe, expect, it } from 'vitest';
import type { UserStreamEvent } from '../src/server/realtime/user-stream.ts';
import { createRoom, people, type Person } from './helpers/chat.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer, TestClock } from './helpers/server.ts';

const levelIn = async (person: Person, roomId: string) => ({
  listed: (await person.api.rooms.list.query()).find((r) => r.id === roomId)?.notify,
  got: (await person.api.rooms.get.query({ roomId })).notify,
});

describe('notification levels', () => {
  it('default to all in direct rooms and mentions elsewhere, and are each member’s own', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const open = await createRoom({ by: alice, members: [bob], kind: 'open' });
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    expect(await levelIn(bob, room.id)).toEqual({ listed: 'mentions', got: 'mentions' });
    expect(await levelIn(bob, open.id)).toEqual({ listed: 'mentions', got: 'mentions' });
    expect(await levelIn(bob, direct.id)).toEqual({ listed: 'all', got: 'all' });

    expect(await bob.api.rooms.setNotify.mutate({ roomId: room.id, level: 'nothing' })).toEqual({ roomId: room.id, notify: 'nothing' });
    expect(await bob.api.rooms.setNotify.mutate({ roomId: direct.id, level: 'mentions' })).toEqual({ roomId: direct.id, notify: 'mentions' });
    expect(await levelIn(bob, room.id)).toEqual({ listed: 'nothing', got: 'nothing' });
    expect(await levelIn(bob, direct.id)).toEqual({ listed: 'mentions', got: 'mentions' });
    expect(await levelIn(alice, room.id)).toEqual({ listed: 'mentions', got: 'mentions' });
    expect(await levelIn(alice, direct.id)).toEqual({ listed: 'all', got: 'all' });
    await bob.api.rooms.setNotify.mutate({ roomId: room.id, level: 'all' });
    expect(await levelIn(bob, room.id)).toEqual({ listed: 'all', got: 'all' });
  });

  it('reach my other devices live (room.changed), and nobody else’s', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const watch = (person: Person) => {
      const received: UserStreamEvent[] = [];
      let started = false;
      person.connect().trpc.events.user.subscribe(undefined, { onStarted: () => (started = true), onData: (e) => void received.push(e) });
      return { received, ready: () => until(() => started && received.some((e) => e.type === 'unread')) };
    };
    const bobsPhone = watch(bob);
    const alices = watch(alice);
    await Promise.all([bobsPhone.ready(), alices.ready()]);
    await bob.api.rooms.setNotify.mutate({ roomId: room.id, level: 'nothing' });
    await until(() => bobsPhone.received.some((e) => e.type === 'room.changed'));
    expect(bobsPhone.received.filter((e) => e.type === 'room.changed')).toEqual([{ type: 'room.changed', roomId: room.id }]);
    // Alice hears of a change every member sees (a topic) after Bob's, and of Bob's level nothing.
    await alice.api.rooms.setTopic.mutate({ roomId: room.id, topic: 'later' });
    await until(() => alices.received.some((e) => e.type === 'room.changed'));
    expect(alices.received.filter((e) => e.type === 'room.changed')).toHaveLength(1);
  });

  it('refuse a bad level, a room I am not in and too many changes, typed, changing nothing', async () => {
    const hearth = await startServer({ clock: new TestClock(), env: { ROOM_CHANGES_PER_MINUTE: '6' } });
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    const room = await createRoom({ by: alice, members: [bob] });
    const open = await createRoom({ by: alice, kind: 'open' });
    const setNotify = bob.api.rooms.setNotify.mutate as (input: unknown) => Promise<unknown>;
    await expect(setNotify({ roomId: room.id, level: 'loud' })).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    await expect(setNotify({ roomId: room.id })).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    await expect(carol.api.rooms.setNotify.mutate({ roomId: room.id, level: 'all' })).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
    await expect(carol.api.rooms.setNotify.mutate({ roomId: open.id, level: 'all' })).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await levelIn(bob, room.id)).toEqual({ listed: 'mentions', got: 'mentions' });
    // Bob's two refused calls drew from his bucket of 6 too (the limit comes before the input's level is read).
    for (const level of ['all', 'nothing', 'all', 'nothing'] as const) await bob.api.rooms.setNotify.mutate({ roomId: room.id, level });
    await expect(bob.api.rooms.setNotify.mutate({ roomId: room.id, level: 'mentions' })).rejects.toMatchObject({ data: { code: 'TOO_MANY_REQUESTS' } });
    expect(await levelIn(bob, room.id)).toEqual({ listed: 'nothing', got: 'nothing' });
    expect(await hearth.server.services.store.prisma.membership.count({ where: { notify: { not: null } } })).toBe(1);
  });
});
