import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Store } from '../store/store.ts';

/**
 * After a change to who a person is (role, display name) commits: every
 * instance refreshes what its open sockets hold of them (`user.changed`),
 * their own open pages read `auth.me` again (`account.changed` on their
 * channel), and, when the name changed, each of their rooms hears it
 * (`member.changed`), so the pages showing that room or direct message read
 * its members again. One event per room, not per member.
 */
export async function announceAccountChanged(
  deps: { bus: EventBus; store: Pick<Store, 'memberships'> },
  { userId, nameChanged }: { userId: string; nameChanged: boolean },
): Promise<void> {
  await deps.bus.publish(channels.sessions, { type: 'user.changed', userId });
  await deps.bus.publish(channels.user(userId), { type: 'account.changed', userId });
  if (!nameChanged) return;
  for (const roomId of await deps.store.memberships.roomIdsOf(userId)) {
    await deps.bus.publish(channels.room(roomId), { type: 'member.changed', roomId, userId });
  }
}
