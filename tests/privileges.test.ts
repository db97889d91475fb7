import { describe, expect, it } from 'vitest';
import { acquaint, createRoom, people } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

/**
 * Privileges follow the database, on sockets opened before the change too.
 * The concurrency cases run on SQLite here and on PostgreSQL in
 * `npm run test:postgres`, where READ COMMITTED made them race.
 */
describe('privileges on open connections', () => {
  it('a demoted admin loses admin rights on an already open socket at once, and cannot re-promote themself', async () => {
    const hearth = await startServer();
    const { root, alice } = await people(hearth, 'root', 'alice');
    await root.api.admin.users.setRole.mutate({ userId: alice.id, role: 'admin' });
    const socket = hearth.client({ token: alice.token, transport: 'ws' }).trpc;
    expect(await socket.admin.users.list.query()).toHaveLength(2); // the socket now holds an admin session

    await root.api.admin.users.setRole.mutate({ userId: alice.id, role: 'member' });
    expect((await rejection(socket.admin.users.list.query())).data?.code).toBe('FORBIDDEN');
    expect((await rejection(socket.admin.users.setRole.mutate({ userId: alice.id, role: 'admin' }))).data?.code).toBe('FORBIDDEN');
    expect((await rejection(socket.admin.rooms.list.query())).data?.code).toBe('FORBIDDEN');
    // The session the socket holds is refreshed by the bus event: every rule reading the role sees it.
    await until(async () => (await socket.auth.me.query()).role === 'member');
    expect((await root.api.admin.users.list.query()).find((u) => u.id === alice.id)?.role).toBe('member');
  });

  it('a promotion reaches the open socket too: the same socket gains admin rights and shows the role', async () => {
    const hearth = await startServer();
    const { root, alice } = await people(hearth, 'root', 'alice');
    const socket = hearth.client({ token: alice.token, transport: 'ws' }).trpc;
    expect((await rejection(socket.admin.users.list.query())).data?.code).toBe('FORBIDDEN');
    await root.api.admin.users.setRole.mutate({ userId: alice.id, role: 'admin' });
    expect(await socket.admin.users.list.query()).toHaveLength(2);
    await until(async () => (await socket.auth.me.query()).role === 'admin');
  });

  it("a Hearth admin's power over other people's messages ends with the demotion, on the open socket", async () => {
    const hearth = await startServer();
    const { root, alice, bob } = await people(hearth, 'root', 'alice', 'bob');
    await root.api.admin.users.setRole.mutate({ userId: alice.id, role: 'admin' });
    await acquaint(bob, alice); // so bob may add alice (chat/reach.ts)
    const room = await createRoom({ by: bob, members: [alice] });
    const message = await bob.api.messages.send.mutate({ roomId: room.id, body: 'mine', clientMessageId: 'b1' });
    const socket = hearth.client({ token: alice.token, transport: 'ws' }).trpc;
    await until(async () => (await socket.auth.me.query()).role === 'admin');
    await root.api.admin.users.setRole.mutate({ userId: alice.id, role: 'member' });
    await until(async () => (await socket.auth.me.query()).role === 'member');
    expect((await rejection(socket.messages.edit.mutate({ messageId: message.id, body: 'not yours' }))).data?.code).toBe('FORBIDDEN');
    expect((await rejection(socket.rooms.removeMember.mutate({ roomId: room.id, userId: bob.id }))).data?.code).toBe('FORBIDDEN');
    expect((await bob.api.messages.get.query({ messageId: message.id })).body).toBe('mine');
  });

  it('a change the bus never announced still reaches open sockets within SESSION_RECHECK_MS', async () => {
    const hearth = await startServer({ env: { SESSION_RECHECK_MS: '200' } });
    const { root, alice } = await people(hearth, 'root', 'alice');
    const socket = hearth.client({ token: alice.token, transport: 'ws' }).trpc;
    expect((await socket.auth.me.query()).role).toBe('member');
    // Straight into the database: no event, as if it was lost with Redis.
    await hearth.server.services.store.prisma.user.update({ where: { id: alice.id }, data: { role: 'admin' } });
    await until(async () => (await socket.auth.me.query()).role === 'admin', 5000);
    expect(root.id).not.toBe(alice.id);
  });

  it('two admins demoting each other at once leave exactly one admin', async () => {
    const hearth = await startServer();
    const { root, alice } = await people(hearth, 'root', 'alice');
    for (let round = 0; round < 5; round++) {
      await root.api.admin.users.setRole.mutate({ userId: alice.id, role: 'admin' }).catch(() => {});
      await alice.api.admin.users.setRole.mutate({ userId: root.id, role: 'admin' }).catch(() => {});
      const results = await Promise.allSettled([
        root.api.admin.users.setRole.mutate({ userId: alice.id, role: 'member' }),
        alice.api.admin.users.setRole.mutate({ userId: root.id, role: 'member' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(['CONFLICT', 'FORBIDDEN']).toContain(refused.reason.data?.code);
      const admins = await hearth.server.services.store.prisma.user.count({ where: { role: 'admin', deactivatedAt: null } });
      expect(admins).toBe(1);
    }
  });

  it('two admins deactivating each other at once leave exactly one active admin', async () => {
    const hearth = await startServer();
    const { root, alice } = await people(hearth, 'root', 'alice');
    await root.api.admin.users.setRole.mutate({ userId: alice.id, role: 'admin' });
    const results = await Promise.allSettled([
      root.api.admin.users.deactivate.mutate({ userId: alice.id }),
      alice.api.admin.users.deactivate.mutate({ userId: root.id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await hearth.server.services.store.prisma.user.count({ where: { role: 'admin', deactivatedAt: null } })).toBe(1);
  });

  it('simultaneous first registrations make exactly one admin', async () => {
    const hearth = await startServer();
    const names = Array.from({ length: 8 }, (_, i) => `first${i}`);
    const registered = await Promise.all(names.map((name) => hearth.register(name)));
    expect(registered.filter((r) => r.user.role === 'admin')).toHaveLength(1);
    expect(await hearth.server.services.store.prisma.user.count({ where: { role: 'admin' } })).toBe(1);
  });
});
