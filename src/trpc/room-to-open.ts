/**
 * A room another page asks the chat page to open when it next starts (the
 * Account page's **Message**). The chat page reads its room from the address
 * while it renders, and a client-side navigation changes the address only
 * after that, so the room is handed over here instead.
 */
let next: string | null = null;

export function openRoomNext(roomId: string): void {
  next = roomId;
}

/** The room asked for, kept until forgotten: React may run a state initializer twice. */
export const roomToOpen = (): string | null => next;

/** Once the chat page has started with it (its address then names the room). */
export function forgetRoomToOpen(): void {
  next = null;
}
