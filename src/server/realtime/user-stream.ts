import type { NotificationItem } from '../chat/notification-item.ts';
import { unreadCounts, type Unread } from '../chat/receipts.ts';
import type { Store } from '../store/store.ts';
import type { EventBus } from './bus.ts';
import { channels, type BusEvent } from './bus-events.ts';
import { EventQueue, OVERFLOW } from './queue.ts';

type Deps = { store: Pick<Store, 'memberships' | 'rooms'>; bus: EventBus };

export type UserStreamEvent =
  | { type: 'room.added'; roomId: string }
  | { type: 'room.removed'; roomId: string }
  /** Its name, topic, archived state, someone's role in it, or my notification level changed: refetch it. */
  | { type: 'room.changed'; roomId: string }
  /** `mentions`: of the unread, those that mention me or @room. */
  | { type: 'unread'; roomId: string; unread: number; mentions: number; lastSeq: number }
  | { type: 'presence'; roomId: string; online: string[] }
  /** My role or display name changed (by me elsewhere, or by an admin): read `auth.me` again. */
  | { type: 'account.changed' }
  /** Someone in this room changed their display name: read its members again. */
  | { type: 'member.changed'; roomId: string; userId: string }
  /** A notification of mine, new or updated (it took another message); `unread`: my unread notifications. */
  | { type: 'notification'; notification: NotificationItem; unread: number }
  /** My notifications were read (here or on another device). */
  | { type: 'notifications.read'; unread: number }
  /** A contact request, answer or block between me and `userId`: read contacts.list again. */
  | { type: 'contact.changed'; userId: string }
  /** I deleted this message for myself on another device. */
  | { type: 'message.hidden'; roomId: string; messageId: string }
  /** I deleted this conversation for myself: it leaves the list until a new message arrives (then `room.added`, or an `unread` for a room not listed). */
  | { type: 'room.hidden'; roomId: string };

/**
 * `events.user`: my rooms coming and going, and my unread count per room.
 * Counts start from the database and then follow the rooms' own channels
 * (no per-member fan-out on every message); anything that can lower a count
 * (a read on another device, a deletion) recounts from the database.
 * Presence changes in my direct rooms come too, so the sidebar can show who
 * of the people I talk to is online without a room stream per conversation
 * (they are on the room channels this stream listens to anyway).
 */
