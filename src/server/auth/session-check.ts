import type { Services } from '../services.ts';
import { toPublicUser, type PublicUser } from './users.ts';

const CHUNK = 500;

/**
 * Of these session ids, the ones that still authenticate, each with its user
 * as the database has it now (role, name). The others are expired, revoked,
 * gone, or their user was deactivated: the same rules as `sessionForToken`,
 * asked for many sessions at once.
 */
export async function liveSessions(deps: Pick<Services, 'db' | 'clock'>, sessionIds: string[]): Promise<Map<string, PublicUser>> {
  const live = new Map<string, PublicUser>();
  const now = new Date(deps.clock.now());
  for (let i = 0; i < sessionIds.length; i += CHUNK) {
    const rows = await deps.db.session.findMany({
      where: { id: { in: sessionIds.slice(i, i + CHUNK) }, revokedAt: null, expiresAt: { gt: now }, user: { deactivatedAt: null } },
      select: { id: true, user: true },
    });
    for (const row of rows) live.set(row.id, toPublicUser(row.user));
  }
  return live;
}
