import type { Database, Statement } from 'better-sqlite3';
import { takeNextSeqSql } from '../room-seq.ts';

export type Statements = Record<
  'session' | 'access' | 'byClientId' | 'takeNextSeq' | 'logEntry' | 'insert' | 'mention' | 'namedAmong' | 'lastSeq' | 'memberIds' | 'log',
  Statement
>;

/**
 * The queries every sent message pays for (session, membership, the write
 * itself) and every subscription (last seq, members, log), prepared once.
 * Through Prisma each query costs ~250 µs of CPU here, which capped durable
 * sends near 550/s; these cost a few µs.
 */
export function prepareStatements(db: Database): Statements {
  const prepare = (sql: string) => db.prepare(sql).safeIntegers(false);
  return {
    session: prepare(`SELECT s.id AS s_id, s.tokenHash AS s_tokenHash, s.userId AS s_userId, s.createdAt AS s_createdAt,
        s.expiresAt AS s_expiresAt, s.revokedAt AS s_revokedAt, s.lastSeenAt AS s_lastSeenAt, s.userAgent AS s_userAgent,
        u.id AS u_id, u.username AS u_username, u.displayName AS u_displayName, u.passwordHash AS u_passwordHash,
        u.role AS u_role, u.deactivatedAt AS u_deactivatedAt, u.createdAt AS u_createdAt, u.pushPreview AS u_pushPreview
      FROM "Session" s JOIN "User" u ON u.id = s.userId WHERE s.tokenHash = ?`),
    access: prepare(`SELECT r.*, m.userId AS m_userId, m.role AS m_role, m.readSeq AS m_readSeq,
        m.deliveredSeq AS m_deliveredSeq, m.joinedAt AS m_joinedAt, m.joinedSeq AS m_joinedSeq,
        m.notify AS m_notify, m.hidden AS m_hidden, m.clearedSeq AS m_clearedSeq
      FROM "Room" r LEFT JOIN "Membership" m ON m.roomId = r.id AND m.userId = ? WHERE r.id = ?`),
    lastSeq: prepare(`SELECT lastSeq FROM "Room" WHERE id = ?`),
    log: prepare(`SELECT e.seq AS e_seq, e.type AS e_type, e.messageId AS e_messageId, e.userId AS e_userId, e.actorId AS e_actorId, e.detail AS e_detail, m.*
      FROM "RoomEvent" e LEFT JOIN "Message" m ON m.id = e.messageId
      WHERE e.roomId = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`),
    memberIds: prepare(`SELECT userId FROM "Membership" WHERE roomId = ?`).pluck(),
    byClientId: prepare(`SELECT * FROM "Message" WHERE authorId = ? AND clientMessageId = ?`),
    takeNextSeq: prepare(takeNextSeqSql('?')),
    logEntry: prepare(`INSERT INTO "RoomEvent" (roomId, seq, type, messageId, userId, createdAt) VALUES (?, ?, 'message.created', ?, NULL, ?)`),
    insert: prepare(`INSERT INTO "Message" (id, roomId, seq, authorId, body, clientMessageId, createdAt, mentionIds, mentionsRoom)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`),
    mention: prepare(`INSERT INTO "Mention" (messageId, userId, roomId, seq) VALUES (?, ?, ?, ?)`),
    // A send with @names resolves them: the names go in as one JSON array, so one statement serves any number of them.
    namedAmong: prepare(`SELECT m.userId FROM "Membership" m JOIN "User" u ON u.id = m.userId
      WHERE m.roomId = ? AND u.username IN (SELECT value FROM json_each(?))`).pluck(),
  };
}
