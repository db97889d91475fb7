import { isActiveAdmin } from '../auth/admin-users.ts';
import { AppError } from '../lib/app-error.ts';
import type { Room, Store } from '../store/store.ts';

type Deps = { store: Pick<Store, 'contacts' | 'accounts'> };

/**
 * Who may reach whom: a person who shares no room with you and is not your
 * accepted contact can be reached only through a contact request. Hearth
 * admins may add anyone to a room and start a direct room with anyone (an
 * admin could add them to a room first anyway); nobody, admins included,
 * reaches someone who has blocked them.
 */
export async function requireReachable(deps: Deps, { actorId, userIds }: { actorId: string; userIds: string[] }): Promise<void> {
  const others = userIds.filter((id) => id !== actorId);
  if (others.length === 0) return;
  if ((await deps.store.contacts.blockersAmong(actorId, others)).length > 0) {
    throw new AppError('FORBIDDEN', 'This person does not accept messages or invitations from you');
  }
  const reachable = new Set(await deps.store.contacts.reachableAmong(actorId, others));
  if (others.every((id) => reachable.has(id))) return;
  if (await isActiveAdmin(deps, { userId: actorId })) return;
  throw new AppError('FORBIDDEN', 'You share no room with this person: send them a contact request first', {
    needsRequest: others.filter((id) => !reachable.has(id)),
  });
}

/** The members of a direct room, from its key (no query). */
export const directMemberIds = (room: Room): string[] => room.directKey?.split(',') ?? [];

/**
 * messages.send in a direct room where another member has blocked the author
 * is refused. Other rooms never pay for this (one branch on the room's kind).
 */
export async function requireNotBlockedIn(deps: { store: Pick<Store, 'contacts'> }, { room, authorId }: { room: Room; authorId: string }) {
  if (room.kind !== 'direct') return;
  const others = directMemberIds(room).filter((id) => id !== authorId);
  if ((await deps.store.contacts.blockersAmong(authorId, others)).length > 0) {
    throw new AppError('FORBIDDEN', 'You cannot send messages to this person');
  }
}
