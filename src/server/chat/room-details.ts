import type { Config } from '../app/config.ts';
import type { PublicUser } from '../auth/users.ts';
import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import { CLOSED, DUPLICATE, type Membership, type Room, type Store } from '../store/store.ts';
import { roomClosed } from './memberships.ts';
import { levelOf } from './notify-levels.ts';
import type { RoomChange } from './room-events.ts';
import { toPublicRoom } from './serialize.ts';

type Deps = { store: Pick<Store, 'rooms' | 'memberships'>; bus: EventBus; config: MentionLimit };
type MentionLimit = Pick<Config, 'ROOM_MENTION_ADMIN_ONLY_ABOVE'>;
type Actor = Pick<PublicUser, 'id' | 'role'>;

/** Room names are unique regardless of case: this key, under a unique index, decides. */
export const nameKeyOf = (name: string): string => name.normalize('NFKC').toLowerCase();

export const nameTaken = (name: string) => new AppError('CONFLICT', `A room named “${name}” exists; pick another name`);

/** Room admins manage a room; a Hearth admin may too. */
function requireRoomAdmin({ room, membership }: { room: Room; membership: Membership }, actor: Actor, what: string) {
  if (room.kind === 'direct') throw new AppError('FORBIDDEN', 'Direct rooms have no name, topic or roles to change');
  if (membership.role !== 'admin' && actor.role !== 'admin') throw new AppError('FORBIDDEN', `Only room admins can ${what}`);
}

async function published(deps: Deps, { roomId, seq, actorId, change }: { roomId: string; seq: number; actorId: string | null; change: RoomChange }) {
  // Every member's user stream listens on the room's channel too: their room lists follow from this one event.
  await deps.bus.publish(channels.room(roomId), { type: 'room.updated', roomId, seq, actorId, change });
}

async function changeDetails(deps: Deps, { room, actorId, change }: { room: Room; actorId: string; change: { name: string } | { topic: string } }) {
  const details = 'name' in change ? { name: change.name, nameKey: nameKeyOf(change.name) } : change;
  const seq = await deps.store.rooms.change({ roomId: room.id, actorId, details, detail: JSON.stringify(change) });
  if (seq === DUPLICATE) throw nameTaken('name' in change ? change.name : '');
  if (seq === CLOSED) throw roomClosed();
  await published(deps, { roomId: room.id, seq, actorId, change });
  return roomDetailsOf(deps, { roomId: room.id, userId: actorId });
}

export async function renameRoom(deps: Deps, { access, actor, name }: { access: { room: Room; membership: Membership }; actor: Actor; name: string }) {
  requireRoomAdmin(access, actor, 'rename this room');
  if (access.room.name === name) return roomDetailsOf(deps, { roomId: access.room.id, userId: actor.id });
  return changeDetails(deps, { room: access.room, actorId: actor.id, change: { name } });
}

export async function setTopic(deps: Deps, { access, actor, topic }: { access: { room: Room; membership: Membership }; actor: Actor; topic: string }) {
  requireRoomAdmin(access, actor, 'change the topic');
  if (access.room.topic === topic) return roomDetailsOf(deps, { roomId: access.room.id, userId: actor.id });
  return changeDetails(deps, { room: access.room, actorId: actor.id, change: { topic } });
}

/**
 * Archived rooms keep their history and members but take no new events; the
 * archive is the last entry of the log until it is unarchived. Room admins,
 * and Hearth admins (admin.rooms.archive, members or not), may do it.
 */
export async function setArchived(deps: Deps, { roomId, actorId, archived }: { roomId: string; actorId: string; archived: boolean }) {
  const done = await deps.store.rooms.setArchived({ roomId, archived, actorId, detail: JSON.stringify({ archived }) });
  if (!done) throw new AppError('NOT_FOUND', 'No such room');
  if (done.seq !== null) await published(deps, { roomId, seq: done.seq, actorId, change: { archived } });
  return toPublicRoom(done.room);
}

export async function archiveAsMember(
  deps: Deps,
  { access, actor, archived }: { access: { room: Room; membership: Membership }; actor: Actor; archived: boolean },
) {
  requireRoomAdmin(access, actor, archived ? 'archive this room' : 'unarchive this room');
  await setArchived(deps, { roomId: access.room.id, actorId: actor.id, archived });
  return roomDetailsOf(deps, { roomId: access.room.id, userId: actor.id });
}

/** A member's role in this room; the last room admin cannot step down (someone must be able to manage it). */
export async function setMemberRole(
  deps: Deps,
  { access, actor, userId, role }: { access: { room: Room; membership: Membership }; actor: Actor; userId: string; role: 'admin' | 'member' },
) {
  requireRoomAdmin(access, actor, 'change roles');
  const target = await deps.store.memberships.find(access.room.id, userId);
  if (!target) throw new AppError('NOT_FOUND', 'That user is not a member of this room');
  if (target.role === role) return { userId, role };
  if (role === 'member') {
    const admins = (await deps.store.memberships.withUsers(access.room.id)).filter((m) => m.role === 'admin');
    if (admins.length === 1 && admins[0]!.userId === userId) throw new AppError('CONFLICT', 'A room needs at least one admin; make someone else admin first');
  }
  const change = { role: { userId, role } };
  const seq = await deps.store.memberships.setRole({ roomId: access.room.id, userId, role, actorId: actor.id, detail: JSON.stringify(change) });
  if (seq === 'not-member') throw new AppError('NOT_FOUND', 'That user is not a member of this room');
  if (seq === CLOSED) throw roomClosed();
  await published(deps, { roomId: access.room.id, seq, actorId: actor.id, change });
  return { userId, role };
}

/**
 * The room as its page shows it: details, my role and notification level, how
 * many members, and above how many members only admins may say `@room`
 * (chat/mentions.ts), so the composer offers it only where a send may use it.
 */
export async function roomDetailsOf(deps: { store: Pick<Store, 'memberships'>; config: MentionLimit }, { roomId, userId }: { roomId: string; userId: string }) {
  const found = await deps.store.memberships.access(roomId, userId);
  if (!found?.membership) throw new AppError('NOT_FOUND', 'No such room');
  const memberIds = await deps.store.memberships.memberIds(roomId);
  return {
    ...toPublicRoom(found.room, [...memberIds].sort()),
    myRole: found.membership.role as 'admin' | 'member',
    notify: levelOf(found.membership, found.room.kind),
    memberCount: memberIds.length,
    roomMentionAdminOnlyAbove: deps.config.ROOM_MENTION_ADMIN_ONLY_ABOVE,
  };
}
