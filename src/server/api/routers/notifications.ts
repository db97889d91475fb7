import { z } from 'zod';
import { notificationItemSchema } from '../../chat/notification-item.ts';
import { listNotifications, markNotificationsRead } from '../../chat/notifications.ts';
import { id, userProcedure } from '../procedures.ts';
import { router } from '../trpc.ts';
import { writeLimit } from '../write-limits.ts';

const unread = z.number().int().min(0);

export const notificationsRouter = router({
  list: userProcedure
    .input(z.object({ cursor: z.string().max(100).optional(), limit: z.number().int().min(1).max(100).default(30) }).default({ limit: 30 }))
    .output(z.object({ items: z.array(notificationItemSchema), unread, nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listNotifications(ctx.services, { userId: ctx.user.id, cursor: input.cursor, limit: input.limit })),

  markRead: userProcedure
    .use(writeLimit('receipts'))
    .input(z.union([z.object({ ids: z.array(id).min(1).max(100) }).strict(), z.object({ all: z.literal(true) }).strict()]))
    .output(z.object({ unread }))
    .mutation(({ ctx, input }) => markNotificationsRead(ctx.services, { userId: ctx.user.id, which: 'ids' in input ? { ids: input.ids } : { all: true } })),
});
