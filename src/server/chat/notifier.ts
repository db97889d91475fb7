import type { PublicMessage } from './room-events.ts';
import type { RoomKind } from './serialize.ts';

/**
 * Decides who hears about what (mentions, direct messages, contact requests,
 * being added to a room), writes their notifications and tells their pages
 * (events.user), their desktops and, when they have no open connection, their
 * devices (push). Called after the change it is about has committed; it never
 * delays or fails that change: its work is queued, bounded, and logged when it fails.
 */
export class Notifier {
  /** A message was posted (committed and published). */
  messagePosted(_posted: { roomId: string; roomKind: RoomKind; message: PublicMessage }): void {}
  /** People were added to a room by someone else. */
  addedToRoom(_added: { roomId: string; userIds: string[]; actorId: string }): void {}
  contactRequested(_request: { requesterId: string; addresseeId: string }): void {}
  contactAccepted(_answer: { requesterId: string; addresseeId: string }): void {}
  /** Resolves when no notification work is queued or running (tests, shutdown). */
  async idle(): Promise<void> {}
}
