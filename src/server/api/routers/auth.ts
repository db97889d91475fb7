import { z } from 'zod';
import { logIn, registerAccount } from '../../auth/accounts.ts';
import { endSession } from '../../auth/sessions.ts';
import { displayName } from '../inputs.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';
import { writeLimit } from '../write-limits.ts';

const username = z
  .string()
  .trim()
  .min(3, 'at least 3 characters')
  .max(32, 'at most 32 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, dot, dash and underscore only');
const password = z.string().min(8, 'at least 8 characters').max(256, 'at most 256 characters');

export const authRouter = router({
  register: publicProcedure
    .use(writeLimit('registrations'))
    .input(z.object({ username, password, displayName: displayName.optional() }))
    .mutation(async ({ ctx, input }) => {
      const result = await registerAccount(ctx.services, input);
      ctx.cookie.set(result.token, result.expiresAt);
      return { token: result.token, user: result.user };
    }),

  login: publicProcedure.input(z.object({ username: z.string().max(64), password: z.string().max(256) })).mutation(async ({ ctx, input }) => {
    const result = await logIn(ctx.services, { ...input, ip: ctx.clientIp });
    ctx.cookie.set(result.token, result.expiresAt);
    return { token: result.token, user: result.user };
  }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await endSession(ctx.services, { sessionId: ctx.session.id, userId: ctx.session.userId });
    ctx.cookie.clear();
    return { ok: true as const };
  }),

  me: authedProcedure.query(({ ctx }) => ctx.session.user),
});
