import type { PublicUser } from '../auth/users.ts';
import type { Config } from '../app/config.ts';
import { AppError } from '../lib/app-error.ts';
import { newTimeOrderedId } from '../lib/ids.ts';
import { longerThan } from '../lib/text.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { TypingTracker } from '../realtime/typing.ts';
import { CLOSED, DUPLICATE, type Membership, type Message, type Store } from '../store/store.ts';
import { resolveMentions, type Speaker } from './mentions.ts';
import { requireMembership, roomClosed, type RoomAccess } from './memberships.ts';
import type { Notifier } from './notifier.ts';
import type { PublicMessage } from './room-events.ts';
import { withReactions } from './reactions.ts';
import { roomEventsBetween, type RoomNoticeEvent } from './room-log.ts';
import { toPublicMessage, type RoomKind } from './serialize.ts';

type Deps = {
  store: Pick<Store, 'messages' | 'memberships'>;
  bus: EventBus;
  config: Pick<Config, 'MAX_MESSAGE_LENGTH' | 'ROOM_MENTION_ADMIN_ONLY_ABOVE'>;
  typing: Pick<TypingTracker, 'endAfterSend'>;
  metrics: Pick<Metrics, 'messageAccepted'>;
  notifier: Pick<Notifier, 'messagePosted'>;
};

/**
 * Trimmed, 1 to MAX_MESSAGE_LENGTH characters (code points: an emoji is one,
 * though it is two UTF-16 units); the error points at `body` like a zod issue.
 */
function messageBody(body: string, max: number): string {
  const text = body.trim();
  const problem = text.length === 0 ? 'A message cannot be empty' : longerThan(text, max) ? `A message can be at most ${max} characters` : null;
  if (problem) throw new AppError('BAD_REQUEST', problem, { issues: [{ path: ['body'], message: problem, code: 'custom' }] });
  return text;
}

export interface Send {
  roomId: string;
  /** The room's kind (the procedure's ctx.room): the notifier's default level depends on it. */
  roomKind: RoomKind;
  authorId: string;
  /** The author's Hearth role and role in the room: who may say @room. */
  author: Speaker;
  body: string;
  clientMessageId: string;
}

/**
 * Posts a message: the seq, the row and its mentions (chat/mentions.ts) are
 * written in one transaction, then published, then handed to the notifier
 * (which queues its work: the send's answer never waits for it). Idempotent
 * on (author, clientMessageId): a retry, even one racing the original,
 * returns the original message and writes nothing.
 */
export async function postMessage(deps: Deps, { roomId, roomKind, authorId, author, body, clientMessageId }: Send) {
  const text = messageBody(body, deps.config.MAX_MESSAGE_LENGTH);
  const mentions = await resolveMentions(deps, { roomId, body: text, speaker: author });
  const message = await deps.store.messages.append({ id: newTimeOrderedId(), roomId, authorId, body: text, clientMessageId, ...mentions });
  // The one way a retry is recognised: its insert meets the unique key (and is rolled back alone).
  // A retry into a room archived since still gets its message back.
  if (message === DUPLICATE || message === CLOSED) {
    const earlier = await deps.store.messages.byClientId(authorId, clientMessageId);
    if (earlier) return sameSend(earlier, roomId);
    if (message === CLOSED) throw roomClosed();
    throw new Error('A duplicate send whose original cannot be found');
  }
  deps.metrics.messageAccepted();
  const published = toPublicMessage(message);
  await deps.bus.publish(channels.room(roomId), { type: 'message.created', roomId, seq: message.seq, message: published });
  deps.typing.endAfterSend(roomId, authorId);
  deps.notifier.messagePosted({ roomId, roomKind, message: published });
  return published;
}

function sameSend(message: Message, roomId: string) {
  if (message.roomId !== roomId) throw new AppError('CONFLICT', 'This clientMessageId was already used in another room');
  return toPublicMessage(message);
}

export interface MessageAccess extends RoomAccess {
  message: Message;
}

/** Loads a message for a member of its room (non-members learn nothing: NOT_FOUND). */
export async function requireMessageAccess(
  deps: { store: Pick<Store, 'messages' | 'memberships'> },
  { messageId, userId }: { messageId: string; userId: string },
): Promise<MessageAccess> {
  const message = await deps.store.messages.byId(messageId);
  if (!message) throw new AppError('NOT_FOUND', 'No such message');
  const access = await requireMembership(deps, { roomId: message.roomId, userId }).catch(() => {
    throw new AppError('NOT_FOUND', 'No such message');
  });
  return { ...access, message };
}

