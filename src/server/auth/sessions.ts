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

/** A User-Agent is kept only to name the device in the sessions list: bounded. */
const MAX_USER_AGENT = 256;

export async function startSession(deps: SessionDeps, { userId, userAgent }: { userId: string; userAgent?: string }) {
  const token = newSessionToken();
  const now = deps.clock.now();
  const expiresAt = new Date(now + deps.config.SESSION_TTL_DAYS * 86_400_000);
  const session = await deps.store.sessions.create({
    id: newId(),
    tokenHash: hashToken(token),
    userId,
    expiresAt,
    createdAt: new Date(now),
    lastSeenAt: new Date(now),
    userAgent: userAgent?.slice(0, MAX_USER_AGENT) ?? null,
  });
  return { token, session };
}

/** "Last seen" moves at most this often per session, so using a session costs no write per request. */
export const LAST_SEEN_EVERY_MS = 60_000;

/** The live session a token names, or null if unknown, expired, revoked or its user deactivated. */
export async function sessionForToken(deps: { store: Pick<Store, 'sessions'>; clock: Clock }, { token }: { token: string }): Promise<ActiveSession | null> {
  const session = await deps.store.sessions.byTokenHash(hashToken(token));
  if (!session || session.revokedAt || session.user.deactivatedAt) return null;
  const now = deps.clock.now();
  if (session.expiresAt.getTime() <= now) return null;
  if (!session.lastSeenAt || session.lastSeenAt.getTime() <= now - LAST_SEEN_EVERY_MS) {
    await deps.store.sessions.touch([session.id], new Date(now), new Date(now - LAST_SEEN_EVERY_MS));
  }
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
