import type { TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';

type Resumable = Record<string, unknown> & { lastEventId?: string | null };

const isResumable = (input: unknown): input is Resumable => typeof input === 'object' && input !== null && 'lastEventId' in input;

/**
 * Keeps a subscription's `input.lastEventId` at the id of the last *tracked*
 * event it delivered, so a resubscription after a reconnect resumes there.
 *
 * Why: tRPC's WebSocket client does remember the last event id for the
 * resubscription, but it overwrites it with every event, tracked or not, and
 * Hearth's room stream interleaves untracked events (presence, typing,
 * receipts) with tracked ones. After a receipt the remembered id is gone and
 * the server falls back to `input.lastEventId`, the page's starting point:
 * a replay of everything since (or a `reset`) instead of just the gap.
 *
 * How: the WebSocket client re-sends the very input object it was given
 * (there is no transformer), so this link hands it a copy it owns and updates.
 * If that ever stops holding, nothing breaks: the room view ignores replayed
 * events at or below its cursor and refetches on `reset`; the offline e2e test
 * (no history refetch after a short outage) would notice the extra work.
 * Only subscriptions whose input has a `lastEventId` key opt in.
 */
export function resumeLink<TRouter extends AnyTRPCRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ next, op }) => {
      if (op.type !== 'subscription' || !isResumable(op.input)) return next(op);
      const input: Resumable = { ...op.input };
      return observable((observer) =>
        next({ ...op, input }).subscribe({
          next(envelope) {
            const result = envelope.result as { type?: string; id?: unknown };
            if ((result.type === undefined || result.type === 'data') && typeof result.id === 'string') input.lastEventId = result.id;
            observer.next(envelope);
          },
          error: (error) => observer.error(error),
          complete: () => observer.complete(),
        }),
      );
    };
}
