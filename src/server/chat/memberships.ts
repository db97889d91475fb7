import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Presence } from '../realtime/presence.ts';
import { CLOSED, type Joined, type Membership, type Room, type Store } from '../store/store.ts';
import type { DurableRoomEvent } from './room-events.ts';

export interface RoomAccess {
  room: Room;
  membership: Membership;
}

export const roomClosed = () => new AppError('FORBIDDEN', 'This room is archived (read-only) or gone');

/**
 * The one membership check. Non-members of an open room learn it exists
 * (FORBIDDEN: they could browse it); for closed and direct rooms, and rooms
 * that do not exist, the answer is NOT_FOUND, so ids reveal nothing.
 */
export async function requireMembership(
  deps: { store: Pick<Store, 'memberships'> },
  { roomId, userId }: { roomId: string; userId: string },
): Promise<RoomAccess> {
  const found = await deps.store.memberships.access(roomId, userId);
  const room = found?.room;
  const membership = found?.membership;
  if (room && membership) return { room, membership };
  if (room?.kind === 'open') throw new AppError('FORBIDDEN', 'You are not a member of this room; join it first');
  throw new AppError('NOT_FOUND', 'No such room');
}

export const joinedEvents = (roomId: string, joined: Joined[]): DurableRoomEvent[] =>
  joined.map(({ userId, seq, actorId }) => ({ type: 'member.joined', roomId, seq, userId, actorId }));

/**
 * Adds members, each join logged with its seq (where their stream may begin)
 * and who added them (`actorId`; null or their own id: they joined); then
 * tells the room and each user.
 */
export async function grantMemberships(
  deps: { store: Pick<Store, 'memberships'>; bus: EventBus },
  { roomId, userIds, actorId, role = 'member' }: { roomId: string; userIds: string[]; actorId: string | null; role?: 'admin' | 'member' },
): Promise<void> {
  const joined = await deps.store.memberships.grant({ roomId, userIds, role, actorId });
  if (joined === CLOSED) throw roomClosed();
  await publishMembershipEvents(deps, joinedEvents(roomId, joined));
}

/** Removes a member and logs it with who did it (null or their own id: they left), in one transaction; then tells the room and the user. */
export async function revokeMembership(
  deps: { store: Pick<Store, 'memberships'>; bus: EventBus },
  { roomId, userId, actorId }: { roomId: string; userId: string; actorId: string | null },
) {
  const by = actorId === userId ? null : actorId;
  const seq = await deps.store.memberships.revoke(roomId, userId, by);
  if (seq === 'not-member') throw new AppError('NOT_FOUND', 'That user is not a member of this room');
  if (seq === CLOSED) throw roomClosed();
  await publishMembershipEvents(deps, [{ type: 'member.left', roomId, seq, userId, actorId: by }]);
}

/** After commit: the room hears joins and leaves; each user hears their own. */
export async function publishMembershipEvents(deps: { bus: EventBus }, events: DurableRoomEvent[]) {
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
export async function requireActiveUsers(deps: { store: Pick<Store, 'accounts'> }, userIds: string[]): Promise<string[]> {
  const unique = [...new Set(userIds)];
  const found = await deps.store.accounts.activeIds(unique);
  if (found.length !== unique.length) throw new AppError('NOT_FOUND', 'One or more users do not exist');
  return unique;
}

export async function roomMembers(deps: { store: Pick<Store, 'memberships'>; presence: Pick<Presence, 'onlineAmong'> }, { roomId }: { roomId: string }) {
  const members = await deps.store.memberships.withUsers(roomId);
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
