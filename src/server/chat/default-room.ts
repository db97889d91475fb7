import type { Config } from '../app/config.ts';
import { newId } from '../lib/ids.ts';
import type { EventBus } from '../realtime/bus.ts';
import { DUPLICATE, type Room, type Store } from '../store/store.ts';
import { grantMemberships } from './memberships.ts';
import { nameKeyOf } from './room-details.ts';

type Deps = { store: Pick<Store, 'rooms' | 'memberships'>; bus: EventBus; config: Pick<Config, 'DEFAULT_ROOM'> };

/** The room named DEFAULT_ROOM (any case), if that is set and such a room exists. */
const defaultRoom = (deps: Deps): Promise<Room | null> =>
  deps.config.DEFAULT_ROOM ? deps.store.rooms.byNameKey(nameKeyOf(deps.config.DEFAULT_ROOM)) : Promise.resolve(null);

/**
 * At start: the default room exists, open, with no members of its own. A room
 * of that name made earlier (by anyone, of any kind) is kept as it is; two
 * servers starting at once make one between them (the name's unique key).
 */
export async function ensureDefaultRoom(deps: Deps): Promise<void> {
  const name = deps.config.DEFAULT_ROOM;
  if (!name || (await defaultRoom(deps))) return;
  const created = await deps.store.rooms.create({ id: newId(), name, nameKey: nameKeyOf(name), kind: 'open', createdById: null }, []);
  if (created === DUPLICATE) return; // another server made it meanwhile
}

/** Every new account joins the default room, if it is open and not archived (joined by themselves: no actor). */
export async function joinDefaultRoom(deps: Deps, { userId }: { userId: string }): Promise<void> {
  const room = await defaultRoom(deps);
  if (!room || room.kind !== 'open' || room.archivedAt) return;
  if ((await deps.store.memberships.membersAmong(room.id, [userId])).length > 0) return;
  await grantMemberships(deps, { roomId: room.id, userIds: [userId], actorId: null });
}
