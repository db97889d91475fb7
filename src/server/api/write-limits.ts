import type { RateLimits } from '../limits/rate-limits.ts';
import { middleware } from './trpc.ts';

type WriteLimit = keyof Pick<
  RateLimits,
  'edits' | 'roomChanges' | 'receipts' | 'adminActions' | 'registrations' | 'accountChanges' | 'passwordLinks' | 'contactRequests' | 'reactions'
>;

const MESSAGES: Record<WriteLimit, string> = {
  edits: 'Too many edits and deletes; try again shortly',
  roomChanges: 'Too many room changes; try again shortly',
  receipts: 'Too many read receipts; try again shortly',
  adminActions: 'Too many admin actions; try again shortly',
  registrations: 'Too many accounts registered from this address; try again later',
  accountChanges: 'Too many account changes; try again shortly',
  passwordLinks: 'Too many password links tried from this address; try again later',
  contactRequests: 'Too many contact requests and blocks; try again shortly',
  reactions: 'Too many reactions; try again shortly',
};

/**
 * Every write that takes a seq or fans out draws from a token bucket
 * (README: Limits) before it runs, so a refused call writes nothing. The
 * bucket is the signed-in user's; registrations are counted per client
 * address, and so are uses of password links (before the input is parsed or a password hashed). Each call of a
 * batch draws its own token, so batching buys nothing.
 */
export function writeLimit(limit: WriteLimit) {
  return middleware(({ ctx, next }) => {
    const perAddress = limit === 'registrations' || limit === 'passwordLinks';
    const key = (perAddress ? ctx.clientIp : ctx.session?.userId) ?? 'unknown';
    ctx.services.limits[limit].takeOrThrow(key, MESSAGES[limit]);
    return next();
  });
}
