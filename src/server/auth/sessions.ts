import type { Config } from '../app/config.ts';
import type { Clock } from '../lib/clock.ts';
import { newId } from '../lib/ids.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Store } from '../store/store.ts';
import { hashToken, newSessionToken } from './tokens.ts';
import { toPublicUser, type PublicUser } from './users.ts';

/**
 * A live session as requests and sockets hold it: one per open socket, so it
 * keeps only what they use (never the password hash).
 */
export interface ActiveSession {
  id: string;
  userId: string;
  user: PublicUser;
}

export type SessionDeps = { store: Pick<Store, 'sessions'>; clock: Clock; config: Pick<Config, 'SESSION_TTL_DAYS'> };

export async function startSession(deps: SessionDeps, { userId }: { userId: string }) {
  const token = newSessionToken();
  const expiresAt = new Date(deps.clock.now() + deps.config.SESSION_TTL_DAYS * 86_400_000);
  const session = await deps.store.sessions.create({ id: newId(), tokenHash: hashToken(token), userId, expiresAt });
  return { token, session };
}

/** The live session a token names, or null if unknown, expired, revoked or its user deactivated. */
export async function sessionForToken(deps: { store: Pick<Store, 'sessions'>; clock: Clock }, { token }: { token: string }): Promise<ActiveSession | null> {
  const session = await deps.store.sessions.byTokenHash(hashToken(token));
  if (!session || session.revokedAt || session.user.deactivatedAt) return null;
  if (session.expiresAt.getTime() <= deps.clock.now()) return null;
  return { id: session.id, userId: session.userId, user: toPublicUser(session.user) };
}

/**
 * Revokes one session, then tells every instance to close the sockets opened
 * with it (commit first, then publish: a socket must never outlive its session
 * in the database's eyes).
 */
export async function endSession(
  deps: { store: Pick<Store, 'sessions'>; clock: Clock; bus: EventBus },
  { sessionId, userId }: { sessionId: string; userId: string },
) {
  await deps.store.sessions.revoke(sessionId, new Date(deps.clock.now()));
  await deps.bus.publish(channels.sessions, { type: 'session.revoked', userId, sessionIds: [sessionId] });
}
