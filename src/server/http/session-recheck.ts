import type { WebSocket } from 'ws';
import { CloseCode } from '../../trpc/protocol.ts';
import { endedSessions } from '../auth/session-check.ts';
import type { Services } from '../services.ts';
import type { Admission } from './admission.ts';

/**
 * Every SESSION_RECHECK_MS the sessions behind open sockets are read again,
 * and the sockets of one that expired, was revoked or whose user was
 * deactivated are closed (4401). Revocations already close sockets at once
 * through the event bus; this catches what the bus cannot: expiry (nothing
 * happens at that moment) and a revocation whose event was lost (Redis away).
 * Returns the function that stops it.
 */
export function startSessionRecheck(deps: Pick<Services, 'db' | 'clock' | 'config' | 'log'>, admission: Admission): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return; // a slow database: never two sweeps at once
    running = true;
    recheck().then(
      () => (running = false),
      (err: unknown) => {
        running = false;
        deps.log.warn({ err: (err as Error).message }, 'session recheck failed');
      },
    );
  }, deps.config.SESSION_RECHECK_MS).unref();

  async function recheck(): Promise<void> {
    const bySession = new Map<string, WebSocket[]>();
    for (const [ws, peer] of admission.authenticated) {
      const id = peer.session!.id;
      bySession.set(id, [...(bySession.get(id) ?? []), ws]);
    }
    if (bySession.size === 0) return;
    for (const id of await endedSessions(deps, [...bySession.keys()])) {
      for (const ws of bySession.get(id) ?? []) ws.close(CloseCode.unauthorized, 'Session ended');
    }
  }

  return () => clearInterval(timer);
}
