import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Store } from '../store/store.ts';
import { describeDevice } from './devices.ts';

type Deps = { store: Pick<Store, 'sessions'>; bus: EventBus; clock: { now(): number } };

/** Sessions listed at most: one person's devices, newest first. */
export const SESSIONS_LISTED = 100;

/** My live sessions: the device each was opened on, when, when last used, and which one is this. */
export async function listSessions(deps: Pick<Deps, 'store' | 'clock'>, { userId, currentSessionId }: { userId: string; currentSessionId: string }) {
  const sessions = await deps.store.sessions.liveOf(userId, new Date(deps.clock.now()), SESSIONS_LISTED);
  return sessions.map((session) => ({
    id: session.id,
    device: describeDevice(session.userAgent),
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: (session.lastSeenAt ?? session.createdAt).toISOString(),
    current: session.id === currentSessionId,
  }));
}

/**
 * Ends one of my sessions, all but this one, or all of them; their sockets
 * close at once (commit, then `session.revoked`). Only my own sessions: another
 * person's id is NOT_FOUND, as an unknown one.
 */
export async function endSessions(deps: Deps, input: { userId: string; currentSessionId: string; which: { only: string } | 'others' | 'all' }) {
  const which = input.which === 'all' ? {} : input.which === 'others' ? { except: input.currentSessionId } : input.which;
  const ended = await deps.store.sessions.revokeOf(input.userId, new Date(deps.clock.now()), which);
  if (typeof input.which === 'object' && ended.length === 0) throw new AppError('NOT_FOUND', 'No such session, or it has ended already');
  if (ended.length > 0) await deps.bus.publish(channels.sessions, { type: 'session.revoked', userId: input.userId, sessionIds: ended });
  return { ended: ended.length, endedThis: ended.includes(input.currentSessionId) };
}
