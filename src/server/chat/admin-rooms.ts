import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Store } from '../store/store.ts';
import { toPublicRoom } from './serialize.ts';

type Deps = { store: Pick<Store, 'rooms'>; bus: EventBus };

/** Every room with its counts; direct rooms with who is in them (they have no name). */
export async function adminListRooms(deps: { store: Pick<Store, 'rooms' | 'memberships'> }) {
  const rooms = await deps.store.rooms.all();
  return Promise.all(
    rooms.map(async ({ room, memberCount, messageCount }) => ({
      ...toPublicRoom(room),
      memberCount,
      messageCount,
      directMembers: room.kind === 'direct' ? await directMembers(deps, room.id) : null,
    })),
  );
}

async function directMembers(deps: { store: Pick<Store, 'memberships'> }, roomId: string) {
  const members = await deps.store.memberships.withUsers(roomId);
  return members.map((m) => ({ userId: m.userId, username: m.user.username, displayName: m.user.displayName }));
}

/** Deletes a room with its messages and log; every open stream on it ends. */
export async function deleteRoom(deps: Deps, { roomId }: { roomId: string }) {
  const members = await deps.store.rooms.delete(roomId);
  if (!members) throw new AppError('NOT_FOUND', 'No such room');
  await deps.bus.publish(channels.room(roomId), { type: 'room.deleted', roomId });
  for (const userId of members) {
    await deps.bus.publish(channels.user(userId), { type: 'membership.removed', userId, roomId });
  }
}
