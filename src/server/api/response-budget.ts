import { TRPCError } from '@trpc/server';
import type { Context } from './context.ts';

/**
 * Bounds the bytes one request makes the server answer with
 * (MAX_RESPONSE_BYTES). Over HTTP the budget is the request's, shared by
 * every call of its batch; over WebSocket each call has its own (a frame
 * holds at most MAX_BATCH_CALLS of them, and the socket's unsent output is
 * bounded apart). Queries only: a mutation answers with about what it was
 * sent, a subscription writes through the bounded socket. The call that
 * would pass the budget gets PAYLOAD_TOO_LARGE instead of its data; the
 * calls of the batch that fit are answered as usual.
 */
export function chargeResponse(ctx: Context, data: unknown): void {
  const bytes = data === undefined ? 0 : Buffer.byteLength(JSON.stringify(data));
  const budget = ctx.responseBudget;
  const left = budget ? budget.left : ctx.services.config.MAX_RESPONSE_BYTES;
  if (bytes > left) {
    throw new TRPCError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `The answer would pass ${ctx.services.config.MAX_RESPONSE_BYTES} bytes for one request; ask for less (fewer calls per batch, smaller pages)`,
    });
  }
  if (budget) budget.left -= bytes;
}
