import { describe, expect, it } from 'vitest';
import { acquaint, createRoom, people } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { startServer } from './helpers/server.ts';

describe('blocking', () => {
  it('stops direct messages, requests and invitations from the blocked person, not their messages in shared rooms', async () => {
    const hearth = await startServer();
    const { alice, carol, dave } = await people(hearth, 'alice', 'carol', 'dave');
    await acquaint(carol, dave);
    const direct = await carol.api.rooms.direct.mutate({ userIds: [dave.id] });
    const team = await createRoom({ by: alice, members: [carol, dave], name: 'team' });
    const lastSeq = async () => (await dave.api.rooms.get.query({ roomId: direct.id })).lastSeq;
    const seqBefore = await lastSeq();

    await expect(dave.api.contacts.block.mutate({ userId: carol.id })).resolves.toEqual({ blocked: true });
    await expect(dave.api.contacts.block.mutate({ userId: carol.id })).resolves.toEqual({ blocked: true }); // twice: the same
    const send = await rejection(carol.api.messages.send.mutate({ roomId: direct.id, body: 'hello?', clientMessageId: 'c1' }));
    expect([send.data?.code, send.message]).toEqual(['FORBIDDEN', 'You cannot send messages to this person']);
    expect(await lastSeq()).toBe(seqBefore); // nothing written
    expect((await rejection(carol.api.rooms.direct.mutate({ userIds: [dave.id] }))).data?.code).toBe('FORBIDDEN');
    const asked = await rejection(carol.api.contacts.request.mutate({ userId: dave.id }));
    expect([asked.data?.code, asked.message]).toEqual(['FORBIDDEN', 'This person does not accept requests from you']);
    const own = await createRoom({ by: carol, name: 'carols' });
    expect((await rejection(carol.api.rooms.addMembers.mutate({ roomId: own.id, userIds: [dave.id] }))).data?.code).toBe('FORBIDDEN');
    // The notifier leaves the blocked author out by this question (chat/notifier.ts).
    expect(await hearth.server.services.store.contacts.blockersAmong(carol.id, [dave.id, alice.id])).toEqual([dave.id]);

    // Rooms that are not direct are not on the path: carol still talks in the team room.
    await expect(carol.api.messages.send.mutate({ roomId: team.id, body: 'in the team room', clientMessageId: 'c2' })).resolves.toMatchObject({
      body: 'in the team room',
    });
    // The blocker still may write, and the contact is forgotten on both sides.
    await dave.api.messages.send.mutate({ roomId: direct.id, body: 'last word', clientMessageId: 'd1' });
    expect((await carol.api.contacts.list.query()).contacts).toEqual([]);
    const daves = await dave.api.contacts.list.query();
    expect([daves.contacts, daves.blocked.map((p) => p.username)]).toEqual([[], ['carol']]);
    const ownRequest = await rejection(dave.api.contacts.request.mutate({ userId: carol.id }));
    expect(ownRequest.message).toBe('You blocked this person: unblock them first');

    await expect(dave.api.contacts.unblock.mutate({ userId: carol.id })).resolves.toEqual({ blocked: false });
    await expect(carol.api.messages.send.mutate({ roomId: direct.id, body: 'hello again', clientMessageId: 'c3' })).resolves.toMatchObject({
      body: 'hello again',
    });
    expect((await dave.api.contacts.list.query()).blocked).toEqual([]);
  });

  it('in a group conversation, one member blocking the author refuses their sends to all', async () => {
    const hearth = await startServer();
    const { alice, carol, dave } = await people(hearth, 'alice', 'carol', 'dave'); // alice, the admin, may start any
    const group = await alice.api.rooms.direct.mutate({ userIds: [carol.id, dave.id] });
    await dave.api.contacts.block.mutate({ userId: carol.id });
    expect((await rejection(carol.api.messages.send.mutate({ roomId: group.id, body: 'hi all', clientMessageId: 'g1' }))).data?.code).toBe('FORBIDDEN');
    await expect(alice.api.messages.send.mutate({ roomId: group.id, body: 'hi both', clientMessageId: 'g2' })).resolves.toMatchObject({ seq: 4 });
  });

  it('caps how many people one may block', async () => {
    const hearth = await startServer({ env: { CONTACT_BLOCKS_MAX: '1' } });
    const { carol, dave, erin } = await people(hearth, 'admin', 'carol', 'dave', 'erin');
    await carol.api.contacts.block.mutate({ userId: dave.id });
    const full = await rejection(carol.api.contacts.block.mutate({ userId: erin.id }));
    expect([full.data?.code, full.message]).toEqual(['CONFLICT', 'You have blocked the most people one can (1); unblock someone first']);
    expect(await hearth.server.services.store.prisma.block.count()).toBe(1);
  });
});
