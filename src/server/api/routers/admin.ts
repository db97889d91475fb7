import { z } from 'zod';
import { adminCreateUser, adminListUsers, deactivateUser, reactivateUser, setRole } from '../../auth/admin-users.ts';
import { createInvite, listInvites, revokeInvite } from '../../auth/invites.ts';
import { issuePasswordLink } from '../../auth/password-links.ts';
import { adminListRooms, deleteRoom } from '../../chat/admin-rooms.ts';
import { setArchived } from '../../chat/room-details.ts';
import { displayName, password, username } from '../inputs.ts';
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
    /** An account made by an admin, whatever REGISTRATION says; without a password, a set-password link comes back. */
    create: adminProcedure
      .use(adminAction)
      .input(z.object({ username, displayName: displayName.optional(), password: password.optional(), role: z.enum(['admin', 'member']).default('member') }))
      .mutation(({ ctx, input }) => adminCreateUser(ctx.services, { ...input, actorId: ctx.user.id })),
    /** A one-time password-reset link for the person (no email: the admin hands it over). */
    resetLink: adminProcedure
      .use(adminAction)
      .input(z.object({ userId: id }))
      .mutation(async ({ ctx, input }) => {
        const link = await issuePasswordLink(ctx.services, { userId: input.userId, purpose: 'reset' });
        return { token: link.token, expiresAt: link.expiresAt };
      }),
  }),
  invites: router({
    list: adminProcedure.query(({ ctx }) => listInvites(ctx.services)),
    create: adminProcedure
      .use(adminAction)
      .input(
        z.object({
          expiresInHours: z.number().int('a whole number of hours').min(1, 'at least 1 hour').max(720, 'at most 720 hours (30 days)').default(168),
          maxUses: z.number().int('a whole number').min(1, 'at least 1 use').max(1000, 'at most 1000 uses').default(1),
        }),
      )
      .mutation(({ ctx, input }) => createInvite(ctx.services, { ...input, actorId: ctx.user.id })),
    revoke: adminProcedure
      .use(adminAction)
      .input(z.object({ inviteId: id }))
      .mutation(async ({ ctx, input }) => {
        await revokeInvite(ctx.services, input);
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
