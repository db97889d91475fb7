import type { Db } from '../../db/client.ts';
import type { NewSession, Session, SessionStore, User } from '../store.ts';

/** Sessions looked up at once, at most: a parameter list per query stays small. */
const CHUNK = 500;

export class PrismaSessions implements SessionStore {
  constructor(protected readonly db: Db) {}

  create(session: NewSession): Promise<Session> {
    return this.db.session.create({ data: session });
  }

  byTokenHash(tokenHash: string): Promise<(Session & { user: User }) | null> {
    return this.db.session.findUnique({ where: { tokenHash }, include: { user: true } });
  }

  async revoke(sessionId: string, at: Date): Promise<void> {
    await this.db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: at } });
  }

  /** Only the role is read: this runs for every open socket every SESSION_RECHECK_MS. */
  async liveRoles(sessionIds: string[], now: Date): Promise<Array<{ id: string; role: string }>> {
    const live: Array<{ id: string; role: string }> = [];
    for (let i = 0; i < sessionIds.length; i += CHUNK) {
      const rows = await this.db.session.findMany({
        where: { id: { in: sessionIds.slice(i, i + CHUNK) }, revokedAt: null, expiresAt: { gt: now }, user: { deactivatedAt: null } },
        select: { id: true, user: { select: { role: true } } },
      });
      for (const row of rows) live.push({ id: row.id, role: row.user.role });
    }
    return live;
  }

  liveOf(userId: string, now: Date, limit: number): Promise<Session[]> {
    return this.db.session.findMany({ where: { userId, revokedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: 'desc' }, take: limit });
  }

  revokeOf(userId: string, at: Date, which: { only?: string; except?: string }): Promise<string[]> {
    return this.db.$transaction(async (tx) => {
      const id = which.only ? { id: which.only } : which.except ? { id: { not: which.except } } : {};
      const ids = (await tx.session.findMany({ where: { userId, revokedAt: null, ...id }, select: { id: true } })).map((s) => s.id);
      if (ids.length > 0) await tx.session.updateMany({ where: { id: { in: ids } }, data: { revokedAt: at } });
      return ids;
    });
  }

  async touch(sessionIds: string[], now: Date, before: Date): Promise<void> {
    for (let i = 0; i < sessionIds.length; i += CHUNK) {
      await this.db.session.updateMany({
        where: { id: { in: sessionIds.slice(i, i + CHUNK) }, OR: [{ lastSeenAt: null }, { lastSeenAt: { lt: before } }] },
        data: { lastSeenAt: now },
      });
    }
  }
}