export async function* userEvents(deps: Deps, { userId, signal }: { userId: string; signal?: AbortSignal }) {
  const queue = new EventQueue<BusEvent>();
  const push = (event: BusEvent) => queue.push(event);
  const rooms = new Map<string, () => void>();
  const counts = new Map<string, Unread>();
  const direct = new Map<string, boolean>(); // a room's kind never changes
  const hidden = new Map<string, number>(); // rooms hidden while this stream ran: their clearedSeq
  const isDirect = async (roomId: string) => {
    let known = direct.get(roomId);
    if (known === undefined) direct.set(roomId, (known = (await deps.store.rooms.byId(roomId))?.kind === 'direct'));
    return known;
  };
  const watch = (roomId: string) => {
    if (!rooms.has(roomId)) rooms.set(roomId, deps.bus.subscribe(channels.room(roomId), push));
  };
  const unwatch = (roomId: string) => {
    rooms.get(roomId)?.();
    rooms.delete(roomId);
    counts.delete(roomId);
    direct.delete(roomId);
  };
  const recount = async (roomId?: string) => {
    const fresh = await unreadCounts(deps, { userId, roomId });
    for (const [id, unread] of fresh) counts.set(id, unread);
    return [...fresh].map(([id, u]): UserStreamEvent => ({ type: 'unread', roomId: id, ...u }));
  };
  const unsubscribeUser = deps.bus.subscribe(channels.user(userId), push);
  // After a bus outage, recount from the database (OVERFLOW does that).
  const offReconnect = deps.bus.onReconnect(() => queue.interrupt());
  const stop = () => queue.close();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    // Listen first, then read: a change in between is seen twice at worst, and
    // counting only seqs above each snapshot's lastSeq makes that harmless.
    const roomIds = await deps.store.memberships.roomIdsOf(userId);
    for (const roomId of roomIds) watch(roomId);
    await Promise.all([channels.user(userId), ...roomIds.map((roomId) => channels.room(roomId))].map((c) => deps.bus.whenSubscribed(c)));
    yield* await recount();
    for (;;) {
      const event = await queue.next();
      if (event === undefined) return;
      if (event === OVERFLOW) {
        // Rooms may have come or gone while events were lost: rewatch from the database.
        const current = new Set(await deps.store.memberships.roomIdsOf(userId));
        for (const roomId of [...rooms.keys()]) {
          if (!current.has(roomId)) {
            unwatch(roomId);
            yield { type: 'room.removed', roomId } satisfies UserStreamEvent;
          }
        }
        for (const roomId of current) {
          if (!rooms.has(roomId)) {
            watch(roomId);
            yield { type: 'room.added', roomId } satisfies UserStreamEvent;
          }
        }
        yield* await recount();
        continue;
      }
      switch (event.type) {
        case 'membership.added':
          watch(event.roomId);
          yield { type: 'room.added', roomId: event.roomId } satisfies UserStreamEvent;
          yield* await recount(event.roomId);
          break;
        case 'membership.removed':
        case 'room.deleted':
          if (!rooms.has(event.roomId)) break;
          unwatch(event.roomId);
          yield { type: 'room.removed', roomId: event.roomId } satisfies UserStreamEvent;
          break;
        case 'read':
          if (rooms.has(event.roomId)) yield* await recount(event.roomId);
          break;
        case 'account.changed':
          yield { type: 'account.changed' } satisfies UserStreamEvent;
          break;
        case 'notification':
          yield { type: 'notification', notification: event.notification, unread: event.unread } satisfies UserStreamEvent;
          break;
        case 'notifications.read':
          yield { type: 'notifications.read', unread: event.unread } satisfies UserStreamEvent;
          break;
        case 'member.changed':
          if (rooms.has(event.roomId)) yield { type: 'member.changed', roomId: event.roomId, userId: event.userId } satisfies UserStreamEvent;
          break;
        case 'room.updated':
        case 'notify.changed':
          if (rooms.has(event.roomId)) yield { type: 'room.changed', roomId: event.roomId } satisfies UserStreamEvent;
          break;
        case 'presence':
          if (rooms.has(event.roomId) && (await isDirect(event.roomId))) {
            yield { type: 'presence', roomId: event.roomId, online: event.online } satisfies UserStreamEvent;
          }
          break;
        case 'contact.changed':
          yield { type: 'contact.changed', userId: event.otherId } satisfies UserStreamEvent;
          break;
        case 'message.hidden':
          yield { type: 'message.hidden', roomId: event.roomId, messageId: event.messageId } satisfies UserStreamEvent;
          break;
        case 'room.hidden':
          hidden.set(event.roomId, event.clearedSeq);
          yield { type: 'room.hidden', roomId: event.roomId } satisfies UserStreamEvent;
          break;
        case 'message.created': {
          if (hidden.size > 0 && event.seq > (hidden.get(event.roomId) ?? Infinity)) {
            hidden.delete(event.roomId);
            yield { type: 'room.added', roomId: event.roomId } satisfies UserStreamEvent;
          }
          const count = counts.get(event.roomId);
          if (!count || event.seq <= count.lastSeq) break;
          count.lastSeq = event.seq;
          if (event.message.authorId === userId) break;
          count.unread += 1;
          if (event.message.mentionsRoom || event.message.mentions.includes(userId)) count.mentions += 1;
          yield { type: 'unread', roomId: event.roomId, ...count } satisfies UserStreamEvent;
          break;
        }
        // An edit can add or take away a mention of me; a deletion lowers the counts.
        case 'message.updated':
        case 'message.deleted': {
          if (event.type === 'message.updated' && event.message.authorId === userId) break;
          const before = counts.get(event.roomId);
          const was = before && { unread: before.unread, mentions: before.mentions };
          const [after] = await recount(event.roomId);
          if (after && after.type === 'unread' && (after.unread !== was?.unread || after.mentions !== was.mentions)) yield after;
          break;
        }
      }
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    unsubscribeUser();
    offReconnect();
    for (const roomId of [...rooms.keys()]) unwatch(roomId);
  }
}
