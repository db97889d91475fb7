import { z } from 'zod';

/**
 * Everything that travels on the event bus, as one validated union. Events are
 * parsed where they cross a process boundary (Redis), so a malformed payload is
 * dropped at the edge instead of thrown into a subscriber.
 */
export const busEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('session.revoked'),
    userId: z.string(),
    // Empty means every session of the user (deactivation, "log out everywhere").
    sessionIds: z.array(z.string()),
  }),
]);

export type BusEvent = z.infer<typeof busEventSchema>;

/** Channel names: one per room, one per user, one for session changes. */
export const channels = {
  sessions: 'sessions',
  room: (roomId: string) => `room:${roomId}`,
  user: (userId: string) => `user:${userId}`,
} as const;
