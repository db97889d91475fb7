import { z } from 'zod';
import { postMessageWithinRate } from '../../chat/message-rate.ts';
import { hideMessage, ownHistory } from '../../chat/hide.ts';
import { deleteMessage, editMessage } from '../../chat/messages.ts';
import { reactToMessage, withReactions } from '../../chat/reactions.ts';
import { markPosition, receiptsFor } from '../../chat/receipts.ts';
import type { RoomKind } from '../../chat/serialize.ts';
import { messageMemberProcedure, roomMemberProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';
import { unblockedSendProcedure } from '../direct-guard.ts';
import { writeLimit } from '../write-limits.ts';

// Generous here; the configured MAX_MESSAGE_LENGTH is enforced by the domain.
const body = z.string().max(100_000, 'far too long');
const seq = z.number().int().min(0);

export const messagesRouter = router({
  send: unblockedSendProcedure.input(z.object({ body, clientMessageId: z.string().min(1).max(64) })).mutation(({ ctx, input }) =>
    postMessageWithinRate(ctx.services, {
      roomId: ctx.room.id,
      roomKind: ctx.room.kind as RoomKind,
      authorId: ctx.user.id,
      author: { role: ctx.user.role, roomRole: ctx.membership.role },
      body: input.body,
      clientMessageId: input.clientMessageId,
    }),
  ),

  edit: messageMemberProcedure
    .use(writeLimit('edits'))
    .input(z.object({ body }))
    .mutation(({ ctx, input }) => editMessage(ctx.services, { access: ctx.access, actor: ctx.user, body: input.body })),

  delete: messageMemberProcedure.use(writeLimit('edits')).mutation(async ({ ctx }) => {
    await deleteMessage(ctx.services, { access: ctx.access, actor: ctx.user });
    return { ok: true as const };
  }),

  get: messageMemberProcedure.query(async ({ ctx }) => (await withReactions(ctx.services, [ctx.access.message]))[0]!),

  /** Adds (`on`) or takes back my reaction; what is so already changes nothing (`changed: false`). */
  react: messageMemberProcedure
    .use(writeLimit('reactions'))
    .input(z.object({ emoji: z.string().max(64), on: z.boolean() }))
    .output(z.object({ changed: z.boolean(), reactions: z.array(z.object({ emoji: z.string(), userIds: z.array(z.string()) })) }))
    .mutation(({ ctx, input }) => reactToMessage(ctx.services, { access: ctx.access, userId: ctx.user.id, emoji: input.emoji, on: input.on })),

  history: roomMemberProcedure
    .input(z.object({ beforeSeq: seq.optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => ownHistory(ctx.services, { membership: ctx.membership, beforeSeq: input.beforeSeq, limit: input.limit })),

  /** Delete for me: only my history and my streams lose it. */
  hide: messageMemberProcedure
    .use(writeLimit('edits'))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx }) => hideMessage(ctx.services, { access: ctx.access, userId: ctx.user.id })),

  markRead: roomMemberProcedure
    .use(writeLimit('receipts'))
    .input(z.object({ seq }))
    .mutation(({ ctx, input }) => markPosition(ctx.services, 'read', { roomId: ctx.room.id, userId: ctx.user.id, seq: input.seq, lastSeq: ctx.room.lastSeq })),

  markDelivered: roomMemberProcedure
    .use(writeLimit('receipts'))
    .input(z.object({ seq }))
    .mutation(({ ctx, input }) =>
      markPosition(ctx.services, 'delivered', { roomId: ctx.room.id, userId: ctx.user.id, seq: input.seq, lastSeq: ctx.room.lastSeq }),
    ),

  receipts: messageMemberProcedure.query(({ ctx }) => receiptsFor(ctx.services, { messageId: ctx.access.message.id })),
});
