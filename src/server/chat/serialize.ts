import type { Message, Room } from '../store/store.ts';
import type { PublicMessage } from './room-events.ts';

export type Reactions = PublicMessage['reactions'];

/** `reactions`: as the store read them for this message (none where it did not: a new message has none). */
export const toPublicMessage = (message: Message, reactions: Reactions = []): PublicMessage => ({
  id: message.id,
  seq: message.seq,
  roomId: message.roomId,
  authorId: message.authorId,
  body: message.body ?? '',
  clientMessageId: message.clientMessageId,
  createdAt: message.createdAt.toISOString(),
  editedAt: message.editedAt?.toISOString() ?? null,
  deletedAt: message.deletedAt?.toISOString() ?? null,
  mentions: message.deletedAt ? [] : mentionIdsOf(message.mentionIds),
  mentionsRoom: message.deletedAt ? false : message.mentionsRoom,
  replyToId: message.replyToId,
  inRoom: message.inRoom,
  replyCount: message.replyCount,
  lastReplyAt: message.lastReplyAt?.toISOString() ?? null,
  threadIndex: message.threadIndex,
  reactions: message.deletedAt ? [] : reactions,
});

/** Message.mentionIds is a JSON array of user ids; anything else reads as none. */
function mentionIdsOf(json: string): string[] {
  if (json === '[]') return [];
  try {
    const ids: unknown = JSON.parse(json);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export type RoomKind = 'open' | 'closed' | 'direct';

export interface PublicRoom {
  id: string;
  name: string;
  topic: string;
  kind: RoomKind;
  lastSeq: number;
  archived: boolean;
  createdAt: string;
  /** Direct rooms: who is in them (their name is derived from these). */
  memberIds?: string[];
}

export const toPublicRoom = (room: Room, memberIds?: string[]): PublicRoom => ({
  id: room.id,
  name: room.name,
  topic: room.topic,
  kind: room.kind as RoomKind,
  lastSeq: room.lastSeq,
  archived: room.archivedAt !== null,
  createdAt: room.createdAt.toISOString(),
  ...(room.kind === 'direct' && memberIds ? { memberIds } : {}),
});
