import type { Db } from '../../db/client.ts';
import type { User } from '../../db/generated/client.ts';
import type { ContactLists, ContactStore, RequestOutcome } from '../contacts.ts';

export class PrismaContacts implements ContactStore {
  constructor(private readonly db: Db) {}

  async blockersAmong(userId: string, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db.block.findMany({ where: { blockedId: userId, blockerId: { in: userIds } }, select: { blockerId: true } });
    return rows.map((row) => row.blockerId);
  }

  async blocks(blockerId: string, blockedId: string): Promise<boolean> {
    return (await this.db.block.count({ where: { blockerId, blockedId } })) > 0;
  }

  async reachableAmong(userId: string, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const [sharing, contacts] = await Promise.all([
      this.db.membership.findMany({
        where: { userId: { in: userIds }, room: { memberships: { some: { userId } } } },
        select: { userId: true },
        distinct: ['userId'],
      }),
      this.db.contact.findMany({
        where: {
          status: 'accepted',
          OR: [
            { requesterId: userId, addresseeId: { in: userIds } },
            { addresseeId: userId, requesterId: { in: userIds } },
          ],
        },
      }),
    ]);
    const found = new Set(sharing.map((m) => m.userId));
    for (const c of contacts) found.add(c.requesterId === userId ? c.addresseeId : c.requesterId);
    return userIds.filter((id) => found.has(id));
  }

  request({ requesterId, addresseeId, pendingMax }: { requesterId: string; addresseeId: string; pendingMax: number }): Promise<RequestOutcome> {
    return this.db.$transaction(async (tx) => {
      const pair = { requesterId_addresseeId: { requesterId, addresseeId } };
      const mine = await tx.contact.findUnique({ where: pair });
      const theirs = await tx.contact.findUnique({ where: { requesterId_addresseeId: { requesterId: addresseeId, addresseeId: requesterId } } });
      if (mine?.status === 'accepted' || theirs?.status === 'accepted') return 'contacts';
      if (theirs?.status === 'pending') {
        await tx.contact.update({
          where: { requesterId_addresseeId: { requesterId: addresseeId, addresseeId: requesterId } },
          data: { status: 'accepted', answeredAt: new Date() },
        });
        if (mine) await tx.contact.delete({ where: pair });
        return 'accepted';
      }
      if (mine) return mine.status === 'declined' ? 'declined' : 'pending';
      if ((await tx.contact.count({ where: { requesterId, status: 'pending' } })) >= pendingMax) return 'full';
      await tx.contact.create({ data: { requesterId, addresseeId, status: 'pending' } });
      return 'requested';
    });
  }

  async answer({ requesterId, addresseeId, status, at }: { requesterId: string; addresseeId: string; status: 'accepted' | 'declined'; at: Date }) {
    const { count } = await this.db.contact.updateMany({ where: { requesterId, addresseeId, status: 'pending' }, data: { status, answeredAt: at } });
    return count > 0;
  }

  block({ blockerId, blockedId, blocksMax }: { blockerId: string; blockedId: string; blocksMax: number }): Promise<'blocked' | 'full'> {
    return this.db.$transaction(async (tx) => {
      const exists = await tx.block.count({ where: { blockerId, blockedId } });
      if (!exists && (await tx.block.count({ where: { blockerId } })) >= blocksMax) return 'full';
      if (!exists) await tx.block.create({ data: { blockerId, blockedId } });
      await tx.contact.deleteMany({
        where: {
          OR: [
            { requesterId: blockerId, addresseeId: blockedId },
            { requesterId: blockedId, addresseeId: blockerId },
          ],
        },
      });
      return 'blocked';
    });
  }

  async unblock(blockerId: string, blockedId: string): Promise<boolean> {
    return (await this.db.block.deleteMany({ where: { blockerId, blockedId } })).count > 0;
  }

  async listsOf(userId: string, limit: number): Promise<ContactLists> {
    const [accepted, incoming, outgoing, blocked] = await Promise.all([
      this.db.contact.findMany({
        where: { status: 'accepted', OR: [{ requesterId: userId }, { addresseeId: userId }] },
        take: limit,
        orderBy: { createdAt: 'asc' },
      }),
      this.db.contact.findMany({ where: { addresseeId: userId, status: 'pending' }, take: limit, orderBy: { createdAt: 'asc' } }),
      this.db.contact.findMany({ where: { requesterId: userId, status: 'pending' }, take: limit, orderBy: { createdAt: 'asc' } }),
      this.db.block.findMany({ where: { blockerId: userId }, take: limit, orderBy: { createdAt: 'asc' } }),
    ]);
    const other = (c: { requesterId: string; addresseeId: string }) => (c.requesterId === userId ? c.addresseeId : c.requesterId);
    const ids = [...accepted.map(other), ...incoming.map(other), ...outgoing.map(other), ...blocked.map((b) => b.blockedId)];
    const users = new Map((await this.db.user.findMany({ where: { id: { in: [...new Set(ids)] } } })).map((u) => [u.id, u]));
    const named = <T>(rows: T[], id: (row: T) => string) => rows.flatMap((row) => (users.has(id(row)) ? [{ row, user: users.get(id(row)) as User }] : []));
    return {
      contacts: named(accepted, other).map(({ user }) => user),
      incoming: named(incoming, other).map(({ row, user }) => ({ user, at: row.createdAt })),
      outgoing: named(outgoing, other).map(({ row, user }) => ({ user, at: row.createdAt })),
      blocked: named(blocked, (b) => b.blockedId).map(({ user }) => user),
    };
  }
}
