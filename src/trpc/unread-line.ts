import type { Message } from './timeline.ts';

/** My read position and the room's last seq when I opened it. */
export interface AtOpen {
  readSeq: number;
  lastSeq: number;
}

/**
 * Where the "New messages" line goes: above the first message after my read
 * position as it was when I opened the room (not as it moves while I read, so
 * the line stays put), not counting my own nor those that arrived while I
 * watched. Null: nothing was new.
 */
export function firstUnread(messages: readonly Message[], { readSeq, lastSeq, meId }: AtOpen & { meId: string }): Message | null {
  return messages.find((m) => m.seq > readSeq && m.seq <= lastSeq && m.authorId !== meId) ?? null;
}

/** Whether older pages still hold the first unread: the oldest loaded message is itself unread. */
export const unreadBeyondLoaded = (messages: readonly Message[], { readSeq, lastSeq, hasOlder }: AtOpen & { hasOlder: boolean }): boolean =>
  hasOlder && readSeq < lastSeq && (messages[0] === undefined || messages[0].seq > readSeq + 1);
