import type { Invite, Membership, Message, PasswordLink, Room, Session, User } from '../db/generated/client.ts';
import type { Db } from '../db/client.ts';
import type { ContactStore } from './contacts.ts';
import type { HiddenStore } from './hidden.ts';
import type { NotificationStore } from './notifications.ts';
import type { PushStore } from './push.ts';
import type { ReactionStore } from './reactions.ts';

export type { Invite, Membership, Message, PasswordLink, Room, Session, User };

/** The room is archived (read-only) or gone: it takes no new log entries. */
export const CLOSED = 'closed';
/** (author, clientMessageId) was taken already: a retry of an accepted send. */
export const DUPLICATE = 'duplicate';

export type RoomKind = 'open' | 'closed' | 'direct';
export type MemberRole = 'admin' | 'member';
/** A join as the log recorded it. */
export interface Joined {
  userId: string;
  seq: number;
  /** Who added them; null: they joined themselves. */
  actorId: string | null;
}
export interface Unread {
  unread: number;
  /** Of those, the ones that mention the user or @room. */
  mentions: number;
  /** The room's lastSeq when counted: later messages are not in `unread`. */
  lastSeq: number;
}
export interface LogEntry {
  seq: number;
  type: string;
  messageId: string | null;
  userId: string | null;
  /** Who made the change, where it was someone else than `userId` (or a room change). */
  actorId: string | null;
  /** room.updated: what changed, as the domain wrote it (JSON). */
  detail: string | null;
  /** The entry's message as it is now (edited, deleted), if it names one. */
  message: Message | null;
}
export interface NewMessage {
  id: string;
  roomId: string;
  authorId: string;
  body: string;
  clientMessageId: string;
  /** Members it mentions (a Mention row each, written with it) and whether it mentions @room; none if absent. */
  mentionIds?: string[];
  mentionsRoom?: boolean;
}

/** What a message mentions, as chat/mentions.ts resolved it. */
export interface Mentions {
  mentionIds: string[];
  mentionsRoom: boolean;
}

export interface RoomLogStore {
  /** undefined: no such room. */
  lastSeq(roomId: string): Promise<number | undefined>;
  /** Entries after `afterSeq`, oldest first. */
  entriesAfter(roomId: string, afterSeq: number, limit: number): Promise<LogEntry[]>;
  /** Entries that name no message (member.*, room.updated) with afterSeq < seq < beforeSeq, newest `limit` of them, oldest first. */
  roomEntriesBetween(roomId: string, range: { afterSeq: number; beforeSeq: number; limit: number }): Promise<LogEntry[]>;
}

/** A change to a room's details: the name with its case-folded key, or the topic. */
export type RoomDetails = { name: string; nameKey: string } | { topic: string };

export interface MessageStore {
  /** Takes the room's next seq, logs it and writes the message, in one transaction. */
  append(message: NewMessage): Promise<Message | typeof DUPLICATE | typeof CLOSED>;
  byClientId(authorId: string, clientMessageId: string): Promise<Message | null>;
  byId(messageId: string): Promise<Message | null>;
  /** 'deleted': the message is (or became) deleted, nothing changed. Its mentions (none if absent) replace the old ones. */
  edit(message: { id: string; roomId: string; body: string } & Partial<Mentions>): Promise<{ seq: number; message: Message } | 'deleted' | typeof CLOSED>;
  /** Blanks the text and its mentions and logs it; 'deleted': it was already. */
  erase(message: { id: string; roomId: string }): Promise<number | 'deleted' | typeof CLOSED>;
  /** Undeleted messages below `beforeSeq`, newest first. */
  newestBefore(page: { roomId: string; beforeSeq?: number; limit: number }): Promise<Message[]>;
}

