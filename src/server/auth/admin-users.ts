import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Presence } from '../realtime/presence.ts';
import type { AdminLine, Store } from '../store/store.ts';
import { createAccount } from './accounts.ts';
import { announceAccountChanged } from './announce.ts';
import { issuePasswordLink } from './password-links.ts';
import { normalizeUsername, toPublicUser, type Role } from './users.ts';

type Deps = { store: Pick<Store, 'accounts'>; bus: EventBus };

export async function adminListUsers(deps: { store: Pick<Store, 'accounts'>; presence: Pick<Presence, 'onlineAmong'> }, { query }: { query?: string }) {
  const users = await deps.store.accounts.search({ query, activeOnly: false, orderBy: 'createdAt', limit: 500 });
  const online = await deps.presence.onlineAmong(users.map((u) => u.id));
  return users.map((user) => ({ ...toPublicUser(user), deactivated: user.deactivatedAt !== null, online: online.has(user.id) }));
}

const isAdmin = (user: { role: string; deactivatedAt: Date | null } | null) => user?.role === 'admin' && user.deactivatedAt === null;

/** Whether the user is an active admin now, as the database says (not as a socket remembers it). */
export async function isActiveAdmin(deps: { store: Pick<Store, 'accounts'> }, { userId }: { userId: string }): Promise<boolean> {
  return isAdmin(await deps.store.accounts.byId(userId));
}

/** Inside the admin line, so the count cannot change under it. */
async function assertNotLastAdmin(line: AdminLine, userId: string) {
  const admins = await line.activeAdminIds();
  if (admins.length === 1 && admins[0] === userId) throw new AppError('CONFLICT', 'Hearth needs at least one active admin');
}

/** The actor's own rights are checked again in the line: an admin demoted meanwhile acts no more. */
async function assertStillAdmin(line: AdminLine, actorId: string) {
  if (!isAdmin(await line.userById(actorId))) throw new AppError('FORBIDDEN', 'Admins only');
}

export async function setRole(deps: Deps & { store: Pick<Store, 'memberships'> }, { userId, role, actorId }: { userId: string; role: Role; actorId: string }) {
  const user = await deps.store.accounts.inAdminLine(async (line) => {
    await assertStillAdmin(line, actorId);
    if (role === 'member') await assertNotLastAdmin(line, userId);
    const changed = await line.setRole(userId, role);
    if (!changed) throw new AppError('NOT_FOUND', 'No such user');
    return changed;
  });
  await announceAccountChanged(deps, { userId, nameChanged: false });
  return toPublicUser(user);
}

/**
 * Deactivates an account: it can no longer log in, every session is revoked,
 * and every socket it has open, on any instance, is closed.
 */
export async function deactivateUser(deps: Deps, { userId, actorId }: { userId: string; actorId: string }) {
  if (userId === actorId) throw new AppError('BAD_REQUEST', 'You cannot deactivate yourself');
  await deps.store.accounts.inAdminLine(async (line) => {
    await assertStillAdmin(line, actorId);
    await assertNotLastAdmin(line, userId);
    if (!(await line.deactivate(userId, new Date()))) throw new AppError('NOT_FOUND', 'No such user');
  });
  await deps.bus.publish(channels.sessions, { type: 'session.revoked', userId, sessionIds: [] });
}

export async function reactivateUser(deps: { store: Pick<Store, 'accounts'> }, { userId }: { userId: string }) {
  if (!(await deps.store.accounts.reactivate(userId))) throw new AppError('NOT_FOUND', 'No such user');
}

/**
 * An admin creates an account directly (any REGISTRATION mode), through the
 * one creation function. Without a password, a one-time set-password link is
 * issued for the admin to hand over.
 */
export async function adminCreateUser(
  deps: Parameters<typeof createAccount>[0] & Parameters<typeof issuePasswordLink>[0],
  input: { actorId: string; username: string; displayName?: string; password?: string; role: Role },
) {
  const user = await createAccount(deps, { ...input, password: input.password ?? null, via: { kind: 'admin', actorId: input.actorId } });
  const link = input.password === undefined ? await issuePasswordLink(deps, { userId: user.id, purpose: 'set' }) : null;
  return { user: toPublicUser(user), setPassword: link && { token: link.token, expiresAt: link.expiresAt } };
}

/** `npm run admin -- promote`: on the machine itself, so no actor's rights are checked. */
export async function promoteOffline(deps: { store: Pick<Store, 'accounts'> }, { username }: { username: string }) {
  const user = await deps.store.accounts.byUsername(normalizeUsername(username));
  if (!user) throw new AppError('NOT_FOUND', `No user "${normalizeUsername(username)}"`);
  const changed = await deps.store.accounts.inAdminLine((line) => line.setRole(user.id, 'admin'));
  if (!changed) throw new AppError('NOT_FOUND', `No user "${user.username}"`);
  return toPublicUser(changed);
}

/** The active admins, by username. */
export async function listAdmins(deps: { store: Pick<Store, 'accounts'> }) {
  const ids = await deps.store.accounts.inAdminLine((line) => line.activeAdminIds());
  const users = await Promise.all(ids.map((userId) => deps.store.accounts.byId(userId)));
  return users
    .filter((user) => user !== null)
    .map(toPublicUser)
    .sort((a, b) => a.username.localeCompare(b.username));
}
