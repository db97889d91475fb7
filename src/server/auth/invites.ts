import { AppError } from '../lib/app-error.ts';
import { newId } from '../lib/ids.ts';
import type { Invite, Store } from '../store/store.ts';
import { hashToken, newSessionToken } from './tokens.ts';

type Deps = { store: Pick<Store, 'links'>; clock: { now(): number } };

export type InviteState = 'active' | 'used' | 'expired' | 'revoked';

/** Invitations listed at most (the newest): the admin page shows them all in one table. */
export const INVITES_LISTED = 200;

const stateOf = (invite: Invite, now: number): InviteState => {
  if (invite.revokedAt) return 'revoked';
  if (invite.usesLeft <= 0) return 'used';
  return invite.expiresAt.getTime() <= now ? 'expired' : 'active';
};

const toPublicInvite = (invite: Invite, now: number) => ({
  id: invite.id,
  createdAt: invite.createdAt.toISOString(),
  expiresAt: invite.expiresAt.toISOString(),
  maxUses: invite.maxUses,
  usesLeft: invite.usesLeft,
  state: stateOf(invite, now),
});
export type PublicInvite = ReturnType<typeof toPublicInvite>;

/** A new invitation link; the token is returned this once (only its hash is kept). */
export async function createInvite(deps: Deps, { actorId, expiresInHours, maxUses }: { actorId: string; expiresInHours: number; maxUses: number }) {
  const token = newSessionToken();
  const now = deps.clock.now();
  const invite = await deps.store.links.createInvite({
    id: newId(),
    tokenHash: hashToken(token),
    createdById: actorId,
    expiresAt: new Date(now + expiresInHours * 3_600_000),
    maxUses,
  });
  return { token, invite: toPublicInvite(invite, now) };
}

export async function listInvites(deps: Deps) {
  const now = deps.clock.now();
  return (await deps.store.links.invites(INVITES_LISTED)).map((invite) => toPublicInvite(invite, now));
}

export async function revokeInvite(deps: Deps, { inviteId }: { inviteId: string }) {
  if (!(await deps.store.links.revokeInvite(inviteId, new Date(deps.clock.now()))))
    throw new AppError('NOT_FOUND', 'No such invitation, or it was revoked already');
}

const REFUSALS: Record<Exclude<InviteState, 'active'> | 'unknown', string> = {
  unknown: 'This invitation link is not valid: check that it was copied whole, or ask an admin for a new one',
  used: 'This invitation link has been used up: ask an admin for a new one',
  expired: 'This invitation link has expired: ask an admin for a new one',
  revoked: 'This invitation link was revoked: ask an admin for a new one',
};

/** What is wrong with an invitation token, in plain words; null: it can be used. */
export async function inviteProblem(deps: Deps, { token }: { token: string }): Promise<string | null> {
  const invite = await deps.store.links.inviteByTokenHash(hashToken(token));
  const state = invite ? stateOf(invite, deps.clock.now()) : 'unknown';
  return state === 'active' ? null : REFUSALS[state];
}

/** The error for an invitation whose use could not be taken (it was read again after the transaction). */
export async function explainInviteRefusal(deps: Deps, { token }: { token: string }): Promise<AppError> {
  return new AppError('FORBIDDEN', (await inviteProblem(deps, { token })) ?? REFUSALS.used);
}
