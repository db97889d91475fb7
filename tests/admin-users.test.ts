import { describe, expect, it } from 'vitest';
import { createRoom, people, watchRoom } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

describe('admin.users', () => {
  it('lists and searches users, for admins only', async () => {
    const hearth = await startServer();
    const { root, alice, bob } = await people(hearth, 'root', 'alice', 'bob');
    expect((await rejection(alice.api.admin.users.list.query())).data?.code).toBe('FORBIDDEN');
    const all = await root.api.admin.users.list.query();
    expect(all.map((u) => [u.username, u.role, u.deactivated])).toEqual([
      ['root', 'admin', false],
      ['alice', 'member', false],
      ['bob', 'member', false],
    ]);
    expect((await root.api.admin.users.list.query({ query: 'ali' })).map((u) => u.id)).toEqual([alice.id]);
    expect(bob.id).toBeTruthy();
  });

  it('changes roles but never removes the last admin', async () => {
    const hearth = await startServer();
    const { root, alice } = await people(hearth, 'root', 'alice');
    expect((await rejection(root.api.admin.users.setRole.mutate({ userId: root.id, role: 'member' }))).data?.code).toBe('CONFLICT');
    await expect(root.api.admin.users.setRole.mutate({ userId: alice.id, role: 'admin' })).resolves.toMatchObject({ role: 'admin' });
    await expect(alice.api.admin.users.setRole.mutate({ userId: root.id, role: 'member' })).resolves.toMatchObject({ role: 'member' });
  });

  it('deactivation revokes every session and closes every socket of the user; they cannot log in', async () => {
    const hearth = await startServer();
    const { root, alice } = await people(hearth, 'root', 'alice');
    const room = await createRoom({ by: root, members: [alice] });
    let refused = 0;
    const tab = hearth.client({ token: alice.token, onAuthFailure: () => refused++ });
    const stream = watchRoom(tab, room.id);
    await until(() => stream.started);
    await root.api.admin.users.deactivate.mutate({ userId: alice.id });
    await until(() => refused === 1 && stream.completed);
    expect((await rejection(alice.api.auth.me.query())).data?.code).toBe('UNAUTHORIZED');
    const login = await rejection(hearth.client().trpc.auth.login.mutate({ username: 'alice', password: 'correct horse battery' }));
    expect(login.data?.code).toBe('UNAUTHORIZED');
    expect((await rejection(root.api.admin.users.deactivate.mutate({ userId: root.id }))).data?.code).toBe('BAD_REQUEST');
    expect((await root.api.admin.users.list.query()).find((u) => u.id === alice.id)?.deactivated).toBe(true);

    await root.api.admin.users.reactivate.mutate({ userId: alice.id });
    await expect(hearth.client().trpc.auth.login.mutate({ username: 'alice', password: 'correct horse battery' })).resolves.toHaveProperty('token');
  });

  it('reports live stats: connections, subscriptions, messages', async () => {
    const hearth = await startServer();
    const { root } = await people(hearth, 'root');
    const room = await createRoom({ by: root });
    const stream = watchRoom(root.connect(), room.id);
    await until(() => stream.started);
    for (let i = 0; i < 3; i++) await root.api.messages.send.mutate({ roomId: room.id, body: `m${i}`, clientMessageId: `m${i}` });
    const stats = await root.api.admin.stats.query();
    expect(stats).toMatchObject({ connections: 1, subscriptions: 1, messagesTotal: 3, users: 1, rooms: 1 });
    stream.unsubscribe();
    await until(() => hearth.server.services.metrics.subscriptions === 0);
  });
});
