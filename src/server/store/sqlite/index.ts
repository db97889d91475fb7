import type { Database } from 'better-sqlite3';
import type { Db } from '../../db/client.ts';
import type { Gate } from '../../db/serialized-adapter.ts';
import { PrismaMemberships } from '../prisma/memberships.ts';
import { PrismaMessages } from '../prisma/messages.ts';
import { PrismaRoomLog } from '../prisma/room-log.ts';
import { PrismaSessions } from '../prisma/sessions.ts';
import { createPrismaStore } from '../prisma/index.ts';
import type { LogEntry, Message, NewMessage, Store } from '../store.ts';
import { GroupCommit } from './group-commit.ts';
import { SqliteHidden } from './hidden.ts';
import { SqliteNotifications } from './notifications.ts';
import { membership, message, room, sessionWithUser, type Row } from './rows.ts';
import { prepareStatements, type Statements } from './statements.ts';

/**
 * SQLite: Prisma for the cold operations, and for the ones every message and
 * subscription pays for, prepared statements on Prisma's own connection. They
 * take the same gate as Prisma, and each runs synchronously, so none can
 * interleave with a transaction.
 */
export function createSqliteStore(db: Db, connection: Database, gate: Gate): Store {
  const statements = prepareStatements(connection);
  const on = { gate, statements };
  return {
    ...createPrismaStore(db, 'sqlite'),
    sessions: new SqliteSessions(db, on),
    memberships: new SqliteMemberships(db, on),
    messages: new SqliteMessages(db, on, new GroupCommit(connection, gate, statements)),
    log: new SqliteRoomLog(db, on),
    notifications: new SqliteNotifications(db, connection, gate),
    hidden: new SqliteHidden(db, connection, gate),
  };
}

interface Connection {
  gate: Gate;
  statements: Statements;
}

class SqliteSessions extends PrismaSessions {
  constructor(
    db: Db,
    private readonly on: Connection,
  ) {
    super(db);
  }

  override async byTokenHash(tokenHash: string) {
    const row = (await this.on.gate.run(async () => this.on.statements.session.get(tokenHash))) as Row | undefined;
    return row ? sessionWithUser(row) : null;
  }
}

class SqliteMemberships extends PrismaMemberships {
  constructor(
    db: Db,
    private readonly on: Connection,
  ) {
    super(db, 'sqlite');
  }

  override async access(roomId: string, userId: string) {
    const row = (await this.on.gate.run(async () => this.on.statements.access.get(userId, roomId))) as Row | undefined;
    return row ? { room: room(row), membership: membership(row, roomId, userId) } : undefined;
  }

  override async memberIds(roomId: string): Promise<string[]> {
    return (await this.on.gate.run(async () => this.on.statements.memberIds.all(roomId))) as string[];
  }

  override async namedAmong(roomId: string, usernames: string[]): Promise<string[]> {
    if (usernames.length === 0) return [];
    return (await this.on.gate.run(async () => this.on.statements.namedAmong.all(roomId, JSON.stringify(usernames)))) as string[];
  }
}

class SqliteMessages extends PrismaMessages {
  constructor(
    db: Db,
    private readonly on: Connection,
    private readonly groupCommit: GroupCommit,
  ) {
    super(db, 'sqlite');
  }

  override append(input: NewMessage) {
    return this.groupCommit.append(input);
  }

  override async byClientId(authorId: string, clientMessageId: string): Promise<Message | null> {
    const row = (await this.on.gate.run(async () => this.on.statements.byClientId.get(authorId, clientMessageId))) as Row | undefined;
    return row ? message(row) : null;
  }
}

class SqliteRoomLog extends PrismaRoomLog {
  constructor(
    db: Db,
    private readonly on: Connection,
  ) {
    super(db);
  }

  override async lastSeq(roomId: string): Promise<number | undefined> {
    const row = (await this.on.gate.run(async () => this.on.statements.lastSeq.get(roomId))) as { lastSeq: number } | undefined;
    return row?.lastSeq;
  }

  /** The page and its messages in one query. */
  override async entriesAfter(roomId: string, afterSeq: number, limit: number): Promise<LogEntry[]> {
    const rows = (await this.on.gate.run(async () => this.on.statements.log.all(roomId, afterSeq, limit))) as Row[];
    return rows.map((row) => ({
      seq: row.e_seq as number,
      type: row.e_type as string,
      messageId: row.e_messageId as string | null,
      userId: row.e_userId as string | null,
      actorId: row.e_actorId as string | null,
      detail: row.e_detail as string | null,
      message: row.id === null ? null : message(row),
    }));
  }
}
