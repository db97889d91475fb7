import type { Membership, Message, Room, Session, User } from '../store.ts';

/** Rows of the prepared statements, read back into the models Prisma would return. */
export type Row = Record<string, unknown>;

/** Prisma's SQLite DateTime text: ISO-8601 with an explicit offset. */
export const now = () => new Date().toISOString().replace('Z', '+00:00');
const date = (value: string | null) => (value === null ? null : new Date(value));

export function user(row: Row, prefix = 'u_'): User {
  return {
    id: row[`${prefix}id`] as string,
    username: row[`${prefix}username`] as string,
    displayName: row[`${prefix}displayName`] as string,
    passwordHash: row[`${prefix}passwordHash`] as string,
    role: row[`${prefix}role`] as string,
    deactivatedAt: date(row[`${prefix}deactivatedAt`] as string | null),
    createdAt: new Date(row[`${prefix}createdAt`] as string),
    pushPreview: Boolean(row[`${prefix}pushPreview`]),
  };
}

export const sessionWithUser = (row: Row): Session & { user: User } => ({
  id: row.s_id as string,
  tokenHash: row.s_tokenHash as string,
  userId: row.s_userId as string,
  createdAt: new Date(row.s_createdAt as string),
  expiresAt: new Date(row.s_expiresAt as string),
  revokedAt: date(row.s_revokedAt as string | null),
  lastSeenAt: date(row.s_lastSeenAt as string | null),
  userAgent: row.s_userAgent as string | null,
  user: user(row),
});

export const room = (row: Row): Room => ({
  id: row.id as string,
  name: row.name as string,
  nameKey: row.nameKey as string | null,
  topic: row.topic as string,
  kind: row.kind as string,
  directKey: row.directKey as string | null,
  lastSeq: row.lastSeq as number,
  createdById: row.createdById as string | null,
  archivedAt: date(row.archivedAt as string | null),
  createdAt: new Date(row.createdAt as string),
});

export const membership = (row: Row, roomId: string, userId: string): Membership | null =>
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
        notify: row.m_notify as string | null,
        hidden: Boolean(row.m_hidden),
        clearedSeq: row.m_clearedSeq as number,
      };

export const message = (row: Row): Message => ({
  id: row.id as string,
  roomId: row.roomId as string,
  seq: row.seq as number,
  authorId: row.authorId as string,
  body: row.body as string | null,
  clientMessageId: row.clientMessageId as string,
  createdAt: new Date(row.createdAt as string),
  editedAt: date(row.editedAt as string | null),
  deletedAt: date(row.deletedAt as string | null),
  mentionIds: row.mentionIds as string,
  mentionsRoom: Boolean(row.mentionsRoom),
  replyToId: row.replyToId as string | null,
  inRoom: Boolean(row.inRoom),
  replyCount: row.replyCount as number,
  lastReplyAt: date(row.lastReplyAt as string | null),
  threadIndex: row.threadIndex as number | null,
});
