import type { Config } from '../app/config.ts';
import { AppError } from '../lib/app-error.ts';
import { newId } from '../lib/ids.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Store } from '../store/store.ts';
import { hashPassword } from './passwords.ts';
import { startSession, type SessionDeps } from './sessions.ts';
import { hashToken, newSessionToken } from './tokens.ts';
import { toPublicUser } from './users.ts';

type Deps = { store: Pick<Store, 'links' | 'accounts'>; clock: { now(): number }; config: Pick<Config, 'PASSWORD_LINK_TTL_HOURS'> };

/**
 * A one-time link that sets a person's password (there is no email: an admin
 * hands it over). `reset` for a forgotten password, `set` for an account made
 * without one. A new link makes the person's earlier ones stop working.
 */
export async function issuePasswordLink(deps: Deps, { userId, purpose }: { userId: string; purpose: 'reset' | 'set' }) {
  const user = await deps.store.accounts.byId(userId);
  if (!user) throw new AppError('NOT_FOUND', 'No such user');
  if (user.deactivatedAt) throw new AppError('BAD_REQUEST', 'This account is deactivated: reactivate it first');
  const token = newSessionToken();
  const now = deps.clock.now();
  const expiresAt = new Date(now + deps.config.PASSWORD_LINK_TTL_HOURS * 3_600_000);
  await deps.store.links.createPasswordLink({ id: newId(), tokenHash: hashToken(token), userId, purpose, expiresAt }, new Date(now));
  return { token, expiresAt: expiresAt.toISOString(), username: user.username };
}

const NOT_LIVE = 'This password link is not valid any more (used, expired or replaced by a newer one): ask an admin for a new one';

/** Who a password link is for, or what is wrong with it. */
export async function passwordLinkStatus(deps: Pick<Deps, 'store' | 'clock'>, { token }: { token: string }) {
  const link = await deps.store.links.passwordLinkByTokenHash(hashToken(token));
  const live = link && !link.usedAt && link.expiresAt.getTime() > deps.clock.now() && !link.user.deactivatedAt;
  return live
    ? { problem: null, username: link.user.username, purpose: link.purpose === 'set' ? ('set' as const) : ('reset' as const) }
    : { problem: NOT_LIVE };
}

/**
 * Uses a password link: the new password is set and every session of the
 * person ends (their sockets close), in one transaction with the link's use,
 * so the link works once. Then this browser is signed in.
 */
export async function usePasswordLink(deps: Deps & SessionDeps & { bus: EventBus }, input: { token: string; password: string; userAgent?: string }) {
  const status = await passwordLinkStatus(deps, input);
  if (status.problem !== null) throw new AppError('FORBIDDEN', status.problem);
  const passwordHash = await hashPassword(input.password);
  const used = await deps.store.links.consumePasswordLink(hashToken(input.token), passwordHash, new Date(deps.clock.now()));
  if (!used) throw new AppError('FORBIDDEN', NOT_LIVE);
  const { link, revokedSessionIds } = used;
  // The ended sessions by id: the session this browser gets next must not be caught by it.
  if (revokedSessionIds.length > 0) await deps.bus.publish(channels.sessions, { type: 'session.revoked', userId: link.userId, sessionIds: revokedSessionIds });
  const user = await deps.store.accounts.byId(link.userId);
  if (!user) throw new AppError('NOT_FOUND', 'No such user');
  const { token, session } = await startSession(deps, { userId: user.id, userAgent: input.userAgent });
  return { token, expiresAt: session.expiresAt, user: toPublicUser(user) };
}
