import { requireNotBlockedIn } from '../chat/reach.ts';
import { roomMemberProcedure } from './procedures.ts';

/**
 * For messages.send: in a direct room with someone who blocked the author the
 * send is refused before the message rate is charged or anything is written;
 * other rooms pass on one comparison of the room's kind.
 */
export const unblockedSendProcedure = roomMemberProcedure.use(async ({ ctx, next }) => {
  await requireNotBlockedIn(ctx.services, { room: ctx.room, authorId: ctx.user.id });
  return next();
});
