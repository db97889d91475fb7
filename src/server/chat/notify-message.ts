import { newTimeOrderedId } from '../lib/ids.ts';
import type { Notification } from '../store/notifications.ts';
import type { Store } from '../store/store.ts';
import { levelOf, type NotifyLevel } from './notify-levels.ts';
import type { PublicMessage } from './room-events.ts';
import type { RoomKind } from './serialize.ts';

type Deps = { store: Pick<Store, 'notifications' | 'contacts'> };
type MessageKind = 'mention' | 'direct' | 'message';

/**
 * What a member hears of a message, by their level: nothing; mentions (of
 * them, or @room) only; or every message. In a direct room at level all, a
 * mention is just another direct message.
 */
function kindFor(level: NotifyLevel, direct: boolean, mentioned: boolean): MessageKind | null {
  if (level === 'nothing') return null;
  if (level === 'all' && direct) return 'direct';
  if (mentioned) return 'mention';
  return level === 'all' ? 'message' : null;
}

/**
 * Writes the notifications of a posted message: the members other than the
 * author who have not blocked the author, by level. Each mention is a row of
 * its own; other messages collapse into the room's one unread row of their kind.
 * Returns the rows written or changed.
 */
export async function notifyMessage(
  deps: Deps,
  { roomId, roomKind, message }: { roomId: string; roomKind: RoomKind; message: PublicMessage },
): Promise<Notification[]> {
  const direct = roomKind === 'direct';
  const authorId = message.authorId;
  // The common case (no mention, not direct, nobody at level all) ends here after one index lookup.
  const candidates = await deps.store.notifications.candidates({ roomId, authorId, mentionIds: message.mentions, everyone: direct || message.mentionsRoom });
  if (candidates.length === 0) return [];
  const blockers = new Set(
    await deps.store.contacts.blockersAmong(
      authorId,
      candidates.map((c) => c.userId),
    ),
  );
  const mentioned = new Set(message.mentions);
  const groups: Record<MessageKind, string[]> = { mention: [], direct: [], message: [] };
  for (const candidate of candidates) {
    if (blockers.has(candidate.userId)) continue;
    const kind = kindFor(levelOf(candidate, roomKind), direct, message.mentionsRoom || mentioned.has(candidate.userId));
    if (kind) groups[kind].push(candidate.userId);
  }
  const at = new Date(message.createdAt);
  const about = { roomId, messageId: message.id, seq: message.seq, actorId: authorId };
  const rows = await deps.store.notifications.add(
    groups.mention.map((userId) => ({ id: newTimeOrderedId(), userId, kind: 'mention', ...about, createdAt: at })),
  );
  for (const kind of ['direct', 'message'] as const) {
    if (groups[kind].length === 0) continue;
    rows.push(...(await deps.store.notifications.collapse({ kind, ...about, userIds: groups[kind], at, newId: () => newTimeOrderedId() })));
  }
  return rows;
}
