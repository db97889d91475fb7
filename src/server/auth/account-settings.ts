import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Store } from '../store/store.ts';
import { announceAccountChanged } from './announce.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { toPublicUser } from './users.ts';

type Deps = { store: Pick<Store, 'accounts'>; bus: EventBus; clock: { now(): number } };

/**
 * Needs the current password. Every other session of the person ends (their
 * sockets close at once, on every instance); the one that asked stays.
 */
export async function changePassword(deps: Deps, input: { userId: string; sessionId: string; currentPassword: string; newPassword: string }) {
  const user = await deps.store.accounts.byId(input.userId);
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    // FORBIDDEN, not UNAUTHORIZED: the session is fine, and clients end a session on UNAUTHORIZED.
    throw new AppError('FORBIDDEN', 'The current password is not right');
  }
  const passwordHash = await hashPassword(input.newPassword);
  const ended = await deps.store.accounts.setPassword({ userId: user.id, passwordHash, keepSessionId: input.sessionId, at: new Date(deps.clock.now()) });
  if (ended.length > 0) await deps.bus.publish(channels.sessions, { type: 'session.revoked', userId: user.id, sessionIds: ended });
  return { endedSessions: ended.length };
}

/** The new name reaches the person's own open pages and, live, everyone's pages showing a room they are in. */
export async function changeDisplayName(deps: Deps & { store: Pick<Store, 'memberships'> }, { userId, displayName }: { userId: string; displayName: string }) {
  const user = await deps.store.accounts.setDisplayName(userId, displayName);
  if (!user) throw new AppError('NOT_FOUND', 'No such user');
  await announceAccountChanged(deps, { userId, nameChanged: true });
  return toPublicUser(user);
}
