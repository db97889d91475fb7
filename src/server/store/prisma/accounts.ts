import type { Db } from '../../db/client.ts';
import { serializeAdminChanges } from '../../db/locks.ts';
import { Duplicate, isUniqueViolation } from '../errors.ts';
import type { AccountStore, AdminLine, MemberRole, User } from '../store.ts';
import type { Dialect, Tx } from './room-log.ts';

const matching = (query: string) => ({ OR: [{ username: { contains: query.toLowerCase() } }, { displayName: { contains: query } }] });

export class PrismaAccounts implements AccountStore {
  constructor(
    protected readonly db: Db,
    protected readonly dialect: Dialect,
  ) {}

  byUsername(username: string): Promise<User | null> {
    return this.db.user.findUnique({ where: { username } });
  }

  byId(userId: string): Promise<User | null> {
    return this.db.user.findUnique({ where: { id: userId } });
  }

  async activeIds(userIds: string[]): Promise<string[]> {
    const found = await this.db.user.findMany({ where: { id: { in: userIds }, deactivatedAt: null }, select: { id: true } });
    return found.map((u) => u.id);
  }

  search({ query, activeOnly, orderBy, limit }: { query?: string; activeOnly: boolean; orderBy: 'username' | 'createdAt'; limit: number }) {
    return this.db.user.findMany({
      where: { ...(activeOnly ? { deactivatedAt: null } : {}), ...(query ? matching(query) : {}) },
      orderBy: { [orderBy]: 'asc' },
      take: limit,
    });
  }

  async reactivate(userId: string): Promise<boolean> {
    return (await this.db.user.updateMany({ where: { id: userId }, data: { deactivatedAt: null } })).count > 0;
  }

  count(): Promise<number> {
    return this.db.user.count();
  }

  async hasAdmin(): Promise<boolean> {
    return (await this.db.user.findFirst({ where: { role: 'admin' }, select: { id: true } })) !== null;
  }

  async setDisplayName(userId: string, displayName: string): Promise<User | null> {
    const result = await this.db.user.updateMany({ where: { id: userId }, data: { displayName } });
    return result.count === 0 ? null : this.byId(userId);
  }

  setPassword({ userId, passwordHash, keepSessionId, at }: { userId: string; passwordHash: string; keepSessionId?: string; at: Date }): Promise<string[]> {
    return this.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: userId }, data: { passwordHash } });
      const where = { userId, revokedAt: null, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) };
      const ids = (await tx.session.findMany({ where, select: { id: true } })).map((s) => s.id);
      await tx.session.updateMany({ where: { id: { in: ids } }, data: { revokedAt: at } });
      return ids;
    });
  }

  async inAdminLine<T>(work: (line: AdminLine) => Promise<T>): Promise<T> {
    try {
      return await this.db.$transaction(async (tx) => {
        await serializeAdminChanges(tx, this.dialect);
        return work(adminLine(tx));
      });
    } catch (error) {
      throw isUniqueViolation(error) ? new Duplicate(error) : error;
    }
  }
}

function adminLine(tx: Tx): AdminLine {
  return {
    userCount: () => tx.user.count(),
    createUser: (user) => tx.user.create({ data: user }),
    userById: (userId) => tx.user.findUnique({ where: { id: userId } }),
    async activeAdminIds() {
      return (await tx.user.findMany({ where: { role: 'admin', deactivatedAt: null }, select: { id: true } })).map((u) => u.id);
    },
    async setRole(userId: string, role: MemberRole) {
      const result = await tx.user.updateMany({ where: { id: userId }, data: { role } });
      return result.count === 0 ? null : tx.user.findUnique({ where: { id: userId } });
    },
    async deactivate(userId: string, at: Date) {
      const result = await tx.user.updateMany({ where: { id: userId }, data: { deactivatedAt: at } });
      if (result.count === 0) return false;
      await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
      return true;
    },
    // One conditional decrement: of two redemptions racing for the last use, one updates the row, the other finds it spent.
    async redeemInvite(tokenHash: string, now: Date) {
      const result = await tx.invite.updateMany({
        where: { tokenHash, revokedAt: null, expiresAt: { gt: now }, usesLeft: { gt: 0 } },
        data: { usesLeft: { decrement: 1 } },
      });
      return result.count === 1;
    },
  };
}
