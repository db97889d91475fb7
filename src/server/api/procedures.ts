import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { isActiveAdmin } from '../auth/admin-users.ts';
import { requireMembership } from '../chat/memberships.ts';
import { requireMessageAccess } from '../chat/messages.ts';
import { authedProcedure } from './trpc.ts';

/** Ids are UUIDs: anything else is a BAD_REQUEST before any lookup. */
export const id = z.uuid({ message: 'must be a valid id' });

/** Signed in; `ctx.user` is the caller as the API shows users. */
export const userProcedure = authedProcedure;

/**
 * The one place room membership is checked: queries, mutations and
 * subscriptions that name a room all go through it (`ctx.room`, `ctx.membership`).
 */
export const roomMemberProcedure = userProcedure.input(z.object({ roomId: id })).use(async ({ ctx, input, next }) => {
  const access = await requireMembership(ctx.services, { roomId: input.roomId, userId: ctx.user.id });
  return next({ ctx: access });
});

/** For procedures naming a message: membership of its room, plus the message. */
export const messageMemberProcedure = userProcedure.input(z.object({ messageId: id })).use(async ({ ctx, input, next }) => {
  const access = await requireMessageAccess(ctx.services, { messageId: input.messageId, userId: ctx.user.id });
  return next({ ctx: { access } });
});

/**
 * Admins only, as the database says now: a socket opened by an admin who has
 * since been demoted (or deactivated) holds no admin rights, even before its
 * session is refreshed.
 */
export const adminProcedure = userProcedure.use(async ({ ctx, next }) => {
  if (!(await isActiveAdmin(ctx.services, { userId: ctx.user.id }))) throw new TRPCError({ code: 'FORBIDDEN', message: 'Admins only' });
  return next();
});
