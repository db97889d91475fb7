import type { Config } from '../app/config.ts';
import { AppError } from '../lib/app-error.ts';
import { newId } from '../lib/ids.ts';
import { Duplicate } from '../store/errors.ts';
import { joinDefaultRoom } from '../chat/default-room.ts';
import type { AdminLine, Store, User } from '../store/store.ts';
import { explainInviteRefusal } from './invites.ts';
import { assertLoginAllowed, type LoginGuardDeps, recordLoginFailure, recordLoginSuccess } from './login-guard.ts';
import { decoyHash, hashPassword, UNUSABLE_PASSWORD, verifyPassword } from './passwords.ts';
import { startSession, type SessionDeps } from './sessions.ts';
import type { SetupSecret } from './setup.ts';
import { hashToken } from './tokens.ts';
import { normalizeUsername, toPublicUser, type Role } from './users.ts';

/**
 * How an account comes to be, and so who may make it:
 * - `setup`: the first admin, with the setup link, only while no admin exists;
 * - `open`: anyone, with REGISTRATION=open, once the server is set up;
 * - `invite`: with a live invitation link (one of its uses is taken);
 * - `admin`: an admin creating it (checked again inside the transaction);
 * - `cli`: `npm run admin`, on the machine itself.
 */
export type Via =
  { kind: 'setup'; orOpen?: boolean } | { kind: 'open' } | { kind: 'invite'; token: string } | { kind: 'admin'; actorId: string } | { kind: 'cli' };

type CreateDeps = Parameters<typeof joinDefaultRoom>[0] & { store: Pick<Store, 'accounts' | 'links'>; clock: { now(): number } };

const NOT_SET_UP = "Hearth is not set up yet: its first account is created with the setup link printed in the server's log when it starts";

const isActiveAdmin = (user: User | null) => user?.role === 'admin' && user.deactivatedAt === null;

/** Inside the admin line: who may create this account, and with which role. */
async function admit(line: AdminLine, via: Via, role: Role | undefined, now: Date): Promise<Role> {
  const setUp = (await line.activeAdminIds()).length > 0;
  switch (via.kind) {
    case 'setup':
      // Raced by another claim that won: REGISTRATION=open still lets this one in, as a member.
      if (setUp && via.orOpen) return 'member';
      if (setUp) throw new AppError('FORBIDDEN', 'This setup link has been used: Hearth has its admin. Log in, or ask an admin for an invitation');
      return 'admin';
    case 'open':
    case 'invite':
      if (!setUp) throw new AppError('FORBIDDEN', NOT_SET_UP);
      if (via.kind === 'invite' && !(await line.redeemInvite(hashToken(via.token), now))) throw new InviteRefused();
      return 'member';
    case 'admin':
      if (!isActiveAdmin(await line.userById(via.actorId))) throw new AppError('FORBIDDEN', 'Admins only');
      return role ?? 'member';
    case 'cli':
      return role ?? 'member';
  }
}

class InviteRefused extends Error {}

/**
 * The one way an account is created, whichever door it comes through (setup
 * link, open registration, invitation, an admin, the CLI). The admission
 * check, the invite's use and the new row are one transaction in the admin
 * line: two redemptions of an invite's last use make one account, two claims
 * of the setup link make one admin. Then the account joins the default room
 * (DEFAULT_ROOM), whichever door it came through. `password: null`: no password yet (a
 * set-password link gives it one).
 */
export async function createAccount(
  deps: CreateDeps,
  input: { username: string; displayName?: string; password: string | null; role?: Role; via: Via },
): Promise<User> {
  const name = normalizeUsername(input.username);
  const passwordHash = input.password === null ? UNUSABLE_PASSWORD : await hashPassword(input.password);
  const now = new Date(deps.clock.now());
  try {
    const user = await deps.store.accounts.inAdminLine(async (line) => {
      const role = await admit(line, input.via, input.role, now);
      return line.createUser({ id: newId(), username: name, displayName: input.displayName?.trim() || input.username.trim(), passwordHash, role });
    });
    // After the account's commit, like every join: the default room's log and stream have it.
    await joinDefaultRoom(deps, { userId: user.id });
    return user;
  } catch (error) {
    if (error instanceof Duplicate) throw new AppError('CONFLICT', `The username "${name}" is taken`);
    if (error instanceof InviteRefused && input.via.kind === 'invite') throw await explainInviteRefusal(deps, { token: input.via.token });
    throw error;
  }
}

type RegisterDeps = CreateDeps & SessionDeps & { config: Pick<Config, 'REGISTRATION'>; setup: SetupSecret };

/**
 * Which door a sign-up from the login page uses. Refusals that need no
 * transaction come first, before any password is hashed. A setup token once
 * the server has its admin opens nothing more than the mode allows.
 */
async function doorFor(deps: RegisterDeps, { setupToken, inviteToken }: { setupToken?: string; inviteToken?: string }): Promise<Via> {
  if (setupToken !== undefined && !deps.setup.matches(setupToken)) {
    throw new AppError('FORBIDDEN', "This setup link is not valid: use the link printed in the server's log at its latest start");
  }
  const setUp = await deps.store.accounts.hasAdmin();
  if (!setUp) {
    if (setupToken === undefined) throw new AppError('FORBIDDEN', NOT_SET_UP);
    return { kind: 'setup', orOpen: deps.config.REGISTRATION === 'open' && inviteToken === undefined };
  }
  if (inviteToken !== undefined) return { kind: 'invite', token: inviteToken };
  if (deps.config.REGISTRATION === 'open') return { kind: 'open' };
  if (setupToken !== undefined) return { kind: 'setup' }; // refused in the line: "has been used"
  if (deps.config.REGISTRATION === 'invite') throw new AppError('FORBIDDEN', 'Registration is by invitation only: ask an admin for an invitation link');
  throw new AppError('FORBIDDEN', 'Registration is closed: an admin creates accounts');
}

/** Sign-up from the login page (auth.register): creates the account and signs it in. */
export async function registerAccount(
  deps: RegisterDeps,
  input: { username: string; password: string; displayName?: string; setupToken?: string; inviteToken?: string; userAgent?: string },
) {
  const via = await doorFor(deps, input);
  const user = await createAccount(deps, { username: input.username, displayName: input.displayName, password: input.password, via });
  const { token, session } = await startSession(deps, { userId: user.id, userAgent: input.userAgent });
  return { token, expiresAt: session.expiresAt, user: toPublicUser(user) };
}

/**
 * Unknown user, wrong password, no password yet and deactivated account all
 * answer the same error after the same work (a decoy hash is verified instead).
 */
export async function logIn(
  deps: LoginGuardDeps & SessionDeps & { store: Pick<Store, 'accounts'> },
  input: { username: string; password: string; ip?: string; userAgent?: string },
) {
  const name = normalizeUsername(input.username);
  assertLoginAllowed(deps, { account: name, ip: input.ip });
  const user = await deps.store.accounts.byUsername(name);
  const usable = user && user.passwordHash !== UNUSABLE_PASSWORD;
  const ok = (await verifyPassword(usable ? user.passwordHash : await decoyHash(), input.password)) && usable;
  if (!user || !ok || user.deactivatedAt) {
    recordLoginFailure(deps);
    throw new AppError('UNAUTHORIZED', 'Invalid username or password');
  }
  recordLoginSuccess(deps, { account: name, ip: input.ip });
  const { token, session } = await startSession(deps, { userId: user.id, userAgent: input.userAgent });
  return { token, expiresAt: session.expiresAt, user: toPublicUser(user) };
}
