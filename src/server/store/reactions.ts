/** A message's reactions: each emoji once, ordered by its oldest reaction still there; its users in the order they reacted. */
export type ReactionList = Array<{ emoji: string; userIds: string[] }>;

/** store.ts CLOSED (not imported: store.ts imports this file): the room takes no entries. */
type Closed = 'closed';

export interface ReactionChange {
  messageId: string;
  roomId: string;
  userId: string;
  emoji: string;
}

/** Reactions (chat/reactions.ts): each change is a reaction.added / reaction.removed entry of the room log. */
export interface ReactionStore {
  /**
   * Adds it and logs reaction.added, in one transaction: its seq. 'unchanged': it was there;
   * 'deleted': the message is deleted (or gone); 'too-many-emoji' / 'too-many-mine': the message has
   * `maxEmoji` distinct emoji already (this one new), or the user `maxPerUser` reactions on it.
   */
  add(
    change: ReactionChange,
    caps: { maxEmoji: number; maxPerUser: number },
  ): Promise<number | 'unchanged' | 'deleted' | 'too-many-emoji' | 'too-many-mine' | Closed>;
  /** Removes it and logs reaction.removed, in one transaction: its seq. 'unchanged': it was not there. */
  remove(change: ReactionChange): Promise<number | 'unchanged' | Closed>;
  /** The reactions of each of these messages (one query); a message with none is absent. */
  of(messageIds: string[]): Promise<Map<string, ReactionList>>;
}
