import type { Config } from '../app/config.ts';
import { AppError } from '../lib/app-error.ts';
import type { EventBus } from '../realtime/bus.ts';
import type { Store } from '../store/store.ts';
import { publishContactChange } from './contacts.ts';
import { requireActiveUsers } from './memberships.ts';

type Deps = { store: Pick<Store, 'contacts' | 'accounts'>; bus: EventBus; config: Pick<Config, 'CONTACT_BLOCKS_MAX'> };

/**
 * Blocks `otherId`: no direct messages (chat/reach.ts), no contact requests
 * and no notifications (chat/notifier.ts) from them, and any request or
 * contact between us is forgotten. They are not told; blocking twice is a no-op.
 */
export async function blockPerson(deps: Deps, { userId, otherId }: { userId: string; otherId: string }) {
  if (otherId === userId) throw new AppError('BAD_REQUEST', 'You cannot block yourself');
  await requireActiveUsers(deps, [otherId]);
  const max = deps.config.CONTACT_BLOCKS_MAX;
  if ((await deps.store.contacts.block({ blockerId: userId, blockedId: otherId, blocksMax: max })) === 'full') {
    throw new AppError('CONFLICT', `You have blocked the most people one can (${max}); unblock someone first`);
  }
  await publishContactChange(deps, { userId, otherId });
  return { blocked: true as const };
}

export async function unblockPerson(deps: Deps, { userId, otherId }: { userId: string; otherId: string }) {
  if (!(await deps.store.contacts.unblock(userId, otherId))) throw new AppError('NOT_FOUND', 'You have not blocked this person');
  await publishContactChange(deps, { userId, otherId });
  return { blocked: false as const };
}