export interface MembershipStore {
  /** The room and the user's membership (null: not a member); undefined: no such room. */
  access(roomId: string, userId: string): Promise<{ room: Room; membership: Membership | null } | undefined>;
  memberIds(roomId: string): Promise<string[]>;
  roomIdsOf(userId: string): Promise<string[]>;
  /** Which of `userIds` are members already. */
  membersAmong(roomId: string, userIds: string[]): Promise<string[]>;
  /** The ids of members whose username is one of `usernames` (lowercase). */
  namedAmong(roomId: string, usernames: string[]): Promise<string[]>;
  /** Sets the member's notification level (null: the room kind's default); false: not a member. */
  setNotify(roomId: string, userId: string, level: string | null): Promise<boolean>;
  /** Each join takes a seq, kept as the membership's joinedSeq; all or none. `actorId`: who added them (null: themselves). */
  grant(grant: { roomId: string; userIds: string[]; role: MemberRole; actorId: string | null }): Promise<Joined[] | typeof CLOSED>;
  /** The seq of the member.left entry. `actorId`: who removed them (null: themselves). */
  revoke(roomId: string, userId: string, actorId: string | null): Promise<number | 'not-member' | typeof CLOSED>;
  /** Sets the member's room role and logs it (room.updated with `detail`), in one transaction. */
  setRole(change: { roomId: string; userId: string; role: MemberRole; actorId: string; detail: string }): Promise<number | 'not-member' | typeof CLOSED>;
  /** Members with their users, first joined first. */
  withUsers(roomId: string): Promise<Array<Membership & { user: User }>>;
  others(roomId: string, exceptUserId: string): Promise<Membership[]>;
  find(roomId: string, userId: string): Promise<Membership | null>;
  /** Moves the positions forward only (another device may have moved them meanwhile). */
  advance(position: { roomId: string; userId: string; deliveredSeq: number; readSeq: number }): Promise<void>;
  /** Per room: messages after the read position, not the user's, not deleted, and those of them that mention the user or @room; one consistent snapshot. */
  unread(userId: string, roomId?: string): Promise<Map<string, Unread>>;
}

export interface RoomStore {
  /** The room with its first members (in that order); DUPLICATE: its directKey or nameKey exists. */
  create(
    room: { id: string; name: string; nameKey?: string; kind: RoomKind; createdById: string | null; directKey?: string },
    members: Array<{ userId: string; role: MemberRole }>,
  ): Promise<{ room: Room; joined: Joined[] } | typeof DUPLICATE>;
  byId(roomId: string): Promise<Room | null>;
  byDirectKey(directKey: string): Promise<Room | null>;
  /** The user's rooms, first joined first; direct rooms with their member ids. */
  listedFor(
    userId: string,
  ): Promise<Array<{ room: Room; role: string; readSeq: number; notify: string | null; directMemberIds: string[]; hidden: boolean; clearedSeq: number }>>;
  /** Open, unarchived rooms the user is not in, by name. */
  browsableBy(userId: string, limit: number): Promise<Array<{ room: Room; memberCount: number }>>;
  all(): Promise<Array<{ room: Room; memberCount: number; messageCount: number }>>;
  /** Another room with this nameKey, if any. */
  byNameKey(nameKey: string): Promise<Room | null>;
  /** Changes the name or topic and logs it (room.updated with `detail`); DUPLICATE: the nameKey is taken. */
  change(change: { roomId: string; actorId: string | null; details: RoomDetails; detail: string }): Promise<number | typeof DUPLICATE | typeof CLOSED>;
  /**
   * Archives or unarchives and logs it (room.updated with `detail`; an archive's
   * entry is the last the room takes). `seq` null: it was so already. null: no such room.
   */
  setArchived(change: { roomId: string; archived: boolean; actorId: string | null; detail: string }): Promise<{ room: Room; seq: number | null } | null>;
  /** Deletes it with its log; returns who were members (null: no such room). */
  delete(roomId: string): Promise<string[] | null>;
  count(): Promise<number>;
}

/** Inside one transaction that every change to who is an admin takes in turn. */
export interface AdminLine {
  userCount(): Promise<number>;
  /** Throws Duplicate (store/errors.ts) when the username is taken. */
  createUser(user: { id: string; username: string; displayName: string; passwordHash: string; role: MemberRole }): Promise<User>;
  userById(userId: string): Promise<User | null>;
  activeAdminIds(): Promise<string[]>;
  setRole(userId: string, role: MemberRole): Promise<User | null>;
  /** Deactivates the user and revokes their sessions; false: no such user. */
  deactivate(userId: string, at: Date): Promise<boolean>;
  /** Takes one use of a live invite (not revoked, not expired, a use left); false: nothing to take. */
  redeemInvite(tokenHash: string, now: Date): Promise<boolean>;
}

