import type { Db } from '../db/client.ts';
import type { Membership, Room } from '../db/generated/client.ts';
import { AppError } from '../lib/app-error.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Services } from '../app/services.ts';
import type { DurableRoomEvent } from './room-events.ts';
import { appendToLog, type Tx } from './room-log.ts';

export interface RoomAccess {
  room: Room;
  membership: Membership;
}

/**
 * The one membership check. Non-members of an open room learn it exists
 * (FORBIDDEN: they could browse it); for closed and direct rooms, and rooms
 * that do not exist, the answer is NOT_FOUND, so ids reveal nothing.
 */
export async function requireMembership(
  deps: Pick<Services, 'db'> & Partial<Pick<Services, 'fast'>>,
  { roomId, userId }: { roomId: string; userId: string },
): Promise<RoomAccess> {
  const found = deps.fast ? await deps.fast.access(roomId, userId) : await accessViaPrisma(deps.db, roomId, userId);
  const room = found?.room;
  const membership = found?.membership;
  if (room && membership) return { room, membership };
  if (room?.kind === 'open') throw new AppError('FORBIDDEN', 'You are not a member of this room; join it first');
  throw new AppError('NOT_FOUND', 'No such room');
}

async function accessViaPrisma(db: Db, roomId: string, userId: string) {
  const room = await db.room.findUnique({ where: { id: roomId }, include: { memberships: { where: { userId } } } });
  if (!room) return undefined;
  const { memberships, ...bare } = room;
  return { room: bare, membership: memberships[0] ?? null };
}

/**
 * Adds members inside the caller's transaction; each join takes a seq, which
 * the membership keeps (`joinedSeq`: where its stream may begin). Returns the log events.
 */
export async function grantMemberships(
  tx: Tx,
  { roomId, userIds, role = 'member' }: { roomId: string; userIds: string[]; role?: 'admin' | 'member' },
): Promise<DurableRoomEvent[]> {
  const events: DurableRoomEvent[] = [];
  for (const userId of userIds) {
    const seq = await appendToLog(tx, { roomId, type: 'member.joined', userId });
    await tx.membership.create({ data: { roomId, userId, role, joinedSeq: seq } });
    events.push({ type: 'member.joined', roomId, seq, userId });
  }
  return events;
}

/** Removes a member and logs it, in one transaction; then tells the room and the user. */
export async function revokeMembership(deps: Pick<Services, 'db' | 'bus'>, { roomId, userId }: { roomId: string; userId: string }) {
  const event = await deps.db.$transaction(async (tx) => {
    const removed = await tx.membership.deleteMany({ where: { roomId, userId } });
    if (removed.count === 0) throw new AppError('NOT_FOUND', 'That user is not a member of this room');
    const seq = await appendToLog(tx, { roomId, type: 'member.left', userId });
    return { type: 'member.left', roomId, seq, userId } as const;
  });
  await publishMembershipEvents(deps, [event]);
}

/** After commit: the room hears joins and leaves; each user hears their own. */
export async function publishMembershipEvents(deps: Pick<Services, 'bus'>, events: DurableRoomEvent[]) {
  for (const event of events) {
    if (event.type !== 'member.joined' && event.type !== 'member.left') continue;
    await deps.bus.publish(channels.room(event.roomId), event);
    await deps.bus.publish(channels.user(event.userId), {
      type: event.type === 'member.joined' ? 'membership.added' : 'membership.removed',
      userId: event.userId,
      roomId: event.roomId,
    });
  }
}

/** Active users among `userIds`; throws NOT_FOUND naming none of them if any is unknown. */
export async function requireActiveUsers(db: Db, userIds: string[]): Promise<string[]> {
  const unique = [...new Set(userIds)];
  const found = await db.user.findMany({ where: { id: { in: unique }, deactivatedAt: null }, select: { id: true } });
  if (found.length !== unique.length) throw new AppError('NOT_FOUND', 'One or more users do not exist');
  return unique;
}

export async function roomMembers(deps: Pick<Services, 'db' | 'presence'>, { roomId }: { roomId: string }) {
  const members = await deps.db.membership.findMany({
    where: { roomId },
    include: { user: true },
    orderBy: { joinedAt: 'asc' },
  });
  const online = await deps.presence.onlineAmong(members.map((m) => m.userId));
  return members.map((m) => ({
    userId: m.userId,
    username: m.user.username,
    displayName: m.user.displayName,
    role: m.role as 'admin' | 'member',
    online: online.has(m.userId),
    readSeq: m.readSeq,
    deliveredSeq: m.deliveredSeq,
  }));
}
