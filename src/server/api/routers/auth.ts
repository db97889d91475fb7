import { z } from 'zod';
import { changeDisplayName, changePassword } from '../../auth/account-settings.ts';
import { logIn, registerAccount } from '../../auth/accounts.ts';
import { usePasswordLink } from '../../auth/password-links.ts';
import { registrationStatus } from '../../auth/registration.ts';
import { endSessions, listSessions } from '../../auth/session-list.ts';
import { endSession } from '../../auth/sessions.ts';
import { displayName, linkToken, password, username } from '../inputs.ts';
import { id } from '../procedures.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';
import { writeLimit } from '../write-limits.ts';

const accountChange = writeLimit('accountChanges');

export const authRouter = router({
  /** Who may register, whether the server has its admin, and whether a link from the page's address can be used. */
  registration: publicProcedure
    .input(z.object({ link: z.object({ kind: z.enum(['setup', 'invite', 'reset']), token: linkToken }).optional() }).optional())
    .query(({ ctx, input }) => registrationStatus(ctx.services, input?.link)),

  register: publicProcedure
    .use(writeLimit('registrations'))
    .input(z.object({ username, password, displayName: displayName.optional(), setupToken: linkToken.optional(), inviteToken: linkToken.optional() }))
    .mutation(async ({ ctx, input }) => {
      const result = await registerAccount(ctx.services, { ...input, userAgent: ctx.userAgent });
      ctx.cookie.set(result.token, result.expiresAt);
      return { token: result.token, user: result.user };
    }),

  login: publicProcedure.input(z.object({ username: z.string().max(64), password: z.string().max(256) })).mutation(async ({ ctx, input }) => {
    const result = await logIn(ctx.services, { ...input, ip: ctx.clientIp, userAgent: ctx.userAgent });
    ctx.cookie.set(result.token, result.expiresAt);
    return { token: result.token, user: result.user };
  }),

  /** A password-reset (or set-password) link from an admin: sets the password, ends every other session, signs in here. */
  usePasswordLink: publicProcedure
    .use(writeLimit('passwordLinks'))
    .input(z.object({ token: linkToken, password }))
    .mutation(async ({ ctx, input }) => {
      const result = await usePasswordLink(ctx.services, { ...input, userAgent: ctx.userAgent });
      ctx.cookie.set(result.token, result.expiresAt);
      return { token: result.token, user: result.user };
    }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await endSession(ctx.services, { sessionId: ctx.session.id, userId: ctx.session.userId });
    ctx.cookie.clear();
    return { ok: true as const };
  }),

  me: authedProcedure.query(({ ctx }) => ctx.session.user),

  changePassword: authedProcedure
    .use(accountChange)
    .input(z.object({ currentPassword: z.string().max(256), newPassword: password }))
    .mutation(({ ctx, input }) => changePassword(ctx.services, { ...input, userId: ctx.user.id, sessionId: ctx.session.id })),

  setDisplayName: authedProcedure
    .use(accountChange)
    .input(z.object({ displayName }))
    .mutation(({ ctx, input }) => changeDisplayName(ctx.services, { userId: ctx.user.id, displayName: input.displayName })),

  sessions: authedProcedure.query(({ ctx }) => listSessions(ctx.services, { userId: ctx.user.id, currentSessionId: ctx.session.id })),

  /** Ends one of my sessions (`sessionId`), every other one (`others`), or all, this one too (`all`). */
  endSessions: authedProcedure
    .use(accountChange)
    .input(z.union([z.object({ sessionId: id }), z.object({ which: z.enum(['others', 'all']) })]))
    .mutation(async ({ ctx, input }) => {
      const which = 'sessionId' in input ? { only: input.sessionId } : input.which;
      const result = await endSessions(ctx.services, { userId: ctx.user.id, currentSessionId: ctx.session.id, which });
      if (result.endedThis) ctx.cookie.clear();
      return result;
    }),
});
