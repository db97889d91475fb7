/** Contact requests and blocks (chat/contacts.ts). */
export interface ContactStore {
  /** Which of `userIds` have blocked `userId`. */
  blockersAmong(userId: string, userIds: string[]): Promise<string[]>;
}
