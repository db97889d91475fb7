import { describe, expect, it } from 'vitest';
import { createRoom, people, range } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { startServer, TEST_SETUP_TOKEN, TestClock } from './helpers/server.ts';

/** Every write that takes a seq or fans out has a bucket; a refused call is typed and writes nothing. */
const limited = async (call: Promise<unknown>, limit: string) => {
  const error = await rejection(call);
  expect(error.data?.code).toBe('TOO_MANY_REQUESTS');
  expect(error.data).toMatchObject({ limit });
};

describe('rate limits on every write that takes a seq or fans out', () => {
  it('edits and deletes: EDITS_PER_MINUTE per user', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock, env: { EDITS_PER_MINUTE: '3' } });
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    const sent = await Promise.all(range(1, 3).map((i) => alice.api.messages.send.mutate({ roomId: room.id, body: `m${i}`, clientMessageId: `m${i}` })));
    await alice.api.messages.edit.mutate({ messageId: sent[0]!.id, body: 'edited' });
    await alice.api.messages.edit.mutate({ messageId: sent[1]!.id, body: 'edited' });
    await alice.api.messages.delete.mutate({ messageId: sent[2]!.id });
    const before = (await alice.api.rooms.list.query())[0]!.lastSeq;
    await limited(alice.api.messages.edit.mutate({ messageId: sent[0]!.id, body: 'again' }), 'edit');
    await limited(alice.api.messages.delete.mutate({ messageId: sent[1]!.id }), 'edit');
    expect((await alice.api.rooms.list.query())[0]!.lastSeq).toBe(before);
    expect((await alice.api.messages.get.query({ messageId: sent[1]!.id })).body).toBe('edited');
    clock.advance(20_000); // a third of a minute: one token back
    await alice.api.messages.edit.mutate({ messageId: sent[0]!.id, body: 'later' });
  });

  it('joins, leaves, member changes and room creation: ROOM_CHANGES_PER_MINUTE per user', async () => {
    const hearth = await startServer({ clock: new TestClock(), env: { ROOM_CHANGES_PER_MINUTE: '3' } });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const open = await alice.api.rooms.create.mutate({ name: 'open', kind: 'open' });
    await bob.api.rooms.join.mutate({ roomId: open.id });
    await bob.api.rooms.leave.mutate({ roomId: open.id });
    await bob.api.rooms.join.mutate({ roomId: open.id });
    await limited(bob.api.rooms.leave.mutate({ roomId: open.id }), 'room_change');
    await limited(bob.api.rooms.create.mutate({ name: 'more', kind: 'closed' }), 'room_change');
    await limited(bob.api.rooms.direct.mutate({ userIds: [alice.id] }), 'room_change');
    expect((await bob.api.rooms.list.query()).map((r) => r.id)).toEqual([open.id]);
    // Alice has her own bucket.
    await alice.api.rooms.addMembers.mutate({ roomId: open.id, userIds: [bob.id] });
  });

  it('read and delivered receipts: RECEIPTS_PER_MINUTE per user', async () => {
    const hearth = await startServer({ clock: new TestClock(), env: { RECEIPTS_PER_MINUTE: '2' } });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] });
    const sent = await Promise.all(range(1, 3).map((i) => alice.api.messages.send.mutate({ roomId: room.id, body: `m${i}`, clientMessageId: `m${i}` })));
    await bob.api.messages.markDelivered.mutate({ roomId: room.id, seq: sent[0]!.seq });
    await bob.api.messages.markRead.mutate({ roomId: room.id, seq: sent[1]!.seq });
    await limited(bob.api.messages.markRead.mutate({ roomId: room.id, seq: sent[2]!.seq }), 'receipt');
    expect((await bob.api.rooms.list.query())[0]!.readSeq).toBe(sent[1]!.seq);
  });

  it('admin actions: ADMIN_ACTIONS_PER_MINUTE per admin', async () => {
    const hearth = await startServer({ clock: new TestClock(), env: { ADMIN_ACTIONS_PER_MINUTE: '2' } });
    const { root, alice } = await people(hearth, 'root', 'alice');
    await root.api.admin.users.setRole.mutate({ userId: alice.id, role: 'admin' });
    await root.api.admin.users.setRole.mutate({ userId: alice.id, role: 'member' });
    await limited(root.api.admin.users.deactivate.mutate({ userId: alice.id }), 'admin');
    expect((await root.api.admin.users.list.query()).find((u) => u.id === alice.id)?.deactivated).toBe(false);
  });

  it('registrations: REGISTRATIONS_PER_HOUR_PER_IP per address, and a batch draws a token per call', async () => {
    const clock = new TestClock();
    const hearth = await startServer({ clock, env: { REGISTRATIONS_PER_HOUR_PER_IP: '3' } });
    const names = range(1, 5).map((i) => `user${i}`);
    const body = Object.fromEntries(names.map((username, i) => [i, { username, password: 'correct horse battery', setupToken: TEST_SETUP_TOKEN }]));
    const response = await fetch(`${hearth.url}/api/trpc/${names.map(() => 'auth.register').join(',')}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const results = (await response.json()) as Array<{ result?: unknown; error?: { data: { code: string; limit?: string } } }>;
    expect(results.filter((r) => r.result)).toHaveLength(3);
    expect(results.filter((r) => r.error).map((r) => [r.error!.data.code, r.error!.data.limit])).toEqual([
      ['TOO_MANY_REQUESTS', 'register'],
      ['TOO_MANY_REQUESTS', 'register'],
    ]);
    expect(await hearth.server.services.store.prisma.user.count()).toBe(3);
    clock.advance(20 * 60_000); // a third of an hour: one more
    await expect(
      hearth.client().trpc.auth.register.mutate({ username: 'later', password: 'correct horse battery', setupToken: TEST_SETUP_TOKEN }),
    ).resolves.toHaveProperty('token');
    const metrics = await (await fetch(`${hearth.url}/metrics`)).text();
    expect(metrics).toMatch(/hearth_rate_limited_total\{kind="register"\} 2/);
  });
});
