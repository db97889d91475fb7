import type { User } from '../db/generated/client.ts';

/** A contact request's answer: a Contact row's `status`. */
export type ContactStatus = 'pending' | 'accepted' | 'declined';

/** What `request` did: sent one, accepted theirs, or found the pair already so; `full`: too many pending already. */
export type RequestOutcome = 'requested' | 'accepted' | 'pending' | 'contacts' | 'declined' | 'full';

export interface ContactLists {
  contacts: User[];
  /** Pending requests to the user, oldest first, with when they were sent. */
  incoming: Array<{ user: User; at: Date }>;
  outgoing: Array<{ user: User; at: Date }>;
  blocked: User[];
}

/** Contact requests and blocks (chat/contacts.ts, chat/blocks.ts). */
export interface ContactStore {
  /** Which of `userIds` have blocked `userId`. */
  blockersAmong(userId: string, userIds: string[]): Promise<string[]>;
  /** Whether `blockerId` has blocked `blockedId`. */
  blocks(blockerId: string, blockedId: string): Promise<boolean>;
  /** Of `userIds`, those who share a room with `userId` or are its accepted contacts (either side asked). */
  reachableAmong(userId: string, userIds: string[]): Promise<string[]>;
  /**
   * In one transaction: a pending request of theirs is accepted (both become
   * contacts); otherwise a new pending request, unless one exists, they are
   * contacts, it was declined, or the requester has `pendingMax` pending already.
   */
  request(request: { requesterId: string; addresseeId: string; pendingMax: number }): Promise<RequestOutcome>;
  /** Answers a pending request from `requesterId`; false: there is none. */
  answer(answer: { requesterId: string; addresseeId: string; status: 'accepted' | 'declined'; at: Date }): Promise<boolean>;
  /** Blocks and forgets any request or contact between the two, in one transaction; 'full': `blocksMax` blocks already. */
  block(block: { blockerId: string; blockedId: string; blocksMax: number }): Promise<'blocked' | 'full'>;
  /** false: there was no such block. */
  unblock(blockerId: string, blockedId: string): Promise<boolean>;
  /** At most `limit` of each, with the people named. */
  listsOf(userId: string, limit: number): Promise<ContactLists>;
}
