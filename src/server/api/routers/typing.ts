import { z } from 'zod';
import { roomMemberProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';

export const typingRouter = router({
  /** `accepted: false`: a start dropped by the typing rate limit (the call itself never fails for it). */
  set: roomMemberProcedure.input(z.object({ typing: z.boolean() })).mutation(async ({ ctx, input }) => ({
    accepted: await ctx.services.typing.set({ roomId: ctx.room.id, userId: ctx.user.id, typing: input.typing }),
  })),
});
