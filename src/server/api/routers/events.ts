import { roomEvents } from '../../realtime/room-stream-iterator.ts';
import { roomStreamInput } from '../../realtime/room-stream.ts';
import { userEvents } from '../../realtime/user-stream.ts';
import { userProcedure } from '../procedures.ts';
import { holdSlot } from '../hold-slot.ts';
import { router } from '../trpc.ts';

export const eventsRouter = router({
  /**
   * The room stream (realtime/room-stream.ts): it checks membership, holds a
   * subscription slot, replays from lastEventId, then goes live. Over
   * WebSocket, ws/room-frames.ts writes the same stream as frames.
   */
  room: userProcedure
    .input(roomStreamInput)
    .subscription(({ ctx, input, signal }) => roomEvents(ctx.services, { userId: ctx.user.id, input, slots: ctx.subscriptions, signal })),

  user: userProcedure.subscription(({ ctx, signal }) => holdSlot(ctx, ctx.services.metrics.track(userEvents(ctx.services, { userId: ctx.user.id, signal })))),
});
