import { z } from 'zod';
import { adminListUsers, deactivateUser, reactivateUser, setRole } from '../../auth/admin-users.ts';
import { adminListRooms, deleteRoom } from '../../chat/admin-rooms.ts';
import { setArchived } from '../../chat/room-details.ts';
import { adminProcedure, id } from '../procedures.ts';
import { router } from '../trpc.ts';
import { writeLimit } from '../write-limits.ts';

const ok = { ok: true as const };
const adminAction = writeLimit('adminActions');
const roomChange = writeLimit('roomChanges');

export const adminRouter = router({
  users: router({
    list: adminProcedure
      .input(z.object({ query: z.string().trim().max(64).optional() }).optional())
      .query(({ ctx, input }) => adminListUsers(ctx.services, { query: input?.query })),
    setRole: adminProcedure
      .use(adminAction)
      .input(z.object({ userId: id, role: z.enum(['admin', 'member']) }))
      .mutation(({ ctx, input }) => setRole(ctx.services, { ...input, actorId: ctx.user.id })),
    deactivate: adminProcedure
      .use(adminAction)
      .input(z.object({ userId: id }))
      .mutation(async ({ ctx, input }) => {
        await deactivateUser(ctx.services, { userId: input.userId, actorId: ctx.user.id });
        return ok;
      }),
    reactivate: adminProcedure
      .use(adminAction)
      .input(z.object({ userId: id }))
      .mutation(async ({ ctx, input }) => {
        await reactivateUser(ctx.services, input);
        return ok;
      }),
  }),
  rooms: router({
    list: adminProcedure.query(({ ctx }) => adminListRooms(ctx.services)),
    archive: adminProcedure
      .use(roomChange)
      .input(z.object({ roomId: id, archived: z.boolean().default(true) }))
      .mutation(({ ctx, input }) => setArchived(ctx.services, { ...input, actorId: ctx.user.id })),
    delete: adminProcedure
      .use(roomChange)
      .input(z.object({ roomId: id }))
      .mutation(async ({ ctx, input }) => {
        await deleteRoom(ctx.services, input);
        return ok;
      }),
  }),
  /** Live server figures for the admin page. */
  stats: adminProcedure.query(async ({ ctx }) => {
    const { metrics, store } = ctx.services;
    const { uptimeSeconds, ...figures } = metrics.snapshot();
    return { ...figures, users: await store.accounts.count(), rooms: await store.rooms.count(), uptimeSeconds };
  }),
});
