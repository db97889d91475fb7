import { TRPCClientError } from '@trpc/client';
import type { UserStreamEvent } from '../server/realtime/user-stream.ts';
import { nameAndHandle, type Named } from './people.ts';

/** The events.user events this module handles: contact lists, and what I deleted for myself elsewhere. */
export type ContactsEvent = Extract<UserStreamEvent, { type: 'contact.changed' | 'message.hidden' | 'room.hidden' }>;

export const isContactsEvent = (event: UserStreamEvent): event is ContactsEvent =>
  event.type === 'contact.changed' || event.type === 'message.hidden' || event.type === 'room.hidden';

/**
 * Whom a refused `rooms.direct` or `rooms.addMembers` says I can reach only
 * through a contact request (`error.data.needsRequest`); empty for any other
 * error, a block among them (which no request can get past).
 */
export function needsRequest(error: unknown): readonly string[] {
  if (!(error instanceof TRPCClientError)) return [];
  const ids = (error.data as { needsRequest?: unknown } | null | undefined)?.needsRequest;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/** Why the server refused, in words that name the person. */
export const reachSentence = (person: Named, what: 'messages' | 'invitations'): string =>
  `${nameAndHandle(person)} only gets ${what} from people they share a room with or have accepted as a contact.`;

/** What a sent request did: `accepted` when they had asked me first. */
export const requestSentence = (person: Named, status: 'pending' | 'accepted'): string =>
  status === 'accepted' ? `${nameAndHandle(person)} is now a contact.` : `Request sent. You can write to ${person.displayName} once they accept.`;

/**
 * A direct room of two whose other person I blocked: its composer says so
 * rather than sending into a conversation they cannot answer. (The server
 * refuses only sends to someone who blocked the sender: the outbox's failed
 * state says that one.) Null in every other room.
 */
export function blockedOther<P extends { userId: string }>(kind: string, members: readonly P[], meId: string, blockedIds: ReadonlySet<string>): P | null {
  if (kind !== 'direct') return null;
  const others = members.filter((m) => m.userId !== meId);
  return others.length === 1 && blockedIds.has(others[0]!.userId) ? others[0]! : null;
}

export const blockedNote = (person: Named): string => `You blocked ${person.displayName}. Unblock to send messages.`;
