import type { Membership } from '../store/store.ts';
import type { RoomKind } from './serialize.ts';

export const NOTIFY_LEVELS = ['all', 'mentions', 'nothing'] as const;
export type NotifyLevel = (typeof NOTIFY_LEVELS)[number];

/** What a membership without a chosen level gets: every direct message, and mentions elsewhere. */
export const defaultLevel = (kind: RoomKind | string): NotifyLevel => (kind === 'direct' ? 'all' : 'mentions');

/** The level that applies to a member of a room of this kind (Membership.notify, or the kind's default). */
export function levelOf(membership: Pick<Membership, 'notify'>, kind: RoomKind | string): NotifyLevel {
  const chosen = membership.notify;
  return chosen === 'all' || chosen === 'mentions' || chosen === 'nothing' ? chosen : defaultLevel(kind);
}
