import type { PublicUser } from '../auth/users.ts';
import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import type { Membership, Room, Store } from '../store/store.ts';
import { grantMemberships, requireActiveUsers, revokeMembership } from './memberships.ts';
import type { Notifier } from './notifier.ts';
import { requireReachable } from './reach.ts';
import { toPublicRoom } from './serialize.ts';

type Deps = { store: Pick<Store, 'memberships' | 'rooms' | 'accounts' | 'contacts'>; bus: EventBus; notifier: Pick<Notifier, 'addedToRoom'> };

const assertWritable = (room: Room) => {
  if (room.archivedAt) throw new AppError('FORBIDDEN', 'This room is archived (read-only)');
};

/** Anyone may join an open room; joining twice is a no-op. */
export async function joinRoom(deps: Deps, { roomId, userId }: { roomId: string; userId: string }) {
  const found = await deps.store.memberships.access(roomId, userId);
  if (!found || (found.room.kind !== 'open' && !found.membership)) throw new AppError('NOT_FOUND', 'No such room');
  if (found.membership) return toPublicRoom(found.room);
  if (found.room.kind !== 'open') throw new AppError('FORBIDDEN', 'Only open rooms can be joined; ask a member to add you');
  assertWritable(found.room);
  await grantMemberships(deps, { roomId, userIds: [userId], actorId: null });
  const room = await deps.store.rooms.byId(roomId);
  if (!room) throw new AppError('NOT_FOUND', 'No such room');
  return toPublicRoom(room);
}

export async function leaveRoom(deps: Deps, { room, userId }: { room: Room; userId: string }) {
  if (room.kind === 'direct') throw new AppError('FORBIDDEN', 'Direct rooms cannot be left');
  await revokeMembership(deps, { roomId: room.id, userId, actorId: null });
}

/** Any member may add people to an open or closed room: people they can reach (chat/reach.ts). */
export async function addMembers(deps: Deps, { room, actorId, userIds }: { room: Room; actorId: string; userIds: string[] }) {
  if (room.kind === 'direct') throw new AppError('FORBIDDEN', 'A direct room has a fixed set of members; start another');
  assertWritable(room);
  const wanted = await requireActiveUsers(deps, userIds);
  const present = new Set(await deps.store.memberships.membersAmong(room.id, wanted));
  const added = wanted.filter((id) => !present.has(id));
  await requireReachable(deps, { actorId, userIds: added });
  await grantMemberships(deps, { roomId: room.id, userIds: added, actorId });
  if (added.length > 0) deps.notifier.addedToRoom({ roomId: room.id, userIds: added, actorId });
  return { added };
}

/** Room admins and Hearth admins may remove members; anyone may remove themselves. */
export async function removeMember(
  deps: Deps,
  { room, actor, actorMembership, userId }: { room: Room; actor: PublicUser; actorMembership: Membership; userId: string },
) {
  if (userId === actor.id) return leaveRoom(deps, { room, userId });
  if (room.kind === 'direct') throw new AppError('FORBIDDEN', 'Direct rooms have a fixed set of members');
  if (actorMembership.role !== 'admin' && actor.role !== 'admin') {
    throw new AppError('FORBIDDEN', 'Only room admins can remove members');
  }
  await revokeMembership(deps, { roomId: room.id, userId, actorId: actor.id });
}
