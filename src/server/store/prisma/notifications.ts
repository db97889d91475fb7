import type { Db } from '../../db/client.ts';
import type { Candidate, NewNotification, Notification, NotificationDetails, NotificationStore, ReadSelection } from '../notifications.ts';

export class PrismaNotifications implements NotificationStore {
  constructor(protected readonly db: Db) {}

  candidates({ roomId, authorId, mentionIds, everyone }: { roomId: string; authorId: string; mentionIds: string[]; everyone: boolean }): Promise<Candidate[]> {
    const chosen = everyone ? {} : { OR: [{ notify: 'all' }, ...(mentionIds.length > 0 ? [{ userId: { in: mentionIds } }] : [])] };
    return this.db.membership.findMany({ where: { roomId, userId: { not: authorId }, ...chosen }, select: { userId: true, notify: true } });
  }

  async add(rows: NewNotification[]): Promise<Notification[]> {
    if (rows.length === 0) return [];
    await this.db.notification.createMany({ data: rows });
    return this.db.notification.findMany({ where: { id: { in: rows.map((row) => row.id) } } });
  }

  async collapse(message: { kind: string; roomId: string; messageId: string; seq: number; actorId: string; userIds: string[]; at: Date; newId: () => string }) {
    const { kind, roomId, userIds } = message;
    if (userIds.length === 0) return [];
    const unread = { kind, roomId, userId: { in: userIds }, readAt: null };
    return this.db.$transaction(async (tx) => {
      const existing = await tx.notification.findMany({ where: unread, select: { userId: true } });
      const have = new Set(existing.map((row) => row.userId));
      const data = { messageId: message.messageId, seq: message.seq, actorId: message.actorId, createdAt: message.at };
      if (have.size > 0) await tx.notification.updateMany({ where: unread, data: { ...data, count: { increment: 1 } } });
      const fresh = userIds.filter((userId) => !have.has(userId)).map((userId) => ({ id: message.newId(), userId, kind, roomId, ...data }));
      if (fresh.length > 0) await tx.notification.createMany({ data: fresh });
      return tx.notification.findMany({ where: unread });
    });
  }

  page(userId: string, { before, limit }: { before?: { createdAt: Date; id: string }; limit: number }) {
    const after = before ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : {};
    return this.db.notification.findMany({ where: { userId, ...after }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
  }

  async details(rows: Notification[]): Promise<NotificationDetails> {
    const ids = (pick: (row: Notification) => string | null) => [...new Set(rows.map(pick).filter((id): id is string => id !== null))];
    const [rooms, people, messages] = await Promise.all([
      this.db.room.findMany({ where: { id: { in: ids((row) => row.roomId) } }, select: { id: true, name: true, kind: true } }),
      this.db.user.findMany({ where: { id: { in: ids((row) => row.actorId) } }, select: { id: true, username: true, displayName: true } }),
      this.db.message.findMany({ where: { id: { in: ids((row) => row.messageId) } }, select: { id: true, body: true, deletedAt: true } }),
    ]);
    return {
      rooms: new Map(rooms.map((room) => [room.id, room])),
      people: new Map(people.map((person) => [person.id, person])),
      texts: new Map(messages.map((message) => [message.id, message.deletedAt ? null : message.body])),
    };
  }

  async unreadCounts(userIds: string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.notification.groupBy({ by: ['userId'], where: { userId: { in: userIds }, readAt: null }, _count: { _all: true } });
    return new Map(rows.map((row) => [row.userId, row._count._all]));
  }

  async markRead(userId: string, which: ReadSelection, at: Date): Promise<number> {
    const selected = 'ids' in which ? { id: { in: which.ids } } : 'roomId' in which ? { roomId: which.roomId, seq: { lte: which.upToSeq } } : {};
    const changed = await this.db.notification.updateMany({ where: { userId, readAt: null, ...selected }, data: { readAt: at } });
    return changed.count;
  }

  unreadFrom(userId: string, kind: string, actorId: string) {
    return this.db.notification.findFirst({ where: { userId, kind, actorId, readAt: null } });
  }

  async prune(userId: string, keep: number): Promise<number> {
    const edge = await this.db.notification.findFirst({
      where: { userId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: keep,
      select: { createdAt: true, id: true },
    });
    if (!edge) return 0;
    const older = { OR: [{ createdAt: { lt: edge.createdAt } }, { createdAt: edge.createdAt, id: { lte: edge.id } }] };
    return (await this.db.notification.deleteMany({ where: { userId, ...older } })).count;
  }
}