export interface AccountStore {
  byUsername(username: string): Promise<User | null>;
  byId(userId: string): Promise<User | null>;
  /** Those of `userIds` that name active users. */
  activeIds(userIds: string[]): Promise<string[]>;
  search(search: { query?: string; activeOnly: boolean; orderBy: 'username' | 'createdAt'; limit: number }): Promise<User[]>;
  reactivate(userId: string): Promise<boolean>;
  count(): Promise<number>;
  /** Whether any account has the admin role (a server without one is not set up). */
  hasAdmin(): Promise<boolean>;
  setDisplayName(userId: string, displayName: string): Promise<User | null>;
  /** Sets the password and revokes the user's sessions but `keepSessionId`, in one transaction; the ids revoked. */
  setPassword(change: { userId: string; passwordHash: string; keepSessionId?: string; at: Date }): Promise<string[]>;
  inAdminLine<T>(work: (line: AdminLine) => Promise<T>): Promise<T>;
}

export interface NewSession {
  id: string;
  tokenHash: string;
  userId: string;
  expiresAt: Date;
  userAgent?: string | null;
  createdAt?: Date;
  lastSeenAt?: Date;
}

export interface SessionStore {
  create(session: NewSession): Promise<Session>;
  byTokenHash(tokenHash: string): Promise<(Session & { user: User }) | null>;
  revoke(sessionId: string, at: Date): Promise<void>;
  /** Of these sessions, the unrevoked, unexpired ones of active users, with the user's role. */
  liveRoles(sessionIds: string[], now: Date): Promise<Array<{ id: string; role: string }>>;
  /** The user's unrevoked, unexpired sessions, newest first. */
  liveOf(userId: string, now: Date, limit: number): Promise<Session[]>;
  /** Revokes the user's live sessions (all, or one, or all but one); the ids revoked. */
  revokeOf(userId: string, at: Date, which: { only?: string; except?: string }): Promise<string[]>;
  /** Sets lastSeenAt to `now` on those of these sessions last seen before `before` (or never). */
  touch(sessionIds: string[], now: Date, before: Date): Promise<void>;
}

/** Invitation links and one-time password links; their tokens are held only as hashes. */
export interface LinkStore {
  createInvite(invite: { id: string; tokenHash: string; createdById: string | null; expiresAt: Date; maxUses: number }): Promise<Invite>;
  /** Newest first. */
  invites(limit: number): Promise<Invite[]>;
  inviteByTokenHash(tokenHash: string): Promise<Invite | null>;
  /** false: no such invite, or revoked already. */
  revokeInvite(inviteId: string, at: Date): Promise<boolean>;
  /** A new link for the user; their earlier unused links stop working. */
  createPasswordLink(link: { id: string; tokenHash: string; userId: string; purpose: 'reset' | 'set'; expiresAt: Date }, now: Date): Promise<PasswordLink>;
  passwordLinkByTokenHash(tokenHash: string): Promise<(PasswordLink & { user: User }) | null>;
  /**
   * In one transaction: marks the live link used, sets its user's password and
   * revokes all their sessions (the ids revoked). null: the link was not live (used, expired, unknown).
   */
  consumePasswordLink(tokenHash: string, passwordHash: string, now: Date): Promise<{ link: PasswordLink; revokedSessionIds: string[] } | null>;
}

/**
 * Everything the domain asks of storage. Two implementations, chosen once
 * from DATABASE_URL (store/open.ts): Prisma (PostgreSQL, or SQLite) and SQLite
 * (Prisma for cold operations, prepared statements for the per-message ones).
 */
export interface Store {
  accounts: AccountStore;
  sessions: SessionStore;
  links: LinkStore;
  rooms: RoomStore;
  memberships: MembershipStore;
  messages: MessageStore;
  log: RoomLogStore;
  notifications: NotificationStore;
  contacts: ContactStore;
  hidden: HiddenStore;
  reactions: ReactionStore;
  push: PushStore;
  /** A round trip to the database (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The Prisma client underneath, for tests and operators reading state; the domain never uses it. */
  readonly prisma: Db;
}
