import type { UserStreamEvent } from '../../src/server/realtime/user-stream.ts';
import type { Person } from './chat.ts';
import { until } from './raw-ws.ts';
import type { TestServer } from './server.ts';

/** Waits until the server's notification work is done, then reads the person's feed. */
export async function feedOf(hearth: TestServer, person: Person) {
  await hearth.server.services.notifier.idle();
  return person.api.notifications.list.query({});
}

/** Sets a member's notification level as the database keeps it. */
export async function setLevel(hearth: TestServer, roomId: string, person: Person, notify: 'all' | 'mentions' | 'nothing' | null) {
  await hearth.server.services.store.prisma.membership.update({ where: { roomId_userId: { roomId, userId: person.id } }, data: { notify } });
}

/** `blocker` blocks `blocked`, as the database keeps it. */
export async function block(hearth: TestServer, blocker: Person, blocked: Person) {
  await hearth.server.services.store.prisma.block.create({ data: { blockerId: blocker.id, blockedId: blocked.id } });
}

/** A person's events.user stream, recorded; resolves once it has counted unread (it is live): they must be in a room. */
export async function watchUser(person: Person) {
  const received: UserStreamEvent[] = [];
  const client = person.connect();
  client.trpc.events.user.subscribe(undefined, { onData: (event) => void received.push(event) });
  await until(() => received.some((event) => event.type === 'unread'));
  return {
    received,
    client,
    of: <T extends UserStreamEvent['type']>(type: T) => received.filter((e): e is Extract<UserStreamEvent, { type: T }> => e.type === type),
  };
}
