import type { PublicUser } from '../auth/users.ts';
import { Prisma, type Db } from '../db/client.ts';
import type { Membership, Message } from '../db/generated/client.ts';
import { AppError } from '../lib/app-error.ts';
import { newTimeOrderedId } from '../lib/ids.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Services } from '../app/services.ts';
import { longerThan } from '../lib/text.ts';
import { appendToLog } from './room-log.ts';
import { requireMembership, type RoomAccess } from './memberships.ts';
import { toPublicMessage } from './serialize.ts';

type Deps = Pick<Services, 'db' | 'bus' | 'config' | 'typing' | 'metrics'> & Partial<Pick<Services, 'fast'>>;

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

/**
 * Posts a message: the seq and the row are written in one transaction, then
 * published. Idempotent on (author, clientMessageId): a retry, even one racing
 * the original, returns the original message and writes nothing.
 */
export async function postMessage(
  deps: Deps,
  { roomId, authorId, body, clientMessageId }: { roomId: string; authorId: string; body: string; clientMessageId: string },
) {
  const text = messageBody(body, deps.config.MAX_MESSAGE_LENGTH);
  // SQLite's fast path skips this lookup: a retry's insert fails on the unique
  // key instead (rolled back alone), and the catch below finds the original.
  const earlier = deps.fast ? null : await earlierSend(deps, authorId, clientMessageId);
  if (earlier) return sameSend(earlier, roomId);
  let message: Message;
  try {
    message = await insertMessage(deps, { roomId, authorId, body: text, clientMessageId });
  } catch (error) {
    const duplicate =
      (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') ||
      (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
    if (duplicate) return sameSend((await earlierSend(deps, authorId, clientMessageId))!, roomId);
    throw error;
  }
  deps.metrics.messageAccepted();
  const published = toPublicMessage(message);
  await deps.bus.publish(channels.room(roomId), { type: 'message.created', roomId, seq: message.seq, message: published });
  deps.typing.endAfterSend(roomId, authorId);
  return published;
}

function earlierSend(deps: Deps, authorId: string, clientMessageId: string): Promise<Message | null> {
  if (deps.fast) return deps.fast.messageByClientId(authorId, clientMessageId);
  return deps.db.message.findUnique({ where: { authorId_clientMessageId: { authorId, clientMessageId } } });
}

/** The seq and the row, written in one transaction. */
async function insertMessage(deps: Deps, input: { roomId: string; authorId: string; body: string; clientMessageId: string }) {
  const id = newTimeOrderedId();
  if (deps.fast) {
    const message = await deps.fast.postMessage({ id, ...input });
    if (!message) throw new AppError('FORBIDDEN', 'This room is archived (read-only) or gone');
    return message;
  }
  return deps.db.$transaction(async (tx) => {
    const seq = await appendToLog(tx, { roomId: input.roomId, type: 'message.created', messageId: id });
    return tx.message.create({ data: { id, seq, ...input } });
  });
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
  deps: Pick<Services, 'db'> & Partial<Pick<Services, 'fast'>>,
  { messageId, userId }: { messageId: string; userId: string },
): Promise<MessageAccess> {
  const message = await deps.db.message.findUnique({ where: { id: messageId } });
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

export async function editMessage(deps: Deps, { access, actor, body }: { access: MessageAccess; actor: PublicUser; body: string }) {
  assertMayChange(access, actor);
  const text = messageBody(body, deps.config.MAX_MESSAGE_LENGTH);
  const { message } = access;
  const { seq, updated } = await deps.db.$transaction(async (tx) => {
    // Conditional on not deleted, inside the transaction: an edit racing a delete cannot revive the text.
    const { count } = await tx.message.updateMany({ where: { id: message.id, deletedAt: null }, data: { body: text, editedAt: new Date() } });
    if (count === 0) throw new AppError('NOT_FOUND', 'This message was deleted');
    const seq = await appendToLog(tx, { roomId: message.roomId, type: 'message.updated', messageId: message.id });
    return { seq, updated: await tx.message.findUniqueOrThrow({ where: { id: message.id } }) };
  });
  const published = toPublicMessage(updated);
  await deps.bus.publish(channels.room(message.roomId), { type: 'message.updated', roomId: message.roomId, seq, message: published });
  return published;
}

/** Deletes the text for good (the row stays as a tombstone so seqs keep their meaning). */
export async function deleteMessage(deps: Deps, { access, actor }: { access: MessageAccess; actor: PublicUser }) {
  if (access.message.deletedAt) return; // already gone: deleting again changes nothing
  assertMayChange(access, actor);
  const { message } = access;
  const seq = await deps.db.$transaction(async (tx) => {
    // Two deletes racing: only the one that flips the row logs an event.
    const { count } = await tx.message.updateMany({ where: { id: message.id, deletedAt: null }, data: { body: null, deletedAt: new Date() } });
    return count === 0 ? null : appendToLog(tx, { roomId: message.roomId, type: 'message.deleted', messageId: message.id });
  });
  if (seq === null) return;
  await deps.bus.publish(channels.room(message.roomId), { type: 'message.deleted', roomId: message.roomId, seq, messageId: message.id });
}

/**
 * Text one history page carries at most (UTF-16 units: at most 768 KB as
 * UTF-8): 200 messages of MAX_MESSAGE_LENGTH could otherwise be ~6 MB.
 * A page that reaches it ends early, with `nextBeforeSeq` where it stopped.
 */
const PAGE_TEXT_BUDGET = 256 * 1024;

/** A page of history, newest page first, messages in seq order within the page. */
export async function messagesBefore(db: Db, { roomId, beforeSeq, limit }: { roomId: string; beforeSeq?: number; limit: number }) {
  const rows = await db.message.findMany({
    where: { roomId, deletedAt: null, ...(beforeSeq !== undefined ? { seq: { lt: beforeSeq } } : {}) },
    orderBy: { seq: 'desc' },
    take: limit + 1,
  });
  const most = Math.min(rows.length, limit);
  let kept = 0;
  for (let text = 0; kept < most; kept++) {
    text += rows[kept]!.body?.length ?? 0;
    if (text > PAGE_TEXT_BUDGET && kept > 0) break; // always at least one message
  }
  const page = rows.slice(0, kept).reverse();
  return {
    messages: page.map(toPublicMessage),
    nextBeforeSeq: rows.length > kept ? (page[0]?.seq ?? null) : null,
  };
}
