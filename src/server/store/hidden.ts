/** Delete for me (chat/hide.ts): messages and conversations one member no longer sees; the others keep them. */
export interface HiddenStore {
  /** false: hidden already. */
  hideMessage(hidden: { userId: string; messageId: string; roomId: string; seq: number }): Promise<boolean>;
  /** The ids of the room's messages the user hid, those with fromSeq <= seq <= toSeq (or all). */
  messageIdsIn(userId: string, roomId: string, range?: { fromSeq: number; toSeq: number }): Promise<string[]>;
  /**
   * In one transaction: the membership is hidden, cleared up to the room's
   * last seq (its new clearedSeq, returned) and read and delivered up to it.
   */
  hideRoom(roomId: string, userId: string): Promise<number | 'not-member'>;
}
