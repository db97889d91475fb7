import type { Database, Statement } from 'better-sqlite3';
import type { Membership, Message, Room, User } from './generated/client.ts';
import type { Gate } from './serialized-adapter.ts';

/** Prisma's SQLite DateTime text: ISO-8601 with an explicit offset. */
const now = () => new Date().toISOString().replace('Z', '+00:00');
const date = (value: string | null) => (value === null ? null : new Date(value));

type Row = Record<string, unknown>;

function user(row: Row, prefix = 'u_'): User {
  return {
    id: row[`${prefix}id`] as string,
    username: row[`${prefix}username`] as string,
    displayName: row[`${prefix}displayName`] as string,
    passwordHash: row[`${prefix}passwordHash`] as string,
    role: row[`${prefix}role`] as string,
    deactivatedAt: date(row[`${prefix}deactivatedAt`] as string | null),
    createdAt: new Date(row[`${prefix}createdAt`] as string),
  };
}

const room = (row: Row): Room => ({
  id: row.id as string,
  name: row.name as string,
  kind: row.kind as string,
  directKey: row.directKey as string | null,
  lastSeq: row.lastSeq as number,
  createdById: row.createdById as string | null,
  archivedAt: date(row.archivedAt as string | null),
  createdAt: new Date(row.createdAt as string),
});

const message = (row: Row): Message => ({
  id: row.id as string,
  roomId: row.roomId as string,
  seq: row.seq as number,
  authorId: row.authorId as string,
  body: row.body as string | null,
  clientMessageId: row.clientMessageId as string,
  createdAt: new Date(row.createdAt as string),
  editedAt: date(row.editedAt as string | null),
  deletedAt: date(row.deletedAt as string | null),
});

export interface LogEntryWithMessage {
  seq: number;
  type: string;
  messageId: string | null;
  userId: string | null;
  message: Message | null;
}

type NewMessage = { id: string; roomId: string; authorId: string; body: string; clientMessageId: string };

interface QueuedMessage {
  input: NewMessage;
  resolve(message: Message | null): void;
  reject(error: unknown): void;
}

/**
 * The queries every sent message pays for (session, membership, the write
 * itself) and every subscription (last seq, members, log), as prepared
 * statements on Prisma's own SQLite connection. Through Prisma each query
 * costs ~250 µs of CPU here, which capped durable sends near 550/s; these cost
 * a few µs. They take the same gate as Prisma, and each runs synchronously, so
 * none can interleave with a transaction.
 */
export class SqliteFastPath {
  /** Messages waiting for the next group commit. */
  private queue: QueuedMessage[] = [];
  private readonly appendOne: (input: NewMessage) => Message | null;
  private readonly appendAll: (inputs: NewMessage[]) => Array<Message | null | Error>;
  private readonly statements: Record<'session' | 'access' | 'byClientId' | 'bump' | 'logEntry' | 'insert' | 'lastSeq' | 'memberIds' | 'log', Statement>;

