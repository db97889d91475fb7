import type { Notification } from '../db/generated/client.ts';

export type { Notification };

/** A member who may hear of a message, with the level they chose (null: the room kind's default). */
export interface Candidate {
  userId: string;
  notify: string | null;
}

export interface NewNotification {
  id: string;
  userId: string;
  kind: string;
  roomId?: string | null;
  messageId?: string | null;
  seq?: number | null;
  actorId?: string | null;
  createdAt: Date;
}

/** What a feed item shows besides its row: its room, its actor and its message as they are now. */
export interface NotificationDetails {
  rooms: Map<string, { name: string; kind: string }>;
  people: Map<string, { username: string; displayName: string }>;
  /** The message's current text; null: deleted. */
  texts: Map<string, string | null>;
}

/** Which of a user's unread notifications to mark read. */
export type ReadSelection = { all: true } | { ids: string[] } | { roomId: string; upToSeq: number };

/** The notification feed (chat/notifications.ts). */
export interface NotificationStore {
  /**
   * The room's members, not the author, who could hear of a message: with
   * `everyone` (a direct room, @room) all of them, otherwise those who chose
   * level all and those in `mentionIds`. Runs for every sent message: index
   * lookups only, never a scan of a large room's members.
   */
  candidates(query: { roomId: string; authorId: string; mentionIds: string[]; everyone: boolean }): Promise<Candidate[]>;
  /** Writes new rows; returns them. */
  add(rows: NewNotification[]): Promise<Notification[]>;
  /**
   * A message that is not a mention, for each user: their one unread
   * notification of `kind` in the room takes it (count + 1, its id, seq, actor
   * and time), or a new row is written. Returns each user's row as it is now.
   */
  collapse(message: {
    kind: string;
    roomId: string;
    messageId: string;
    seq: number;
    actorId: string;
    userIds: string[];
    at: Date;
    newId: () => string;
  }): Promise<Notification[]>;
  /** The user's notifications, newest first (createdAt, then id), after the `before` position. */
  page(userId: string, page: { before?: { createdAt: Date; id: string }; limit: number }): Promise<Notification[]>;
  details(rows: Notification[]): Promise<NotificationDetails>;
  /** Unread notifications per user (users with none are left out). */
  unreadCounts(userIds: string[]): Promise<Map<string, number>>;
  /** Marks the selected unread notifications of the user read; the number changed. */
  markRead(userId: string, which: ReadSelection, at: Date): Promise<number>;
  /** An unread notification of this kind from this actor, with no room (a pending contact request). */
  unreadFrom(userId: string, kind: string, actorId: string): Promise<Notification | null>;
  /** Keeps the user's newest `keep` notifications and deletes the rest; the number deleted. */
  prune(userId: string, keep: number): Promise<number>;
}
