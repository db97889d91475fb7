import { limitError } from '../limits/rate-limits.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import { postMessage } from './messages.ts';

type Deps = Parameters<typeof postMessage>[0] & { limits: Pick<RateLimits, 'messages'> };
type Send = Parameters<typeof postMessage>[1];

/**
 * `messages.send` behind the per-user message rate (MESSAGES_PER_MINUTE with a
 * MESSAGE_BURST), one bucket per user across all their connections. A retry
 * of a send that was already accepted is never refused: a client resending
 * after a lost acknowledgement gets its message back, whatever the limit says.
 * Refusals happen before anything is written, so nothing half-done is left.
 */
export async function postMessageWithinRate(deps: Deps, send: Send) {
  const verdict = deps.limits.messages.take(send.authorId);
  if (!verdict.ok && !(await alreadyAccepted(deps, send))) {
    const seconds = Math.ceil(verdict.retryAfterMs / 1000);
    throw limitError('message', `Too many messages; try again in ${seconds} s`, verdict.retryAfterMs);
  }
  return postMessage(deps, send);
}

async function alreadyAccepted(deps: Deps, { authorId, clientMessageId }: Send): Promise<boolean> {
  return (await deps.store.messages.byClientId(authorId, clientMessageId)) !== null;
}
