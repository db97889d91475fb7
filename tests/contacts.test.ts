import { describe, expect, it, vi } from 'vitest';
import type { UserStreamEvent } from '../src/server/realtime/user-stream.ts';
import { acquaint, createRoom, people, type Person } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer, type TestServer } from './helpers/server.ts';

/** A person's events.user, live once its first unread count arrives (so each person gets a room of their own first). */
async function userStream(person: Person) {
  await createRoom({ by: person, name: `${person.name}'s notes` });
  const received: UserStreamEvent[] = [];
  person.connect().trpc.events.user.subscribe(undefined, { onData: (event) => void received.push(event) });
  await until(() => received.some((e) => e.type === 'unread'));
  return { contactChanges: () => received.flatMap((e) => (e.type === 'contact.changed' ? [e.userId] : [])) };
}

const names = (list: Array<{ username: string }>) => list.map((p) => p.username);
const rows = (hearth: TestServer) => hearth.server.services.store.prisma.contact.count();

describe('contacts: who may reach whom', () => {
  it('a stranger is reached only through a request; sharing a room is enough; admins may add anyone', async () => {
    const hearth = await startServer();
    const { alice, bob, carol, dave } = await people(hearth, 'alice', 'bob', 'carol', 'dave'); // alice: the admin
    const rooms = () => hearth.server.services.store.prisma.room.count();
    const before = await rooms();

    const refused = await rejection(carol.api.rooms.direct.mutate({ userIds: [dave.id] }));
    expect([refused.data?.code, refused.message]).toEqual(['FORBIDDEN', 'You share no room with this person: send them a contact request first']);
    expect((refused.data as { needsRequest?: string[] }).needsRequest).toEqual([dave.id]);
    expect((await rejection(carol.api.rooms.create.mutate({ name: 'plans', kind: 'closed', memberIds: [dave.id] }))).data?.code).toBe('FORBIDDEN');
    const own = await createRoom({ by: carol, name: 'carols' });
    expect((await rejection(carol.api.rooms.addMembers.mutate({ roomId: own.id, userIds: [dave.id] }))).data?.code).toBe('FORBIDDEN');
    expect(await rooms()).toBe(before + 1); // only carol's own room: the refusals wrote nothing
    expect((await carol.api.rooms.members.query({ roomId: own.id })).map((m) => m.username)).toEqual(['carol']);

    // A Hearth admin may add anyone, and then they share a room.
    const shared = await createRoom({ by: alice, members: [bob, carol], name: 'team' });
    const direct = await bob.api.rooms.direct.mutate({ userIds: [carol.id] });
    expect(direct.memberIds).toEqual([bob.id, carol.id].sort());
    await expect(carol.api.rooms.addMembers.mutate({ roomId: own.id, userIds: [bob.id] })).resolves.toEqual({ added: [bob.id] });
    await alice.api.rooms.addMembers.mutate({ roomId: shared.id, userIds: [dave.id] });
    await expect(carol.api.rooms.direct.mutate({ userIds: [dave.id] })).resolves.toMatchObject({ kind: 'direct' });
  });

  it('a request arrives live and an acceptance makes contacts who may talk; asking again changes nothing', async () => {
    const hearth = await startServer();
    const { carol, dave } = await people(hearth, 'admin', 'carol', 'dave');
    const requested = vi.spyOn(hearth.server.services.notifier, 'contactRequested');
    const accepted = vi.spyOn(hearth.server.services.notifier, 'contactAccepted');
    const [carols, daves] = await Promise.all([userStream(carol), userStream(dave)]);

    await expect(carol.api.contacts.request.mutate({ userId: dave.id })).resolves.toEqual({ status: 'pending' });
    await until(() => daves.contactChanges().length === 1);
    expect(daves.contactChanges()).toEqual([carol.id]);
    expect(requested.mock.calls).toEqual([[{ requesterId: carol.id, addresseeId: dave.id }]]);
    const incoming = await dave.api.contacts.list.query();
    expect([names(incoming.incoming), names(incoming.outgoing), names(incoming.contacts)]).toEqual([['carol'], [], []]);
    expect(names((await carol.api.contacts.list.query()).outgoing)).toEqual(['dave']);
    await expect(carol.api.contacts.request.mutate({ userId: dave.id })).resolves.toEqual({ status: 'pending' });
    expect(requested).toHaveBeenCalledTimes(1); // asking twice notifies once
    expect((await rejection(carol.api.rooms.direct.mutate({ userIds: [dave.id] }))).data?.code).toBe('FORBIDDEN');

    await expect(dave.api.contacts.accept.mutate({ userId: carol.id })).resolves.toEqual({ status: 'accepted' });
    await until(() => carols.contactChanges().length === 2); // the request (her other devices), the answer
    expect(accepted.mock.calls).toEqual([[{ requesterId: carol.id, addresseeId: dave.id }]]);
    for (const person of [carol, dave]) {
      const lists = await person.api.contacts.list.query();
      expect([lists.contacts.length, lists.incoming.length, lists.outgoing.length]).toEqual([1, 0, 0]);
    }
    const direct = await carol.api.rooms.direct.mutate({ userIds: [dave.id] });
    await dave.api.messages.send.mutate({ roomId: direct.id, body: 'hi carol', clientMessageId: 'hi' });
    await expect(carol.api.contacts.request.mutate({ userId: dave.id })).resolves.toEqual({ status: 'accepted' });
    expect(await rows(hearth)).toBe(1);
  });

  it('asking someone who asked me accepts both; a declined request cannot be repeated, but the other may ask', async () => {
    const hearth = await startServer();
    const { carol, dave, erin } = await people(hearth, 'admin', 'carol', 'dave', 'erin');
    const accepted = vi.spyOn(hearth.server.services.notifier, 'contactAccepted');
    await carol.api.contacts.request.mutate({ userId: dave.id });
    await expect(dave.api.contacts.request.mutate({ userId: carol.id })).resolves.toEqual({ status: 'accepted' });
    expect(accepted.mock.calls).toEqual([[{ requesterId: carol.id, addresseeId: dave.id }]]);
    expect(names((await dave.api.contacts.list.query()).contacts)).toEqual(['carol']);

    await erin.api.contacts.request.mutate({ userId: carol.id });
    await expect(carol.api.contacts.decline.mutate({ userId: erin.id })).resolves.toEqual({ status: 'declined' });
    expect((await erin.api.contacts.list.query()).outgoing).toEqual([]);
    const again = await rejection(erin.api.contacts.request.mutate({ userId: carol.id }));
    expect([again.data?.code, again.message]).toEqual(['FORBIDDEN', 'This person declined your request']);
    expect((await rejection(carol.api.contacts.accept.mutate({ userId: erin.id }))).data?.code).toBe('NOT_FOUND'); // answered already
    await acquaint(carol, erin);
    expect(names((await erin.api.contacts.list.query()).contacts)).toEqual(['carol']);
    expect(accepted).toHaveBeenCalledTimes(2);
  });

  it('refuses bad input with typed errors and writes nothing', async () => {
    const hearth = await startServer();
    const { carol } = await people(hearth, 'admin', 'carol');
    const unknown = '00000000-0000-4000-8000-000000000000';
    const codes = await Promise.all(
      [
        carol.api.contacts.request.mutate({ userId: carol.id }),
        carol.api.contacts.request.mutate({ userId: unknown }),
        carol.api.contacts.request.mutate({ userId: 'not-an-id' }),
        carol.api.contacts.accept.mutate({ userId: unknown }),
        carol.api.contacts.decline.mutate({ userId: carol.id }),
        carol.api.contacts.block.mutate({ userId: carol.id }),
        carol.api.contacts.block.mutate({ userId: unknown }),
        carol.api.contacts.unblock.mutate({ userId: unknown }),
      ].map(async (call) => (await rejection(call)).data?.code),
    );
    expect(codes).toEqual(['BAD_REQUEST', 'NOT_FOUND', 'BAD_REQUEST', 'NOT_FOUND', 'BAD_REQUEST', 'BAD_REQUEST', 'NOT_FOUND', 'NOT_FOUND']);
    expect(await rows(hearth)).toBe(0);
    expect(await hearth.server.services.store.prisma.block.count()).toBe(0);
  });

  it('caps pending requests per person and rate-limits contact changes', async () => {
    const hearth = await startServer({ env: { CONTACT_PENDING_MAX: '2', CONTACT_REQUESTS_PER_MINUTE: '5' } });
    const { carol, dave, erin, fay } = await people(hearth, 'admin', 'carol', 'dave', 'erin', 'fay');
    await carol.api.contacts.request.mutate({ userId: dave.id });
    await carol.api.contacts.request.mutate({ userId: erin.id });
    const full = await rejection(carol.api.contacts.request.mutate({ userId: fay.id }));
    expect([full.data?.code, full.message]).toEqual(['CONFLICT', 'You have 2 requests waiting for an answer; wait for some of them']);
    expect(await rows(hearth)).toBe(2);
    await dave.api.contacts.decline.mutate({ userId: carol.id }); // an answer frees a place
    await carol.api.contacts.request.mutate({ userId: fay.id });
    await carol.api.contacts.block.mutate({ userId: dave.id });
    const limited = await rejection(carol.api.contacts.unblock.mutate({ userId: dave.id })); // her sixth contact change this minute
    expect([limited.data?.code, (limited.data as { limit?: string }).limit]).toEqual(['TOO_MANY_REQUESTS', 'contact']);
    expect(names((await carol.api.contacts.list.query()).blocked)).toEqual(['dave']);
  });
});
