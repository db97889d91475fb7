import type { PublicMessage, RoomStreamEvent } from '../server/chat/room-events.ts';

export type Message = PublicMessage;
export type RoomEvent = RoomStreamEvent;
/** Who joined or left, and what changed in the room: shown as system rows between the messages. */
export type RoomNotice = Extract<RoomEvent, { type: 'member.joined' | 'member.left' | 'room.updated' }>;

/**
 * One room's messages as the browser knows them: history pages merged with the
 * live stream. Pure functions of (state, input) so the merge rules are tested
 * without a browser.
 */
export interface Timeline {
  /** Undeleted messages, unique by id, in seq order. */
  messages: readonly Message[];
  /** The highest durable seq applied from the stream (or known from history). */
  cursor: number;
  /** `beforeSeq` for the next older page; null when the oldest page is loaded. */
  nextBeforeSeq: number | null;
  /** Whether the newest page has been loaded (after a `reset`, not yet). */
  loaded: boolean;
  /** Ids deleted while we watched: a late send acknowledgement must not revive them. */
  deleted: ReadonlySet<string>;
  /** Member and room events, unique by seq, in seq order (from history pages and the stream). */
  notices: readonly RoomNotice[];
}

export const emptyTimeline = (): Timeline => ({ messages: [], cursor: 0, nextBeforeSeq: null, loaded: false, deleted: new Set(), notices: [] });

function withNotices(state: Timeline, notices: readonly RoomNotice[]): Timeline {
  const known = new Set(state.notices.map((n) => n.seq));
  const fresh = notices.filter((n) => !known.has(n.seq));
  return fresh.length ? { ...state, notices: [...state.notices, ...fresh].sort((a, b) => a.seq - b.seq) } : state;
}

const bySeq = (a: Message, b: Message) => a.seq - b.seq;

function upsert(state: Timeline, message: Message, replace: boolean): Timeline {
  if (message.deletedAt || state.deleted.has(message.id)) return remove(state, message.id);
  const index = state.messages.findIndex((m) => m.id === message.id);
  if (index >= 0) {
    if (!replace) return state;
    const messages = state.messages.slice();
    // Reactions and thread counts have events of their own (applied as they come):
    // a later copy of the message (an edit, a replay) does not set them back.
    const { reactions, replyCount, lastReplyAt } = state.messages[index]!;
    messages[index] = { ...message, reactions, replyCount, lastReplyAt };
    return { ...state, messages };
  }
  return { ...state, messages: [...state.messages, message].sort(bySeq) };
}

function remove(state: Timeline, messageId: string): Timeline {
  const deleted = new Set(state.deleted).add(messageId);
  return { ...state, deleted, messages: state.messages.filter((m) => m.id !== messageId) };
}

type Page = { messages: readonly Message[]; nextBeforeSeq: number | null; events?: readonly RoomNotice[] };

/**
 * The newest page. Messages already known from the stream are newer than (or
 * as new as) the page's copy, so they win.
 */
export function withNewestPage(state: Timeline, page: Page): Timeline {
  let next: Timeline = withNotices({ ...state, loaded: true, nextBeforeSeq: page.nextBeforeSeq }, page.events ?? []);
  for (const message of page.messages) next = upsert(next, message, false);
  const newest = page.messages.at(-1)?.seq ?? 0;
  return { ...next, cursor: Math.max(next.cursor, newest) };
}

/** An older page, prepended. */
export function withOlderPage(state: Timeline, page: Page): Timeline {
  let next: Timeline = withNotices({ ...state, nextBeforeSeq: page.nextBeforeSeq }, page.events ?? []);
  for (const message of page.messages) next = upsert(next, message, false);
  return next;
}

/** A message the server acknowledged to us directly (our own send or edit). */
export const withAcknowledged = (state: Timeline, message: Message): Timeline => upsert(state, message, true);

/**
 * Applies a durable stream event in seq order. The server sends each exactly
 * once, but a stream restarted around a `reset` may repeat some: anything at
 * or below the cursor is already applied. `reset` empties the timeline; the
 * caller refetches the newest page.
 */
