import { AppError } from '../lib/app-error.ts';
import { newId } from '../lib/ids.ts';
import { Duplicate } from '../store/errors.ts';
import { joinDefaultRoom } from '../chat/default-room.ts';
import type { Store } from '../store/store.ts';
import { assertLoginAllowed, type LoginGuardDeps, recordLoginFailure, recordLoginSuccess } from './login-guard.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import { startSession, type SessionDeps } from './sessions.ts';
import { normalizeUsername, toPublicUser } from './users.ts';

type Deps = LoginGuardDeps & SessionDeps & Parameters<typeof joinDefaultRoom>[0] & { store: Pick<Store, 'accounts' | 'sessions'> };

/** Creates an account and signs it in. The very first account is the admin. */
export async function registerAccount(deps: Deps, { username, password, displayName }: { username: string; password: string; displayName?: string }) {
  const name = normalizeUsername(username);
  const passwordHash = await hashPassword(password);
  try {
    // One transaction, in line with every other change to who is an admin:
    // two simultaneous first sign-ups cannot both become admin.
    const user = await deps.store.accounts.inAdminLine(async (line) => {
      const isFirst = (await line.userCount()) === 0;
      return line.createUser({
        id: newId(),
        username: name,
        displayName: displayName?.trim() || username.trim(),
        passwordHash,
        role: isFirst ? 'admin' : 'member',
      });
    });
    await joinDefaultRoom(deps, { userId: user.id });
    const { token, session } = await startSession(deps, { userId: user.id });
    return { token, expiresAt: session.expiresAt, user: toPublicUser(user) };
  } catch (error) {
    if (error instanceof Duplicate) {
      throw new AppError('CONFLICT', `The username "${name}" is taken`);
    }
    throw error;
  }
}

/**
 * Unknown user, wrong password and deactivated account all answer the same
 * error after the same work (a decoy hash is verified for unknown users).
 */
export async function logIn(deps: Deps, { username, password, ip }: { username: string; password: string; ip?: string }) {
  const name = normalizeUsername(username);
  assertLoginAllowed(deps, { account: name, ip });
  const user = await deps.store.accounts.byUsername(name);
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
  if (!user || !ok || user.deactivatedAt) {
    recordLoginFailure(deps);
    throw new AppError('UNAUTHORIZED', 'Invalid username or password');
  }
  recordLoginSuccess(deps, { account: name, ip });
  const { token, session } = await startSession(deps, { userId: user.id });
  return { token, expiresAt: session.expiresAt, user: toPublicUser(user) };
}
