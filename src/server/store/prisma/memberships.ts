import { Prisma, type Db } from '../../db/client.ts';
import { CLOSED, type Joined, type MemberRole, type Membership, type MembershipStore, type Unread } from '../store.ts';
import { appendToLog, inLogTransaction, type Dialect, type Tx } from './room-log.ts';

/** Adds members inside the caller's transaction; each join takes a seq, kept as `joinedSeq`. */
export async function grantIn(
  tx: Tx,
  dialect: Dialect,
  { roomId, userIds, role, actorId }: { roomId: string; userIds: string[]; role: MemberRole; actorId: string | null },
) {
  const joined: Joined[] = [];
  for (const userId of userIds) {
    const by = actorId === userId ? null : actorId;
    const seq = await appendToLog(tx, dialect, { roomId, type: 'member.joined', userId, actorId: by });
    await tx.membership.create({ data: { roomId, userId, role, joinedSeq: seq } });
    joined.push({ userId, seq, actorId: by });
  }
  return joined;
}

export class PrismaMemberships implements MembershipStore {
  constructor(
    protected readonly db: Db,
    protected readonly dialect: Dialect,
  ) {}

  async access(roomId: string, userId: string) {
    const room = await this.db.room.findUnique({ where: { id: roomId }, include: { memberships: { where: { userId } } } });
    if (!room) return undefined;
    const { memberships, ...bare } = room;
    return { room: bare, membership: memberships[0] ?? null };
  }

  async memberIds(roomId: string): Promise<string[]> {
    return (await this.db.membership.findMany({ where: { roomId }, select: { userId: true } })).map((m) => m.userId);
  }

  async roomIdsOf(userId: string): Promise<string[]> {
    return (await this.db.membership.findMany({ where: { userId }, select: { roomId: true } })).map((m) => m.roomId);
  }

  async membersAmong(roomId: string, userIds: string[]): Promise<string[]> {
    const rows = await this.db.membership.findMany({ where: { roomId, userId: { in: userIds } }, select: { userId: true } });
    return rows.map((m) => m.userId);
  }

  async namedAmong(roomId: string, usernames: string[]): Promise<string[]> {
    if (usernames.length === 0) return [];
    const rows = await this.db.membership.findMany({ where: { roomId, user: { username: { in: usernames } } }, select: { userId: true } });
    return rows.map((m) => m.userId);
  }

  async setNotify(roomId: string, userId: string, level: string | null): Promise<boolean> {
    const { count } = await this.db.membership.updateMany({ where: { roomId, userId }, data: { notify: level } });
    return count > 0;
  }

  grant(grant: { roomId: string; userIds: string[]; role: MemberRole; actorId: string | null }): Promise<Joined[] | typeof CLOSED> {
    return inLogTransaction(this.db, (tx) => grantIn(tx, this.dialect, grant));
  }

  revoke(roomId: string, userId: string, actorId: string | null) {
    return inLogTransaction(this.db, async (tx) => {
      const removed = await tx.membership.deleteMany({ where: { roomId, userId } });
      if (removed.count === 0) return 'not-member' as const;
      return appendToLog(tx, this.dialect, { roomId, type: 'member.left', userId, actorId: actorId === userId ? null : actorId });
    });
  }

  setRole({ roomId, userId, role, actorId, detail }: { roomId: string; userId: string; role: MemberRole; actorId: string; detail: string }) {
    return inLogTransaction(this.db, async (tx) => {
      const changed = await tx.membership.updateMany({ where: { roomId, userId }, data: { role } });
      if (changed.count === 0) return 'not-member' as const;
      return appendToLog(tx, this.dialect, { roomId, type: 'room.updated', actorId, detail });
    });
  }

  withUsers(roomId: string) {
    return this.db.membership.findMany({ where: { roomId }, include: { user: true }, orderBy: { joinedAt: 'asc' } });
  }

  others(roomId: string, exceptUserId: string): Promise<Membership[]> {
    return this.db.membership.findMany({ where: { roomId, userId: { not: exceptUserId } } });
  }

  find(roomId: string, userId: string): Promise<Membership | null> {
    return this.db.membership.findUnique({ where: { roomId_userId: { roomId, userId } } });
  }

  async advance({ roomId, userId, deliveredSeq, readSeq }: { roomId: string; userId: string; deliveredSeq: number; readSeq: number }) {
    await this.db.$executeRaw`
      UPDATE "Membership"
         SET "deliveredSeq" = CASE WHEN "deliveredSeq" > ${deliveredSeq} THEN "deliveredSeq" ELSE ${deliveredSeq} END,
             "readSeq" = CASE WHEN "readSeq" > ${readSeq} THEN "readSeq" ELSE ${readSeq} END
       WHERE "roomId" = ${roomId} AND "userId" = ${userId}`;
  }

  /** A mention is a Mention row of mine (its primary key: one lookup per unread message) or @room. */
  async unread(userId: string, roomId?: string): Promise<Map<string, Unread>> {
    const rows = await this.db.$queryRaw<Array<{ roomId: string; unread: number | bigint; mentions: number | bigint | null; lastSeq: number | bigint }>>`
      SELECT m."roomId" AS "roomId", r."lastSeq" AS "lastSeq", COUNT(msg."id") AS "unread",
             SUM(CASE WHEN msg."mentionsRoom" OR EXISTS (SELECT 1 FROM "Mention" mn WHERE mn."messageId" = msg."id" AND mn."userId" = m."userId")
                      THEN 1 ELSE 0 END) AS "mentions"
        FROM "Membership" m
        JOIN "Room" r ON r."id" = m."roomId"
        LEFT JOIN "Message" msg ON msg."roomId" = m."roomId" AND msg."seq" > m."readSeq"
                                AND msg."authorId" <> m."userId" AND msg."deletedAt" IS NULL
       WHERE m."userId" = ${userId} ${roomId ? Prisma.sql`AND m."roomId" = ${roomId}` : Prisma.empty}
       GROUP BY m."roomId", r."lastSeq"`;
    return new Map(rows.map((row) => [row.roomId, { unread: Number(row.unread), mentions: Number(row.mentions ?? 0), lastSeq: Number(row.lastSeq) }]));
  }
}
