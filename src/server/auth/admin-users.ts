import type { Db } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { channels } from '../realtime/events.ts';
import type { Services } from '../services.ts';
import { toPublicUser, type Role } from './users.ts';

export async function adminListUsers(deps: Pick<Services, 'db' | 'presence'>, { query }: { query?: string }) {
  const users = await deps.db.user.findMany({
    where: query ? { OR: [{ username: { contains: query.toLowerCase() } }, { displayName: { contains: query } }] } : {},
    orderBy: { createdAt: 'asc' },
    take: 500,
  });
  const online = await deps.presence.onlineAmong(users.map((u) => u.id));
  return users.map((user) => ({ ...toPublicUser(user), deactivated: user.deactivatedAt !== null, online: online.has(user.id) }));
}

async function assertNotLastAdmin(db: Db, userId: string) {
  const admins = await db.user.findMany({ where: { role: 'admin', deactivatedAt: null }, select: { id: true } });
  if (admins.length === 1 && admins[0]!.id === userId) throw new AppError('CONFLICT', 'Hearth needs at least one active admin');
}

export async function setRole(deps: Pick<Services, 'db'>, { userId, role }: { userId: string; role: Role }) {
  if (role === 'member') await assertNotLastAdmin(deps.db, userId);
  const result = await deps.db.user.updateMany({ where: { id: userId }, data: { role } });
  if (result.count === 0) throw new AppError('NOT_FOUND', 'No such user');
  return toPublicUser(await deps.db.user.findUniqueOrThrow({ where: { id: userId } }));
}

/**
 * Deactivates an account: it can no longer log in, every session is revoked,
 * and every socket it has open, on any instance, is closed.
 */
export async function deactivateUser(deps: Pick<Services, 'db' | 'bus'>, { userId, actorId }: { userId: string; actorId: string }) {
  if (userId === actorId) throw new AppError('BAD_REQUEST', 'You cannot deactivate yourself');
  await assertNotLastAdmin(deps.db, userId);
  const now = new Date();
  const result = await deps.db.user.updateMany({ where: { id: userId }, data: { deactivatedAt: now } });
  if (result.count === 0) throw new AppError('NOT_FOUND', 'No such user');
  await deps.db.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  await deps.bus.publish(channels.sessions, { type: 'session.revoked', userId, sessionIds: [] });
}

export async function reactivateUser(deps: Pick<Services, 'db'>, { userId }: { userId: string }) {
  const result = await deps.db.user.updateMany({ where: { id: userId }, data: { deactivatedAt: null } });
  if (result.count === 0) throw new AppError('NOT_FOUND', 'No such user');
}
