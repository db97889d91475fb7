import { z } from 'zod';
import { adminListRooms, archiveRoom, deleteRoom } from '../../chat/admin-rooms.ts';
import { adminProcedure, id } from '../procedures.ts';
import { router } from '../trpc.ts';

export const adminRouter = router({
  rooms: router({
    list: adminProcedure.query(({ ctx }) => adminListRooms(ctx.services)),
    archive: adminProcedure
      .input(z.object({ roomId: id, archived: z.boolean().default(true) }))
      .mutation(({ ctx, input }) => archiveRoom(ctx.services, input)),
    delete: adminProcedure.input(z.object({ roomId: id })).mutation(async ({ ctx, input }) => {
      await deleteRoom(ctx.services, input);
      return { ok: true as const };
    }),
  }),
});
