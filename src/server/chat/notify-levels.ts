import { defaultLevel, type NotifyLevel } from '../../shared/notify-levels.ts';
import type { Membership } from '../store/store.ts';
import type { RoomKind } from './serialize.ts';

export { defaultLevel, NOTIFY_LEVELS, type NotifyLevel } from '../../shared/notify-levels.ts';

/** The level that applies to a member of a room of this kind (Membership.notify, or the kind's default). */
export function levelOf(membership: Pick<Membership, 'notify'>, kind: RoomKind | string): NotifyLevel {
  const chosen = membership.notify;
  return chosen === 'all' || chosen === 'mentions' || chosen === 'nothing' ? chosen : defaultLevel(kind);
}
