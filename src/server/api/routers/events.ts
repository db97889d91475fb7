import { z } from 'zod';
import { roomEvents } from '../../realtime/room-stream.ts';
import { userEvents } from '../../realtime/user-stream.ts';
import { roomMemberProcedure, userProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';

export const eventsRouter = router({
  /** Durable events are tracked(String(seq)); resubscribing with lastEventId replays what was missed. */
  room: roomMemberProcedure
    .input(z.object({ lastEventId: z.string().regex(/^\d{1,15}$/, 'must be a seq').nullish() }))
    .subscription(({ ctx, input, signal }) =>
      ctx.services.metrics.track(
        roomEvents(ctx.services, {
          roomId: ctx.room.id,
          userId: ctx.user.id,
          joinedSeq: ctx.membership.joinedSeq,
          lastEventId: input.lastEventId ? Number(input.lastEventId) : undefined,
          signal,
        }),
      ),
    ),

  user: userProcedure.subscription(({ ctx, signal }) =>
    ctx.services.metrics.track(userEvents(ctx.services, { userId: ctx.user.id, signal })),
  ),
});
