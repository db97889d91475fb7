import { serializeAdminChanges } from '../db/locks.ts';
import type { Prisma } from '../db/generated/client.ts';
import { AppError } from '../lib/app-error.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Services } from '../app/services.ts';
import { toPublicUser, type Role } from './users.ts';

type Deps = Pick<Services, 'db' | 'bus' | 'config'>;

export async function adminListUsers(deps: Pick<Services, 'db' | 'presence'>, { query }: { query?: string }) {
  const users = await deps.db.user.findMany({
    where: query ? { OR: [{ username: { contains: query.toLowerCase() } }, { displayName: { contains: query } }] } : {},
    orderBy: { createdAt: 'asc' },
    take: 500,
  });
  const online = await deps.presence.onlineAmong(users.map((u) => u.id));
  return users.map((user) => ({ ...toPublicUser(user), deactivated: user.deactivatedAt !== null, online: online.has(user.id) }));
}

/** Whether the user is an active admin now, as the database says (not as a socket remembers it). */
export async function isActiveAdmin(deps: Pick<Services, 'db'>, { userId }: { userId: string }): Promise<boolean> {
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: { role: true, deactivatedAt: true } });
  return user?.role === 'admin' && user.deactivatedAt === null;
}

/** Inside a transaction that holds the admin-set lock, so the count cannot change under it. */
async function assertNotLastAdmin(tx: Prisma.TransactionClient, userId: string) {
  const admins = await tx.user.findMany({ where: { role: 'admin', deactivatedAt: null }, select: { id: true } });
  if (admins.length === 1 && admins[0]!.id === userId) throw new AppError('CONFLICT', 'Hearth needs at least one active admin');
}

/** Tells every instance to refresh what its open sockets hold of this user (role, name). */
const announceUserChanged = (deps: Pick<Services, 'bus'>, userId: string) =>
  deps.bus.publish(channels.sessions, { type: 'user.changed', userId });

/** The actor's own rights are checked again under the lock: an admin demoted meanwhile acts no more. */
async function assertStillAdmin(tx: Prisma.TransactionClient, actorId: string) {
  if (!(await isActiveAdmin({ db: tx as Services['db'] }, { userId: actorId }))) throw new AppError('FORBIDDEN', 'Admins only');
}

export async function setRole(deps: Deps, { userId, role, actorId }: { userId: string; role: Role; actorId: string }) {
  const user = await deps.db.$transaction(async (tx) => {
    await serializeAdminChanges(tx, deps.config.DATABASE_URL);
    await assertStillAdmin(tx, actorId);
    if (role === 'member') await assertNotLastAdmin(tx, userId);
    const result = await tx.user.updateMany({ where: { id: userId }, data: { role } });
    if (result.count === 0) throw new AppError('NOT_FOUND', 'No such user');
    return tx.user.findUniqueOrThrow({ where: { id: userId } });
  });
  await announceUserChanged(deps, userId);
  return toPublicUser(user);
}

/**
 * Deactivates an account: it can no longer log in, every session is revoked,
 * and every socket it has open, on any instance, is closed.
 */
export async function deactivateUser(deps: Deps, { userId, actorId }: { userId: string; actorId: string }) {
  if (userId === actorId) throw new AppError('BAD_REQUEST', 'You cannot deactivate yourself');
  const now = new Date();
  await deps.db.$transaction(async (tx) => {
    await serializeAdminChanges(tx, deps.config.DATABASE_URL);
    await assertStillAdmin(tx, actorId);
    await assertNotLastAdmin(tx, userId);
    const result = await tx.user.updateMany({ where: { id: userId }, data: { deactivatedAt: now } });
    if (result.count === 0) throw new AppError('NOT_FOUND', 'No such user');
    await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  });
  await deps.bus.publish(channels.sessions, { type: 'session.revoked', userId, sessionIds: [] });
}

export async function reactivateUser(deps: Pick<Services, 'db'>, { userId }: { userId: string }) {
  const result = await deps.db.user.updateMany({ where: { id: userId }, data: { deactivatedAt: null } });
  if (result.count === 0) throw new AppError('NOT_FOUND', 'No such user');
}
