import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../errors.ts';
import { CLOSED, DUPLICATE, type MemberRole, type Room, type RoomDetails, type RoomKind, type RoomStore } from '../store.ts';
import { grantIn } from './memberships.ts';
import { appendToLog, inLogTransaction, type Dialect } from './room-log.ts';

export class PrismaRooms implements RoomStore {
  constructor(
    protected readonly db: Db,
    protected readonly dialect: Dialect,
  ) {}

  async create(
    room: { id: string; name: string; nameKey?: string; kind: RoomKind; createdById: string | null; directKey?: string },
    members: Array<{ userId: string; role: MemberRole }>,
  ) {
    try {
      return await this.db.$transaction(async (tx) => {
        await tx.room.create({ data: room });
        const joined = [];
        for (const { userId, role } of members)
          joined.push(...(await grantIn(tx, this.dialect, { roomId: room.id, userIds: [userId], role, actorId: room.createdById })));
        return { room: await tx.room.findUniqueOrThrow({ where: { id: room.id } }), joined };
      });
    } catch (error) {
      if (isUniqueViolation(error)) return DUPLICATE;
      throw error;
    }
  }

  byId(roomId: string): Promise<Room | null> {
    return this.db.room.findUnique({ where: { id: roomId } });
  }

  byDirectKey(directKey: string): Promise<Room | null> {
    return this.db.room.findUnique({ where: { directKey } });
  }

  async listedFor(userId: string) {
    const memberships = await this.db.membership.findMany({
      where: { userId },
      include: { room: { include: { memberships: { where: { room: { kind: 'direct' } }, select: { userId: true } } } } },
      orderBy: { joinedAt: 'asc' },
    });
    return memberships.map(({ room: { memberships: direct, ...room }, role, readSeq, notify, hidden, clearedSeq }) => ({
      room,
      role,
      readSeq,
      notify,
      directMemberIds: direct.map((m) => m.userId),
      hidden,
      clearedSeq,
    }));
  }

  async browsableBy(userId: string, limit: number) {
    const rooms = await this.db.room.findMany({
      where: { kind: 'open', archivedAt: null, memberships: { none: { userId } } },
      include: { _count: { select: { memberships: true } } },
      orderBy: { name: 'asc' },
      take: limit,
    });
    return rooms.map(({ _count, ...room }) => ({ room, memberCount: _count.memberships }));
  }

  async all() {
    const rooms = await this.db.room.findMany({
      include: { _count: { select: { memberships: true, messages: true } } },
      orderBy: { createdAt: 'desc' },
    });
    return rooms.map(({ _count, ...room }) => ({ room, memberCount: _count.memberships, messageCount: _count.messages }));
  }

  byNameKey(nameKey: string): Promise<Room | null> {
    return this.db.room.findUnique({ where: { nameKey } });
  }

  async change({ roomId, actorId, details, detail }: { roomId: string; actorId: string | null; details: RoomDetails; detail: string }) {
    try {
      return await inLogTransaction(this.db, async (tx) => {
        const seq = await appendToLog(tx, this.dialect, { roomId, type: 'room.updated', actorId, detail });
        await tx.room.update({ where: { id: roomId }, data: details });
        return seq;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return DUPLICATE;
      throw error;
    }
  }

  async setArchived({ roomId, archived, actorId, detail }: { roomId: string; archived: boolean; actorId: string | null; detail: string }) {
    const done = await inLogTransaction(this.db, async (tx) => {
      const room = await tx.room.findUnique({ where: { id: roomId } });
      if (!room) return null;
      if ((room.archivedAt !== null) === archived) return { room, seq: null };
      // The log takes entries only while the room is open: archive after the
      // entry, unarchive before it.
      if (!archived) await tx.room.update({ where: { id: roomId }, data: { archivedAt: null } });
      const seq = await appendToLog(tx, this.dialect, { roomId, type: 'room.updated', actorId, detail });
      if (archived) await tx.room.update({ where: { id: roomId }, data: { archivedAt: new Date() } });
      return { room: await tx.room.findUniqueOrThrow({ where: { id: roomId } }), seq };
    });
    if (done !== CLOSED) return done;
    // Archived by someone else between the read and the entry: it is so already.
    const room = await this.byId(roomId);
    return room ? { room, seq: null } : null;
  }

  async delete(roomId: string): Promise<string[] | null> {
    const members = await this.db.membership.findMany({ where: { roomId }, select: { userId: true } });
    const result = await this.db.room.deleteMany({ where: { id: roomId } });
    return result.count === 0 ? null : members.map((m) => m.userId);
  }

  count(): Promise<number> {
    return this.db.room.count();
  }
}
