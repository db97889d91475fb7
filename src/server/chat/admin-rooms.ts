import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Store } from '../store/store.ts';
import { toPublicRoom } from './serialize.ts';

type Deps = { store: Pick<Store, 'rooms'>; bus: EventBus };

export async function adminListRooms(deps: { store: Pick<Store, 'rooms'> }) {
  const rooms = await deps.store.rooms.all();
  return rooms.map(({ room, memberCount, messageCount }) => ({ ...toPublicRoom(room), memberCount, messageCount }));
}

/** Archived rooms keep their history and members but take no new events. */
export async function archiveRoom(deps: Deps, { roomId, archived }: { roomId: string; archived: boolean }) {
  const room = await deps.store.rooms.setArchived(roomId, archived);
  if (!room) throw new AppError('NOT_FOUND', 'No such room');
  return toPublicRoom(room);
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
