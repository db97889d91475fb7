import { newId } from '../lib/ids.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Services } from '../app/services.ts';
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

type Deps = Pick<Services, 'db' | 'clock' | 'config'> & Partial<Pick<Services, 'fast'>>;

export async function startSession(deps: Deps, { userId }: { userId: string }) {
  const token = newSessionToken();
  const expiresAt = new Date(deps.clock.now() + deps.config.SESSION_TTL_DAYS * 86_400_000);
  const session = await deps.db.session.create({
    data: { id: newId(), tokenHash: hashToken(token), userId, expiresAt },
  });
  return { token, session };
}

/** The live session a token names, or null if unknown, expired, revoked or its user deactivated. */
export async function sessionForToken(deps: Deps, { token }: { token: string }): Promise<ActiveSession | null> {
  const tokenHash = hashToken(token);
  const session = deps.fast
    ? await deps.fast.session(tokenHash)
    : await deps.db.session.findUnique({ where: { tokenHash }, include: { user: true } });
  if (!session || session.revokedAt || session.user.deactivatedAt) return null;
  if (session.expiresAt.getTime() <= deps.clock.now()) return null;
  return { id: session.id, userId: session.userId, user: toPublicUser(session.user) };
}

/**
 * Revokes one session, then tells every instance to close the sockets opened
 * with it (commit first, then publish: a socket must never outlive its session
 * in the database's eyes).
 */
export async function endSession(deps: Deps & Pick<Services, 'bus'>, { sessionId, userId }: { sessionId: string; userId: string }) {
  await deps.db.session.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: new Date(deps.clock.now()) },
  });
  await deps.bus.publish(channels.sessions, { type: 'session.revoked', userId, sessionIds: [sessionId] });
}
