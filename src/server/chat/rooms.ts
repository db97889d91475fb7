import { AppError } from '../lib/app-error.ts';
import { newId } from '../lib/ids.ts';
import type { EventBus } from '../realtime/bus.ts';
import { DUPLICATE, type Store } from '../store/store.ts';
import { visibleRooms } from './hide.ts';
import { joinedEvents, publishMembershipEvents, requireActiveUsers } from './memberships.ts';
import type { Notifier } from './notifier.ts';
import { requireReachable } from './reach.ts';
import { nameKeyOf, nameTaken } from './room-details.ts';
import { levelOf } from './notify-levels.ts';
import { toPublicRoom } from './serialize.ts';

type Deps = { store: Pick<Store, 'rooms' | 'accounts' | 'contacts'>; bus: EventBus; notifier: Pick<Notifier, 'addedToRoom'> };
type Reads = { store: Pick<Store, 'rooms' | 'memberships' | 'messages'> };

const except = (userIds: string[], userId: string) => userIds.filter((id) => id !== userId);

/** An open or closed room, named unlike any other regardless of case; the creator is its admin, `memberIds` join as members (added by the creator). */
export async function createRoom(
  deps: Deps,
  { creatorId, name, kind, memberIds = [] }: { creatorId: string; name: string; kind: 'open' | 'closed'; memberIds?: string[] },
) {
  const others = await requireActiveUsers(deps, except(memberIds, creatorId));
  await requireReachable(deps, { actorId: creatorId, userIds: others });
  const members = [{ userId: creatorId, role: 'admin' as const }, ...others.map((userId) => ({ userId, role: 'member' as const }))];
  const created = await deps.store.rooms.create({ id: newId(), name, nameKey: nameKeyOf(name), kind, createdById: creatorId }, members);
  if (created === DUPLICATE) throw nameTaken(name); // a fresh id and no directKey: the name's key is taken
  await publishMembershipEvents(deps, joinedEvents(created.room.id, created.joined));
  if (others.length > 0) deps.notifier.addedToRoom({ roomId: created.room.id, userIds: others, actorId: creatorId });
  return toPublicRoom(created.room);
}

/** The one direct room of exactly these users and the caller, created on first use. */
export async function directRoom(deps: Deps, { callerId, userIds }: { callerId: string; userIds: string[] }) {
  const others = await requireActiveUsers(deps, except(userIds, callerId));
  if (others.length === 0) throw new AppError('BAD_REQUEST', 'A direct room needs at least one other user');
  await requireReachable(deps, { actorId: callerId, userIds: others });
  const memberIds = [callerId, ...others].sort();
  const directKey = memberIds.join(',');
  const existing = await deps.store.rooms.byDirectKey(directKey);
  if (existing) return toPublicRoom(existing, memberIds);
  const room = { id: newId(), name: '', kind: 'direct' as const, directKey, createdById: callerId };
  const created = await deps.store.rooms.create(
    room,
    memberIds.map((userId) => ({ userId, role: 'member' as const })),
  );
  if (created === DUPLICATE) {
    // Two callers created it at once: the other one won; theirs is the room.
    const theirs = await deps.store.rooms.byDirectKey(directKey);
    if (!theirs) throw new AppError('CONFLICT', 'The direct room was created and deleted meanwhile; try again');
    return toPublicRoom(theirs, memberIds);
  }
  await publishMembershipEvents(deps, joinedEvents(created.room.id, created.joined));
  return toPublicRoom(created.room, memberIds);
}

/** My rooms, each with my unread and mention counts and my notification level. */
export async function listRooms(deps: Reads, { userId }: { userId: string }) {
  const listed = await visibleRooms(deps, await deps.store.rooms.listedFor(userId));
  const unread = await deps.store.memberships.unread(userId);
  return listed.map(({ room, role, readSeq, notify, directMemberIds }) => ({
    ...toPublicRoom(room, [...directMemberIds].sort()),
    role: role as 'admin' | 'member',
    readSeq,
    unread: unread.get(room.id)?.unread ?? 0,
    mentions: unread.get(room.id)?.mentions ?? 0,
    notify: levelOf({ notify }, room.kind),
  }));
}

/** Open, unarchived rooms I could join. */
export async function browseRooms(deps: Reads, { userId }: { userId: string }) {
  const rooms = await deps.store.rooms.browsableBy(userId, 500);
  return rooms.map(({ room, memberCount }) => ({ ...toPublicRoom(room), memberCount }));
}
