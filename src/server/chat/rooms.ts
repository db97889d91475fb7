import { Prisma } from '../db/client.ts';
import { AppError } from '../lib/app-error.ts';
import { newId } from '../lib/ids.ts';
import type { Services } from '../app/services.ts';
import { grantMemberships, publishMembershipEvents, requireActiveUsers } from './memberships.ts';
import { unreadCounts } from './receipts.ts';
import { toPublicRoom } from './serialize.ts';

type Deps = Pick<Services, 'db' | 'bus'>;

/** An open or closed room; the creator is its admin, `memberIds` join as members. */
export async function createRoom(
  deps: Deps,
  { creatorId, name, kind, memberIds = [] }: { creatorId: string; name: string; kind: 'open' | 'closed'; memberIds?: string[] },
) {
  const others = await requireActiveUsers(deps.db, memberIds.filter((id) => id !== creatorId));
  const { room, events } = await deps.db.$transaction(async (tx) => {
    const room = await tx.room.create({ data: { id: newId(), name, kind, createdById: creatorId } });
    const events = [
      ...(await grantMemberships(tx, { roomId: room.id, userIds: [creatorId], role: 'admin' })),
      ...(await grantMemberships(tx, { roomId: room.id, userIds: others })),
    ];
    return { room: await tx.room.findUniqueOrThrow({ where: { id: room.id } }), events };
  });
  await publishMembershipEvents(deps, events);
  return toPublicRoom(room);
}

/** The one direct room of exactly these users and the caller, created on first use. */
export async function directRoom(deps: Deps, { callerId, userIds }: { callerId: string; userIds: string[] }) {
  const others = await requireActiveUsers(deps.db, userIds.filter((id) => id !== callerId));
  if (others.length === 0) throw new AppError('BAD_REQUEST', 'A direct room needs at least one other user');
  const memberIds = [callerId, ...others].sort();
  const directKey = memberIds.join(',');
  const existing = await deps.db.room.findUnique({ where: { directKey } });
  if (existing) return toPublicRoom(existing, memberIds);
  try {
    const { room, events } = await deps.db.$transaction(async (tx) => {
      const created = await tx.room.create({ data: { id: newId(), name: '', kind: 'direct', directKey, createdById: callerId } });
      const events = await grantMemberships(tx, { roomId: created.id, userIds: memberIds });
      return { room: await tx.room.findUniqueOrThrow({ where: { id: created.id } }), events };
    });
    await publishMembershipEvents(deps, events);
    return toPublicRoom(room, memberIds);
  } catch (error) {
    // Two callers created it at once: the other one won; theirs is the room.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      return toPublicRoom(await deps.db.room.findUniqueOrThrow({ where: { directKey } }), memberIds);
    }
    throw error;
  }
}

/** My rooms, each with my unread count. */
export async function listRooms(deps: Pick<Services, 'db'>, { userId }: { userId: string }) {
  const memberships = await deps.db.membership.findMany({
    where: { userId },
    include: { room: { include: { memberships: { where: { room: { kind: 'direct' } }, select: { userId: true } } } } },
    orderBy: { joinedAt: 'asc' },
  });
  const unread = await unreadCounts(deps.db, { userId });
  return memberships.map(({ room, role, readSeq }) => {
    const { memberships: direct, ...bare } = room;
    return {
      ...toPublicRoom(bare, direct.map((m) => m.userId).sort()),
      role: role as 'admin' | 'member',
      readSeq,
      unread: unread.get(room.id)?.unread ?? 0,
    };
  });
}

/** Open, unarchived rooms I could join. */
export async function browseRooms(deps: Pick<Services, 'db'>, { userId }: { userId: string }) {
  const rooms = await deps.db.room.findMany({
    where: { kind: 'open', archivedAt: null, memberships: { none: { userId } } },
    include: { _count: { select: { memberships: true } } },
    orderBy: { name: 'asc' },
    take: 500,
  });
  return rooms.map(({ _count, ...room }) => ({ ...toPublicRoom(room), memberCount: _count.memberships }));
}
