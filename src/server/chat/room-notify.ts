import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Room, Store } from '../store/store.ts';
import type { NotifyLevel } from './notify-levels.ts';

/**
 * My notification level in a room (all, mentions, nothing; chat/notify-levels.ts
 * says what each means and the kind's default). Only my own membership changes,
 * so only my other devices hear of it (events.user: room.changed).
 */
export async function setNotifyLevel(
  deps: { store: Pick<Store, 'memberships'>; bus: EventBus },
  { room, userId, level }: { room: Pick<Room, 'id'>; userId: string; level: NotifyLevel },
) {
  if (!(await deps.store.memberships.setNotify(room.id, userId, level))) throw new AppError('NOT_FOUND', 'No such room');
  await deps.bus.publish(channels.user(userId), { type: 'notify.changed', userId, roomId: room.id, level });
  return { roomId: room.id, notify: level };
}