function assertMayChange({ message, membership }: { message: Message; membership: Membership }, actor: PublicUser) {
  if (message.deletedAt) throw new AppError('NOT_FOUND', 'This message was deleted');
  if (message.authorId !== actor.id && membership.role !== 'admin' && actor.role !== 'admin') {
    throw new AppError('FORBIDDEN', 'Only the author or an admin can change this message');
  }
}

/**
 * Rewrites the text, and its mentions with it (read again from the new text);
 * an edit notifies nobody again, not even someone it newly mentions.
 */
export async function editMessage(deps: Deps, { access, actor, body }: { access: MessageAccess; actor: PublicUser; body: string }) {
  assertMayChange(access, actor);
  const text = messageBody(body, deps.config.MAX_MESSAGE_LENGTH);
  const { message } = access;
  const speaker = { role: actor.role, roomRole: access.membership.role };
  const mentions = await resolveMentions(deps, { roomId: message.roomId, body: text, speaker, hadRoom: message.mentionsRoom });
  const edited = await deps.store.messages.edit({ id: message.id, roomId: message.roomId, body: text, ...mentions });
  if (edited === 'deleted') throw new AppError('NOT_FOUND', 'This message was deleted');
  if (edited === CLOSED) throw roomClosed();
  const published = toPublicMessage(edited.message);
  await deps.bus.publish(channels.room(message.roomId), { type: 'message.updated', roomId: message.roomId, seq: edited.seq, message: published });
  return published;
}

/** Deletes the text for good (the row stays as a tombstone so seqs keep their meaning). */
export async function deleteMessage(deps: Deps, { access, actor }: { access: MessageAccess; actor: PublicUser }) {
  if (access.message.deletedAt) return; // already gone: deleting again changes nothing
  assertMayChange(access, actor);
  const { message } = access;
  const seq = await deps.store.messages.erase({ id: message.id, roomId: message.roomId });
  if (seq === CLOSED) throw roomClosed();
  if (seq === 'deleted') return;
  await deps.bus.publish(channels.room(message.roomId), { type: 'message.deleted', roomId: message.roomId, seq, messageId: message.id });
}

/**
 * Text one history page carries at most (UTF-16 units: at most 768 KB as
 * UTF-8): 200 messages of MAX_MESSAGE_LENGTH could otherwise be ~6 MB.
 * A page that reaches it ends early, with `nextBeforeSeq` where it stopped.
 */
const PAGE_TEXT_BUDGET = 256 * 1024;

/**
 * Everyone a page names (authors, who joined, left, added, removed or was
 * given a role), so a page can name people who are no longer members: at
 * most a page's messages plus two per event, each read once.
 */
async function peopleNamed(deps: { store: Pick<Store, 'accounts'> }, messages: PublicMessage[], events: RoomNoticeEvent[]) {
  const ids = new Set(messages.flatMap((m) => [m.authorId, ...m.reactions.flatMap((r) => r.userIds)]));
  for (const event of events) {
    if ('userId' in event) ids.add(event.userId);
    if (event.actorId) ids.add(event.actorId);
    if (event.type === 'room.updated' && 'role' in event.change) ids.add(event.change.role.userId);
  }
  const users = await Promise.all([...ids].map((id) => deps.store.accounts.byId(id)));
  return users.flatMap((user) => (user ? [{ userId: user.id, username: user.username, displayName: user.displayName }] : []));
}

/** Above every seq a room can reach (PostgreSQL's INTEGER). */
const NO_SEQ_ABOVE = 2 ** 31 - 1;

/**
 * A page of history, newest page first, messages in seq order within the
 * page; `events`: who joined or left and what changed in the room within the
 * page's range of seqs (the oldest page reaches back to the room's start).
 */
export async function messagesBefore(
  deps: { store: Pick<Store, 'messages' | 'log' | 'accounts' | 'reactions'> },
  { roomId, beforeSeq, limit }: { roomId: string; beforeSeq?: number; limit: number },
) {
  const rows = await deps.store.messages.newestBefore({ roomId, beforeSeq, limit: limit + 1 });
  const most = Math.min(rows.length, limit);
  let kept = 0;
  for (let text = 0; kept < most; kept++) {
    text += rows[kept]!.body?.length ?? 0;
    if (text > PAGE_TEXT_BUDGET && kept > 0) break; // always at least one message
  }
  const page = rows.slice(0, kept).reverse();
  const nextBeforeSeq = rows.length > kept ? (page[0]?.seq ?? null) : null;
  const events = await roomEventsBetween(deps, { roomId, afterSeq: nextBeforeSeq ?? 0, beforeSeq: beforeSeq ?? NO_SEQ_ABOVE });
  const messages = await withReactions(deps, page);
  return { messages, events, nextBeforeSeq, people: await peopleNamed(deps, messages, events) };
}