  constructor(
    db: Database,
    private readonly gate: Gate,
  ) {
    const prepare = (sql: string) => db.prepare(sql).safeIntegers(false);
    this.statements = {
      session: prepare(`SELECT s.id AS s_id, s.userId AS s_userId, s.expiresAt AS s_expiresAt, s.revokedAt AS s_revokedAt,
          u.id AS u_id, u.username AS u_username, u.displayName AS u_displayName, u.passwordHash AS u_passwordHash,
          u.role AS u_role, u.deactivatedAt AS u_deactivatedAt, u.createdAt AS u_createdAt
        FROM "Session" s JOIN "User" u ON u.id = s.userId WHERE s.tokenHash = ?`),
      access: prepare(`SELECT r.*, m.userId AS m_userId, m.role AS m_role, m.readSeq AS m_readSeq,
          m.deliveredSeq AS m_deliveredSeq, m.joinedAt AS m_joinedAt, m.joinedSeq AS m_joinedSeq
        FROM "Room" r LEFT JOIN "Membership" m ON m.roomId = r.id AND m.userId = ? WHERE r.id = ?`),
      lastSeq: prepare(`SELECT lastSeq FROM "Room" WHERE id = ?`),
      log: prepare(`SELECT e.seq AS e_seq, e.type AS e_type, e.messageId AS e_messageId, e.userId AS e_userId, m.*
        FROM "RoomEvent" e LEFT JOIN "Message" m ON m.id = e.messageId
        WHERE e.roomId = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`),
      memberIds: prepare(`SELECT userId FROM "Membership" WHERE roomId = ?`).pluck(),
      byClientId: prepare(`SELECT * FROM "Message" WHERE authorId = ? AND clientMessageId = ?`),
      bump: prepare(`UPDATE "Room" SET lastSeq = lastSeq + 1 WHERE id = ? AND archivedAt IS NULL RETURNING lastSeq`),
      logEntry: prepare(`INSERT INTO "RoomEvent" (roomId, seq, type, messageId, userId, createdAt) VALUES (?, ?, 'message.created', ?, NULL, ?)`),
      insert: prepare(`INSERT INTO "Message" (id, roomId, seq, authorId, body, clientMessageId, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`),
    };
    // A transaction nested in another is a savepoint: one message that fails
    // (a duplicate clientMessageId) is rolled back alone, the others commit.
    this.appendOne = db.transaction((input: NewMessage) => this.append(input));
    this.appendAll = db.transaction((inputs: NewMessage[]) =>
      inputs.map((input) => {
        try {
          return this.appendOne(input);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }

  async session(tokenHash: string) {
    const row = (await this.gate.run(async () => this.statements.session.get(tokenHash))) as Row | undefined;
    if (!row) return null;
    return {
      id: row.s_id as string,
      userId: row.s_userId as string,
      expiresAt: new Date(row.s_expiresAt as string),
      revokedAt: date(row.s_revokedAt as string | null),
      user: user(row),
    };
  }

  /** The room, and the user's membership if any (undefined: no such room). */
  async access(roomId: string, userId: string): Promise<{ room: Room; membership: Membership | null } | undefined> {
    const row = (await this.gate.run(async () => this.statements.access.get(userId, roomId))) as Row | undefined;
    if (!row) return undefined;
    const membership: Membership | null =
      row.m_userId === null
        ? null
        : {
            roomId,
            userId,
            role: row.m_role as string,
            readSeq: row.m_readSeq as number,
            deliveredSeq: row.m_deliveredSeq as number,
            joinedAt: new Date(row.m_joinedAt as string),
            joinedSeq: row.m_joinedSeq as number,
          };
    return { room: room(row), membership };
  }

  /** The room's last seq (undefined: no such room). */
  async lastSeq(roomId: string): Promise<number | undefined> {
    const row = (await this.gate.run(async () => this.statements.lastSeq.get(roomId))) as { lastSeq: number } | undefined;
    return row?.lastSeq;
  }

  /** A page of the room's log after `afterSeq`, oldest first, each entry with its message as it is now. */
  async logAfter(roomId: string, afterSeq: number, limit: number): Promise<LogEntryWithMessage[]> {
    const rows = (await this.gate.run(async () => this.statements.log.all(roomId, afterSeq, limit))) as Row[];
    return rows.map((row) => ({
      seq: row.e_seq as number,
      type: row.e_type as string,
      messageId: row.e_messageId as string | null,
      userId: row.e_userId as string | null,
      message: row.id === null ? null : message(row),
    }));
  }

  async memberIds(roomId: string): Promise<string[]> {
    return (await this.gate.run(async () => this.statements.memberIds.all(roomId))) as string[];
  }

  async messageByClientId(authorId: string, clientMessageId: string): Promise<Message | null> {
    const row = (await this.gate.run(async () => this.statements.byClientId.get(authorId, clientMessageId))) as Row | undefined;
    return row ? message(row) : null;
  }

  /**
   * Takes the room's next seq, logs it and inserts the message. Resolves once
   * committed; null: the room is archived or gone. Messages sent in the same
   * turn of the event loop commit together (group commit): one transaction,
   * one write to the WAL, for all of them, which is most of what a send costs.
   */
  postMessage(input: NewMessage): Promise<Message | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => void this.commitQueued());
    });
  }

  private async commitQueued(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      const results = await this.gate.run(async () => this.appendAll(batch.map((queued) => queued.input)));
      batch.forEach((queued, i) => {
        const result = results[i] ?? null;
        if (result instanceof Error) queued.reject(result);
        else queued.resolve(result);
      });
    } catch (error) {
      for (const queued of batch) queued.reject(error);
    }
  }

  private append({ id, roomId, authorId, body, clientMessageId }: NewMessage): Message | null {
    const bumped = this.statements.bump.get(roomId) as { lastSeq: number } | undefined;
    if (!bumped) return null;
    const at = now();
    this.statements.logEntry.run(roomId, bumped.lastSeq, id, at);
    return message(this.statements.insert.get(id, roomId, bumped.lastSeq, authorId, body, clientMessageId, at) as Row);
  }
}
