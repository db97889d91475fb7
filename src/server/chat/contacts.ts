import type { Config } from '../app/config.ts';
import { AppError } from '../lib/app-error.ts';
import type { Clock } from '../lib/clock.ts';
import type { EventBus } from '../realtime/bus.ts';
import { channels } from '../realtime/bus-events.ts';
import type { Store, User } from '../store/store.ts';
import { requireActiveUsers } from './memberships.ts';
import type { Notifier } from './notifier.ts';

type Deps = {
  store: Pick<Store, 'contacts' | 'accounts'>;
  bus: EventBus;
  notifier: Pick<Notifier, 'contactRequested' | 'contactAccepted'>;
  config: Pick<Config, 'CONTACT_PENDING_MAX' | 'CONTACT_BLOCKS_MAX'>;
  clock: Clock;
};
type Pair = { userId: string; otherId: string };

/** The other person must exist, be active and not be the caller. */
async function requireOther(deps: Pick<Deps, 'store'>, { userId, otherId }: Pair) {
  if (otherId === userId) throw new AppError('BAD_REQUEST', 'That is you');
  await requireActiveUsers(deps, [otherId]);
}

/** After commit: both people's pages (all their devices) read their contact lists again. */
export async function publishContactChange(deps: Pick<Deps, 'bus'>, { userId, otherId }: Pair) {
  await deps.bus.publish(channels.user(userId), { type: 'contact.changed', userId, otherId });
  await deps.bus.publish(channels.user(otherId), { type: 'contact.changed', userId: otherId, otherId: userId });
}

/**
 * Asks `otherId` to become a contact; if they had asked me, that accepts it.
 * Asking again changes nothing; after a decline only they can ask. Someone who
 * blocked me never hears of my requests.
 */
export async function requestContact(deps: Deps, pair: Pair) {
  const { userId, otherId } = pair;
  await requireOther(deps, pair);
  if (await deps.store.contacts.blocks(userId, otherId)) throw new AppError('FORBIDDEN', 'You blocked this person: unblock them first');
  if (await deps.store.contacts.blocks(otherId, userId)) throw new AppError('FORBIDDEN', 'This person does not accept requests from you');
  const outcome = await deps.store.contacts.request({ requesterId: userId, addresseeId: otherId, pendingMax: deps.config.CONTACT_PENDING_MAX });
  if (outcome === 'full') {
    throw new AppError('CONFLICT', `You have ${deps.config.CONTACT_PENDING_MAX} requests waiting for an answer; wait for some of them`);
  }
  if (outcome === 'declined') throw new AppError('FORBIDDEN', 'This person declined your request');
  if (outcome === 'requested' || outcome === 'accepted') await publishContactChange(deps, pair);
  if (outcome === 'requested') deps.notifier.contactRequested({ requesterId: userId, addresseeId: otherId });
  if (outcome === 'accepted') deps.notifier.contactAccepted({ requesterId: otherId, addresseeId: userId });
  const status = outcome === 'requested' || outcome === 'pending' ? 'pending' : 'accepted';
  return { status: status as 'pending' | 'accepted' };
}

/** Accepts or declines the pending request `otherId` sent me. */
export async function answerContact(deps: Deps, pair: Pair & { accept: boolean }) {
  const { userId, otherId, accept } = pair;
  await requireOther(deps, pair);
  const status = accept ? ('accepted' as const) : ('declined' as const);
  const answered = await deps.store.contacts.answer({ requesterId: otherId, addresseeId: userId, status, at: new Date(deps.clock.now()) });
  if (!answered) throw new AppError('NOT_FOUND', 'This person has no request waiting for your answer');
  await publishContactChange(deps, pair);
  if (accept) deps.notifier.contactAccepted({ requesterId: otherId, addresseeId: userId });
  return { status };
}

export const toPerson = (user: User) => ({ userId: user.id, username: user.username, displayName: user.displayName });

const LIST_LIMIT = 500;

/** My contacts, the requests waiting for me and for them, and whom I blocked: at most 500 of each. */
export async function contactLists(deps: Pick<Deps, 'store'>, { userId }: { userId: string }) {
  const lists = await deps.store.contacts.listsOf(userId, LIST_LIMIT);
  const sent = ({ user, at }: { user: User; at: Date }) => ({ ...toPerson(user), at: at.toISOString() });
  return {
    contacts: lists.contacts.map(toPerson),
    incoming: lists.incoming.map(sent),
    outgoing: lists.outgoing.map(sent),
    blocked: lists.blocked.map(toPerson),
  };
}
