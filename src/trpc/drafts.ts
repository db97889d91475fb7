/**
 * What I was writing in each room, kept across room switches and reloads:
 * one localStorage entry per signed-in user (two accounts on one browser do
 * not share), bounded in rooms and in length, the oldest dropped first.
 */
export const MAX_DRAFT_ROOMS = 50;
export const MAX_DRAFT_LENGTH = 20_000;

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;
type Entries = Record<string, { text: string; at: number }>;

export const draftsKey = (userId: string) => `hearth.drafts.${userId}`;

function read(storage: Storage, userId: string): Entries {
  try {
    const value: unknown = JSON.parse(storage.getItem(draftsKey(userId)) ?? '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Entries) : {};
  } catch {
    return {}; // unreadable (edited by hand, another version): start again
  }
}

export function loadDraft(storage: Storage, userId: string, roomId: string): string {
  const entry = read(storage, userId)[roomId];
  return typeof entry?.text === 'string' ? entry.text : '';
}

/** Saves (or, when empty, forgets) the room's draft. */
export function saveDraft(storage: Storage, { userId, roomId, text, now = Date.now() }: { userId: string; roomId: string; text: string; now?: number }) {
  const entries = read(storage, userId);
  delete entries[roomId];
  if (text.trim()) entries[roomId] = { text: text.slice(0, MAX_DRAFT_LENGTH), at: now };
  const kept = Object.entries(entries)
    .sort(([, a], [, b]) => b.at - a.at)
    .slice(0, MAX_DRAFT_ROOMS);
  try {
    if (kept.length) storage.setItem(draftsKey(userId), JSON.stringify(Object.fromEntries(kept)));
    else storage.removeItem(draftsKey(userId));
  } catch {
    // Storage full or disabled: the draft lives as long as the page.
  }
}
