import type { Services } from '../app/services.ts';
import type { Role } from './users.ts';

const CHUNK = 500;

/**
 * Of these session ids, the ones that still authenticate, each with its
 * user's role as the database has it now. The others are expired, revoked,
 * gone, or their user was deactivated: the same rules as `sessionForToken`,
 * asked for many sessions at once. Only the role is read: this runs for every
 * open socket every SESSION_RECHECK_MS, and whole user rows for 20,000
 * sockets made ~25 MB of garbage each time.
 */
export async function liveSessions(deps: Pick<Services, 'db' | 'clock'>, sessionIds: string[]): Promise<Map<string, Role>> {
  const live = new Map<string, Role>();
  const now = new Date(deps.clock.now());
  for (let i = 0; i < sessionIds.length; i += CHUNK) {
    const rows = await deps.db.session.findMany({
      where: { id: { in: sessionIds.slice(i, i + CHUNK) }, revokedAt: null, expiresAt: { gt: now }, user: { deactivatedAt: null } },
      select: { id: true, user: { select: { role: true } } },
    });
    for (const row of rows) live.set(row.id, row.user.role === 'admin' ? 'admin' : 'member');
  }
  return live;
}
