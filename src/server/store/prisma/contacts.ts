import type { Db } from '../../db/client.ts';
import type { ContactStore } from '../contacts.ts';

export class PrismaContacts implements ContactStore {
  constructor(private readonly db: Db) {}

  async blockersAmong(userId: string, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db.block.findMany({ where: { blockedId: userId, blockerId: { in: userIds } }, select: { blockerId: true } });
    return rows.map((row) => row.blockerId);
  }
}
