import type { Services } from '../services.ts';

const CHUNK = 500;

/**
 * Of these session ids, the ones that no longer authenticate: expired,
 * revoked, gone, or whose user was deactivated. The same rules as
 * `sessionForToken`, asked for many sessions at once.
 */
export async function endedSessions(deps: Pick<Services, 'db' | 'clock'>, sessionIds: string[]): Promise<Set<string>> {
  const live = new Set<string>();
  const now = new Date(deps.clock.now());
  for (let i = 0; i < sessionIds.length; i += CHUNK) {
    const rows = await deps.db.session.findMany({
      where: { id: { in: sessionIds.slice(i, i + CHUNK) }, revokedAt: null, expiresAt: { gt: now }, user: { deactivatedAt: null } },
      select: { id: true },
    });
    for (const row of rows) live.add(row.id);
  }
  return new Set(sessionIds.filter((id) => !live.has(id)));
}