export function applyEvent(state: Timeline, event: RoomEvent): Timeline {
  switch (event.type) {
    case 'reset':
      return { ...emptyTimeline(), cursor: event.lastSeq, deleted: state.deleted };
    case 'message.created':
    case 'message.updated':
    case 'message.deleted':
    case 'member.joined':
    case 'member.left':
    case 'room.updated':
    case 'reaction.added':
    case 'reaction.removed': {
      if (event.seq <= state.cursor) return state;
      const moved = { ...state, cursor: event.seq };
      if (event.type === 'reaction.added' || event.type === 'reaction.removed') return withReaction(moved, event);
      if (event.type === 'message.deleted') return remove(moved, event.messageId);
      if (event.type === 'message.created' || event.type === 'message.updated') return upsert(moved, event.message, true);
      return withNotices(moved, [event]);
    }
    default:
      return state;
  }
}

type ReactionEvent = Extract<RoomEvent, { type: 'reaction.added' | 'reaction.removed' }>;

/**
 * A reaction as a set operation: adding one that is there, or removing one that
 * is not, changes nothing, so a replay that repeats events after a history page
 * (which already counted them) leaves the counts right.
 */
export function reactionsAfter(
  reactions: Message['reactions'],
  { type, emoji, userId }: Pick<ReactionEvent, 'type' | 'emoji' | 'userId'>,
): Message['reactions'] {
  const entry = reactions.find((r) => r.emoji === emoji);
  const has = entry?.userIds.includes(userId) ?? false;
  if (type === 'reaction.added') {
    if (has) return reactions;
    return entry ? reactions.map((r) => (r === entry ? { emoji, userIds: [...r.userIds, userId] } : r)) : [...reactions, { emoji, userIds: [userId] }];
  }
  if (!has) return reactions;
  return reactions.flatMap((r) => (r !== entry ? [r] : r.userIds.length > 1 ? [{ emoji, userIds: r.userIds.filter((id) => id !== userId) }] : []));
}

function withReaction(state: Timeline, event: ReactionEvent): Timeline {
  const index = state.messages.findIndex((m) => m.id === event.messageId);
  if (index < 0) return state;
  const messages = state.messages.slice();
  messages[index] = { ...messages[index]!, reactions: reactionsAfter(messages[index]!.reactions, event) };
  return { ...state, messages };
}

/** The highest seq this timeline has seen: what "read up to here" means. */
export const readableSeq = (state: Timeline): number => Math.max(state.cursor, state.messages.at(-1)?.seq ?? 0);

/** A message we deleted ourselves: gone at once, before the stream says so. */
export const withoutMessage = (state: Timeline, messageId: string): Timeline => remove(state, messageId);

export type TimelineRow = { kind: 'message'; message: Message } | { kind: 'notice'; notice: RoomNotice };

/**
 * Messages and notices interleaved by seq. Notices older than the oldest
 * loaded message wait until their page is loaded (or the beginning is).
 */
export function timelineRows(state: Pick<Timeline, 'messages' | 'notices' | 'nextBeforeSeq'>): TimelineRow[] {
  const from = state.nextBeforeSeq === null ? 0 : (state.messages[0]?.seq ?? 0);
  const rows: TimelineRow[] = state.messages.map((message) => ({ kind: 'message', message }));
  for (const notice of state.notices) if (notice.seq > from) rows.push({ kind: 'notice', notice });
  const seqOf = (row: TimelineRow) => (row.kind === 'message' ? row.message.seq : row.notice.seq);
  return rows.sort((a, b) => seqOf(a) - seqOf(b));
}

/** The notices to show just before each message (by its index) and after the last one, in seq order. */
export function noticesAround(state: Pick<Timeline, 'messages' | 'notices' | 'nextBeforeSeq'>): {
  before: ReadonlyArray<readonly RoomNotice[]>;
  after: readonly RoomNotice[];
} {
  const before: RoomNotice[][] = [];
  let waiting: RoomNotice[] = [];
  for (const row of timelineRows(state)) {
    if (row.kind === 'notice') waiting.push(row.notice);
    else {
      before.push(waiting);
      waiting = [];
    }
  }
  return { before, after: waiting };
}
