import type { WebSocket } from 'ws';
import { CloseCode } from '../../shared/wire.ts';
import { liveSessions } from '../auth/session-check.ts';
import { LAST_SEEN_EVERY_MS, type ActiveSession } from '../auth/sessions.ts';
import { toPublicUser } from '../auth/users.ts';
import type { Services } from '../app/services.ts';
import type { Admission } from './admission.ts';

type Deps = Pick<Services, 'store' | 'clock' | 'config' | 'log'>;

/**
 * Keeps what open sockets hold of their sessions true to the database.
 * A socket's session (and its user's role) is read once when it
 * authenticates, and every call on it reads `ctx.session`; so:
 * - a `user.changed` event (role change, on any instance; the connection
 *   registry hears it) refreshes the user's sessions at once (the socket's
 *   context holds the very session object, so its next call sees the change);
 * - every SESSION_RECHECK_MS all of them are read again: an expired,
 *   revoked or deactivated session closes its sockets (4401), and a role
 *   change whose event was lost (Redis away) is applied anyway.
 */
export function startSessionRecheck(deps: Deps, admission: Admission) {
  let running = false;
  let lastTouched = 0;
  const timer = setInterval(() => {
    if (running) return; // a slow database: never two sweeps at once
    running = true;
    recheck(sessionsOf(admission)).then(
      () => (running = false),
      (err: unknown) => {
        running = false;
        deps.log.warn({ err: (err as Error).message }, 'session recheck failed');
      },
    );
  }, deps.config.SESSION_RECHECK_MS).unref();

  async function recheck(bySession: Map<string, { sessions: ActiveSession[]; sockets: WebSocket[] }>): Promise<void> {
    if (bySession.size === 0) return;
    const live = await liveSessions(deps, [...bySession.keys()]);
    // Open sockets are use: their sessions' "last seen" moves on, once a minute at most.
    const now = deps.clock.now();
    if (now - lastTouched >= LAST_SEEN_EVERY_MS) {
      lastTouched = now;
      await deps.store.sessions.touch([...live.keys()], new Date(now), new Date(now - LAST_SEEN_EVERY_MS));
    }
    for (const [id, held] of bySession) {
      const role = live.get(id);
      if (!role) for (const ws of held.sockets) ws.close(CloseCode.unauthorized, 'Session ended');
      else for (const session of held.sessions) if (session.user.role !== role) session.user = { ...session.user, role };
    }
  }

  async function refreshUser(userId: string): Promise<void> {
    const held = [...admission.authenticated.values()].map((peer) => peer.session!).filter((session) => session.userId === userId);
    if (held.length === 0) return;
    const row = await deps.store.accounts.byId(userId);
    if (!row) return; // gone: its sessions went with it, and the recheck closes the sockets
    const user = toPublicUser(row);
    for (const session of held) session.user = user;
  }

  return {
    stop: () => clearInterval(timer),
    /** A `user.changed` event: what that user's sessions hold of them is read again now. */
    refreshUser(userId: string): void {
      refreshUser(userId).catch((err: unknown) => deps.log.warn({ err: (err as Error).message, userId }, 'session refresh failed'));
    },
  };
}

/** The open sockets by session id, with the session objects their contexts hold. */
function sessionsOf(admission: Admission) {
  const bySession = new Map<string, { sessions: ActiveSession[]; sockets: WebSocket[] }>();
  for (const [ws, peer] of admission.authenticated) {
    const session = peer.session!;
    let held = bySession.get(session.id);
    if (!held) bySession.set(session.id, (held = { sessions: [], sockets: [] }));
    if (!held.sessions.includes(session)) held.sessions.push(session);
    held.sockets.push(ws);
  }
  return bySession;
}
