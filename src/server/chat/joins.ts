import type { Membership, Room } from '../db/generated/client.ts';
import type { PublicUser } from '../auth/users.ts';
import { AppError } from '../lib/app-error.ts';
import type { Services } from '../app/services.ts';
import { grantMemberships, publishMembershipEvents, requireActiveUsers, revokeMembership } from './memberships.ts';
import { toPublicRoom } from './serialize.ts';

type Deps = Pick<Services, 'db' | 'bus'>;

const assertWritable = (room: Room) => {
  if (room.archivedAt) throw new AppError('FORBIDDEN', 'This room is archived (read-only)');
};

/** Anyone may join an open room; joining twice is a no-op. */
export async function joinRoom(deps: Deps, { roomId, userId }: { roomId: string; userId: string }) {
  const room = await deps.db.room.findUnique({ where: { id: roomId }, include: { memberships: { where: { userId } } } });
  if (!room || (room.kind !== 'open' && room.memberships.length === 0)) throw new AppError('NOT_FOUND', 'No such room');
  const { memberships, ...bare } = room;
  if (memberships.length > 0) return toPublicRoom(bare);
  if (room.kind !== 'open') throw new AppError('FORBIDDEN', 'Only open rooms can be joined; ask a member to add you');
  assertWritable(bare);
  const events = await deps.db.$transaction((tx) => grantMemberships(tx, { roomId, userIds: [userId] }));
  await publishMembershipEvents(deps, events);
  return toPublicRoom(await deps.db.room.findUniqueOrThrow({ where: { id: roomId } }));
}

export async function leaveRoom(deps: Deps, { room, userId }: { room: Room; userId: string }) {
  if (room.kind === 'direct') throw new AppError('FORBIDDEN', 'Direct rooms cannot be left');
  await revokeMembership(deps, { roomId: room.id, userId });
}

/** Any member may add people to an open or closed room. */
export async function addMembers(deps: Deps, { room, userIds }: { room: Room; userIds: string[] }) {
  if (room.kind === 'direct') throw new AppError('FORBIDDEN', 'A direct room has a fixed set of members; start another');
  assertWritable(room);
  const wanted = await requireActiveUsers(deps.db, userIds);
  const existing = await deps.db.membership.findMany({ where: { roomId: room.id, userId: { in: wanted } }, select: { userId: true } });
  const present = new Set(existing.map((m) => m.userId));
  const added = wanted.filter((id) => !present.has(id));
  const events = await deps.db.$transaction((tx) => grantMemberships(tx, { roomId: room.id, userIds: added }));
  await publishMembershipEvents(deps, events);
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
  await revokeMembership(deps, { roomId: room.id, userId });
}
