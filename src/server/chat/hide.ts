import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Membership, Store } from '../store/store.ts';
import { messagesBefore, type MessageAccess } from './messages.ts';
import type { DurableRoomEvent } from './room-events.ts';

type Deps = { store: Pick<Store, 'hidden'>; bus: EventBus };

/**
 * Delete for me: the message leaves my history and my streams' replays
 * (messages.history, realtime/room-subscriber.ts); the others keep it. My
 * other devices hear of it on events.user. Hiding twice is a no-op.
 */
export async function hideMessage(deps: Deps, { access, userId }: { access: MessageAccess; userId: string }) {
  const { message } = access;
  const hidden = await deps.store.hidden.hideMessage({ userId, messageId: message.id, roomId: message.roomId, seq: message.seq });
  if (hidden) await deps.bus.publish(channels.user(userId), { type: 'message.hidden', userId, roomId: message.roomId, messageId: message.id });
  return { ok: true as const };
}

/**
 * Delete a direct conversation for me: it is read, leaves my rooms.list until
 * a message above the seq it was cleared at arrives, and my history starts
 * above that seq for good. The others keep everything.
 */
export async function hideRoom(deps: Deps, { access, userId }: { access: { room: { id: string; kind: string } }; userId: string }) {
  const { room } = access;
  if (room.kind !== 'direct') throw new AppError('BAD_REQUEST', 'Only a direct conversation can be deleted for yourself; leave the room instead');
  const clearedSeq = await deps.store.hidden.hideRoom(room.id, userId);
  if (clearedSeq === 'not-member') throw new AppError('NOT_FOUND', 'No such room');
  await deps.bus.publish(channels.user(userId), { type: 'room.hidden', userId, roomId: room.id, clearedSeq });
  await deps.bus.publish(channels.user(userId), { type: 'read', userId, roomId: room.id, readSeq: clearedSeq });
  return { clearedSeq };
}

/** What one member no longer sees of a room: null when nothing (the common case, which costs nothing per event). */
export interface HiddenView {
  clearedSeq: number;
  messageIds: ReadonlySet<string>;
}

/** Whether a member with this view must not see the event (it still moves their stream's cursor). */
export function hides(view: HiddenView, event: DurableRoomEvent): boolean {
  if (event.seq <= view.clearedSeq) return true;
  if (event.type === 'message.created' || event.type === 'message.updated') {
    return event.message.seq <= view.clearedSeq || view.messageIds.has(event.message.id);
  }
  const namesMessage = event.type === 'message.deleted' || event.type === 'reaction.added' || event.type === 'reaction.removed';
  return namesMessage && view.messageIds.has(event.messageId);
}

export async function hiddenViewOf(deps: { store: Pick<Store, 'hidden'> }, membership: Membership): Promise<HiddenView | null> {
  const ids = await deps.store.hidden.messageIdsIn(membership.userId, membership.roomId);
  if (ids.length === 0 && membership.clearedSeq === 0) return null;
  return { clearedSeq: membership.clearedSeq, messageIds: new Set(ids) };
}

/** A history page as one member sees it: nothing at or below their clearedSeq, none of the messages they hid. */
export async function ownHistoryPage<P extends HistoryPage>(deps: { store: Pick<Store, 'hidden'> }, membership: Membership, page: P): Promise<P> {
  const { clearedSeq } = membership;
  const first = page.messages[0]?.seq;
  const last = page.messages.at(-1)?.seq;
  const hidden =
    first === undefined
      ? new Set<string>()
      : new Set(await deps.store.hidden.messageIdsIn(membership.userId, membership.roomId, { fromSeq: first, toSeq: last! }));
  if (hidden.size === 0 && clearedSeq === 0) return page;
  const reachesCleared = page.nextBeforeSeq !== null && page.nextBeforeSeq <= clearedSeq + 1;
  const cut = reachesCleared || (first !== undefined && first <= clearedSeq);
  return {
    ...page,
    messages: page.messages.filter((m) => m.seq > clearedSeq && !hidden.has(m.id)),
    events: page.events.filter((e) => e.seq > clearedSeq),
    nextBeforeSeq: cut ? null : page.nextBeforeSeq,
  };
}

/** messages.history for one member: messagesBefore, less what they deleted for themselves. */
export async function ownHistory(
  deps: Parameters<typeof messagesBefore>[0] & { store: Pick<Store, 'hidden'> },
  { membership, beforeSeq, limit }: { membership: Membership; beforeSeq?: number; limit: number },
) {
  return ownHistoryPage(deps, membership, await messagesBefore(deps, { roomId: membership.roomId, beforeSeq, limit }));
}

/**
 * My rooms less the conversations I deleted for myself, each back once a
 * message above its clearedSeq arrives (one lookup per hidden room).
 */
export async function visibleRooms<R extends { room: { id: string }; hidden: boolean; clearedSeq: number }>(
  deps: { store: Pick<Store, 'messages'> },
  listed: R[],
): Promise<R[]> {
  const back = await Promise.all(
    listed.map(async (r) => !r.hidden || ((await deps.store.messages.newestBefore({ roomId: r.room.id, limit: 1 }))[0]?.seq ?? 0) > r.clearedSeq),
  );
  return listed.filter((_, i) => back[i]);
}

type HistoryPage = { messages: Array<{ id: string; seq: number }>; events: Array<{ seq: number }>; nextBeforeSeq: number | null };
