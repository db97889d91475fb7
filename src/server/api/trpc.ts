import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { isAppError } from '../lib/app-error.ts';
import { requestIdOf, type Context } from './context.ts';
import { chargeResponse } from './response-budget.ts';
import { refuseUnsafeText } from './text-guard.ts';

const t = initTRPC.context<Context>().create({
  // Stack traces reach clients only in development, and never with a fault of ours.
  isDev: process.env.NODE_ENV === 'development',
  // Plain JSON on the wire (no transformer) so any client can call the API.
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    // A fault of ours: the original message may be Prisma's, naming files,
    // tables and SQL. The client learns only that it happened and the id of
    // the log lines that say what (X-Request-Id over HTTP, connId over WebSocket).
    const fault = error.code === 'INTERNAL_SERVER_ERROR';
    const invalid = !fault && cause instanceof ZodError ? cause : null;
    return {
      ...shape,
      message: fault ? 'Internal server error' : shape.message,
      data: {
        ...shape.data,
        stack: fault ? undefined : shape.data.stack,
        // The path of each invalid field and what is wrong with it.
        zodError: invalid ? z.flattenError(invalid) : null,
        issues: invalid ? invalid.issues.map(({ path, message, code }) => ({ path, message, code })) : null,
        ...(isAppError(cause) ? cause.data : {}),
        ...(fault ? { requestId: requestIdOf(error, ctx) } : {}),
      },
    };
  },
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

/**
 * Domain code throws AppError; this is the one place it becomes a TRPCError with
 * the matching code. It also counts the call so shutdown can wait for it, and
 * charges a query's answer to the request's response budget.
 * First of all, text with NUL or a lone surrogate is refused (text-guard.ts).
 * Subscriptions hold a slot of their connection by their own means
 * (realtime/room-stream.ts, hold-slot.ts holdSlot): a middleware
 * would hold it for a stream it cannot see end.
 */
const base = t.procedure.use(async ({ ctx, type, next, getRawInput }) => {
  if (type === 'mutation' && ctx.crossSite) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-site request refused' });
  }
  // One middleware, not two: tRPC copies the whole context at every layer.
  await refuseUnsafeText(getRawInput);
  const result = await (type === 'subscription' ? next() : ctx.services.inflight.track(() => next()));
  if (!result.ok && isAppError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  if (type === 'query' && result.ok) chargeResponse(ctx, result.data);
  return result;
});

export const publicProcedure = base;

/**
 * Signed in: `ctx.session`, and `ctx.user`, the caller as the API shows users.
 * (tRPC merges what `next` adds into the context, copying it whole at every
 * middleware, so each layer here is a cost on every call.)
 */
export const authedProcedure = base.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  return next({ ctx: { session: ctx.session, user: ctx.session.user } });
});
