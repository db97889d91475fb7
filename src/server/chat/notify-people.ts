import { newTimeOrderedId } from '../lib/ids.ts';
import type { Notification } from '../store/notifications.ts';
import type { Store } from '../store/store.ts';

type Deps = { store: Pick<Store, 'notifications' | 'contacts' | 'log'>; now: Date };

/** Those of `userIds` who hear from `actorId`: not the actor, not anyone who blocked them. */
async function hearing(deps: Deps, actorId: string, userIds: string[]): Promise<string[]> {
  const others = [...new Set(userIds)].filter((id) => id !== actorId);
  const blockers = new Set(await deps.store.contacts.blockersAmong(actorId, others));
  return others.filter((id) => !blockers.has(id));
}

/**
 * Someone added people to a room. The row carries the room's last seq, so
 * opening the room (and reading it) reads the notification too.
 */
export async function notifyAdded(deps: Deps, { roomId, userIds, actorId }: { roomId: string; userIds: string[]; actorId: string }): Promise<Notification[]> {
  const recipients = await hearing(deps, actorId, userIds);
  if (recipients.length === 0) return [];
  const seq = await deps.store.log.lastSeq(roomId);
  if (seq === undefined) return []; // deleted meanwhile
  return deps.store.notifications.add(
    recipients.map((userId) => ({ id: newTimeOrderedId(), userId, kind: 'room.added', roomId, seq, actorId, createdAt: deps.now })),
  );
}

/** A contact request (one unread notification per requester, however often they ask), or its acceptance. */
export async function notifyContact(
  deps: Deps,
  { kind, userId, actorId }: { kind: 'contact.request' | 'contact.accepted'; userId: string; actorId: string },
): Promise<Notification[]> {
  if ((await hearing(deps, actorId, [userId])).length === 0) return [];
  if (kind === 'contact.request' && (await deps.store.notifications.unreadFrom(userId, kind, actorId))) return [];
  return deps.store.notifications.add([{ id: newTimeOrderedId(), userId, kind, actorId, createdAt: deps.now }]);
}

/** The request is answered: its notification needs no more attention. Returns whether one was read. */
export async function readRequest(deps: Deps, { userId, requesterId }: { userId: string; requesterId: string }): Promise<boolean> {
  const request = await deps.store.notifications.unreadFrom(userId, 'contact.request', requesterId);
  if (!request) return false;
  return (await deps.store.notifications.markRead(userId, { ids: [request.id] }, deps.now)) > 0;
}
