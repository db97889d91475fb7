import type { Db } from '../../db/client.ts';
import type { Invite, LinkStore, PasswordLink, User } from '../store.ts';

export class PrismaLinks implements LinkStore {
  constructor(protected readonly db: Db) {}

  createInvite(invite: { id: string; tokenHash: string; createdById: string | null; expiresAt: Date; maxUses: number }): Promise<Invite> {
    return this.db.invite.create({ data: { ...invite, usesLeft: invite.maxUses } });
  }

  invites(limit: number): Promise<Invite[]> {
    return this.db.invite.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
  }

  inviteByTokenHash(tokenHash: string): Promise<Invite | null> {
    return this.db.invite.findUnique({ where: { tokenHash } });
  }

  async revokeInvite(inviteId: string, at: Date): Promise<boolean> {
    return (await this.db.invite.updateMany({ where: { id: inviteId, revokedAt: null }, data: { revokedAt: at } })).count === 1;
  }

  createPasswordLink(link: { id: string; tokenHash: string; userId: string; purpose: 'reset' | 'set'; expiresAt: Date }, now: Date): Promise<PasswordLink> {
    return this.db.$transaction(async (tx) => {
      await tx.passwordLink.updateMany({ where: { userId: link.userId, usedAt: null }, data: { usedAt: now } });
      return tx.passwordLink.create({ data: link });
    });
  }

  passwordLinkByTokenHash(tokenHash: string): Promise<(PasswordLink & { user: User }) | null> {
    return this.db.passwordLink.findUnique({ where: { tokenHash }, include: { user: true } });
  }

  consumePasswordLink(tokenHash: string, passwordHash: string, now: Date): Promise<{ link: PasswordLink; revokedSessionIds: string[] } | null> {
    return this.db.$transaction(async (tx) => {
      // The conditional update is the claim: of two uses racing, one changes the row.
      const claimed = await tx.passwordLink.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
      if (claimed.count !== 1) return null;
      const link = await tx.passwordLink.findUniqueOrThrow({ where: { tokenHash } });
      await tx.user.update({ where: { id: link.userId }, data: { passwordHash } });
      const live = { userId: link.userId, revokedAt: null };
      const revokedSessionIds = (await tx.session.findMany({ where: live, select: { id: true } })).map((s) => s.id);
      await tx.session.updateMany({ where: { id: { in: revokedSessionIds } }, data: { revokedAt: now } });
      return { link, revokedSessionIds };
    });
  }
}
