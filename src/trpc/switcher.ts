/**
 * The quick switcher's list (Ctrl/Cmd+K): my rooms whose name matches what was
 * typed, best matches first, then people from the search who have no direct
 * room with me alone yet (that room is listed under their name already).
 */
export type SwitcherItem =
  { kind: 'room'; id: string; roomId: string; label: string; direct: boolean; unread: number } | { kind: 'person'; id: string; userId: string; label: string };

export interface SwitcherRoom {
  id: string;
  label: string;
  direct: boolean;
  unread: number;
  /** For a direct room: the other people in it. */
  others: readonly string[];
}

export const MAX_SWITCHER_ITEMS = 20;

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** 0: starts with the query, 1: a word starts with it, 2: contains it, null: no match. */
function rank(label: string, query: string): number | null {
  const text = fold(label);
  if (text.startsWith(query)) return 0;
  if (new RegExp(`[\\s@#._-]${query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(text)) return 1;
  return text.includes(query) ? 2 : null;
}

export function switcherItems({
  rooms,
  people,
  query,
  meId,
}: {
  rooms: readonly SwitcherRoom[];
  people: ReadonlyArray<{ id: string; label: string }>;
  query: string;
  meId: string;
}): SwitcherItem[] {
  const q = fold(query.trim());
  const matches = rooms
    .map((room, order) => ({ room, order, rank: q ? rank(room.label, q) : room.unread > 0 ? 0 : 1 }))
    .filter((m): m is typeof m & { rank: number } => m.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map(({ room }): SwitcherItem => ({ kind: 'room', id: `room:${room.id}`, roomId: room.id, label: room.label, direct: room.direct, unread: room.unread }));
  const talkedTo = new Set(rooms.filter((r) => r.direct && r.others.length === 1).map((r) => r.others[0]));
  const found = q
    ? people
        // The search's answer may be for an earlier query (kept while the next one loads).
        .filter((p) => p.id !== meId && !talkedTo.has(p.id) && rank(p.label, q) !== null)
        .map((p): SwitcherItem => ({ kind: 'person', id: `person:${p.id}`, userId: p.id, label: p.label }))
    : [];
  return [...matches, ...found].slice(0, MAX_SWITCHER_ITEMS);
}

/** The next highlighted row for an arrow key, wrapping around. */
export const moveActive = (index: number, by: 1 | -1, count: number): number => (count === 0 ? -1 : (index + by + count) % count);
