import { AppError } from '../lib/app-error.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Services } from '../app/services.ts';
import { toPublicRoom } from './serialize.ts';

type Deps = Pick<Services, 'db' | 'bus'>;

export async function adminListRooms(deps: Pick<Services, 'db'>) {
  const rooms = await deps.db.room.findMany({
    include: { _count: { select: { memberships: true, messages: true } } },
    orderBy: { createdAt: 'desc' },
  });
  return rooms.map(({ _count, ...room }) => ({
    ...toPublicRoom(room),
    memberCount: _count.memberships,
    messageCount: _count.messages,
  }));
}

/** Archived rooms keep their history and members but take no new events. */
export async function archiveRoom(deps: Deps, { roomId, archived }: { roomId: string; archived: boolean }) {
  const result = await deps.db.room.updateMany({
    where: { id: roomId },
    data: { archivedAt: archived ? new Date() : null },
  });
  if (result.count === 0) throw new AppError('NOT_FOUND', 'No such room');
  return toPublicRoom(await deps.db.room.findUniqueOrThrow({ where: { id: roomId } }));
}

/** Deletes a room with its messages and log; every open stream on it ends. */
export async function deleteRoom(deps: Deps, { roomId }: { roomId: string }) {
  const members = await deps.db.membership.findMany({ where: { roomId }, select: { userId: true } });
  const result = await deps.db.room.deleteMany({ where: { id: roomId } });
  if (result.count === 0) throw new AppError('NOT_FOUND', 'No such room');
  await deps.bus.publish(channels.room(roomId), { type: 'room.deleted', roomId });
  for (const { userId } of members) {
    await deps.bus.publish(channels.user(userId), { type: 'membership.removed', userId, roomId });
  }
}
