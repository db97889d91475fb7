import type { Clock } from '../lib/clock.ts';
import type { Store } from '../store/store.ts';
import type { Role } from './users.ts';

/**
 * Of these session ids, the ones that still authenticate, each with its
 * user's role as the database has it now. The others are expired, revoked,
 * gone, or their user was deactivated: the same rules as `sessionForToken`,
 * asked for many sessions at once. Only the role is read: this runs for every
 * open socket every SESSION_RECHECK_MS, and whole user rows for 20,000
 * sockets made ~25 MB of garbage each time.
 */
export async function liveSessions(deps: { store: Pick<Store, 'sessions'>; clock: Clock }, sessionIds: string[]): Promise<Map<string, Role>> {
  const live = new Map<string, Role>();
  for (const row of await deps.store.sessions.liveRoles(sessionIds, new Date(deps.clock.now()))) {
    live.set(row.id, row.role === 'admin' ? 'admin' : 'member');
  }
  return live;
}
