import { BEFORE_AT, NAME_CHAR, ROOM_MENTION } from '../shared/mentions.ts';

/**
 * The composer's `@` autocomplete, without React: which `@name` the caret is
 * in, the members (and `@room`) it could be, and the text once one is picked.
 * The `@` follows shared/mentions.ts's rule (not inside a word, an email
 * address or a URL path), so the list opens only where a mention would count.
 */

export const MAX_SUGGESTIONS = 8;

/** The `@name` being typed: where its `@` is, where it ends, and what follows the `@` up to the caret. */
export interface MentionQuery {
  start: number;
  end: number;
  query: string;
}

export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  let at = caret;
  while (at > 0 && NAME_CHAR.test(text[at - 1]!)) at--;
  if (at === 0 || text[at - 1] !== '@') return null;
  const start = at - 1;
  if (start > 0 && BEFORE_AT.test(text[start - 1]!)) return null;
  let end = caret;
  while (end < text.length && NAME_CHAR.test(text[end]!)) end++;
  return { start, end, query: text.slice(at, caret) };
}

export interface Candidate {
  userId: string;
  username: string;
  displayName: string;
}

export type Suggestion = { kind: 'person'; id: string; username: string; displayName: string } | { kind: 'room'; id: 'room'; username: typeof ROOM_MENTION };

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** 0: the username starts with the query, 1: the display name or one of its words does, 2: either contains it, null: no match. */
function rank(member: Candidate, query: string): number | null {
  if (!query) return 0;
  const username = member.username.toLowerCase();
  const name = fold(member.displayName);
  if (username.startsWith(query)) return 0;
  if (name.split(/[\s._-]+/).some((word) => word.startsWith(query))) return 1;
  return username.includes(query) || name.includes(query) ? 2 : null;
}

/**
 * Members matching what follows the `@` (prefix matches first, then by
 * username), without me, at most MAX_SUGGESTIONS; `@room` last when it
 * matches and I may use it here.
 */
export function mentionSuggestions({
  members,
  query,
  meId,
  offerRoom,
}: {
  members: readonly Candidate[];
  query: string;
  meId: string;
  offerRoom: boolean;
}): Suggestion[] {
  const q = fold(query);
  const room = offerRoom && ROOM_MENTION.startsWith(q);
  const people = members
    .filter((m) => m.userId !== meId)
    .map((member) => ({ member, rank: rank(member, q) }))
    .filter((m): m is typeof m & { rank: number } => m.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.member.username.localeCompare(b.member.username))
    .slice(0, room ? MAX_SUGGESTIONS - 1 : MAX_SUGGESTIONS)
    .map(({ member }): Suggestion => ({ kind: 'person', id: member.userId, username: member.username, displayName: member.displayName }));
  return room ? [...people, { kind: 'room', id: 'room', username: ROOM_MENTION }] : people;
}

/** The text with the `@name` being typed replaced by `@username ` (one space after it), and the caret just past that space. */
export function insertMention(text: string, at: Pick<MentionQuery, 'start' | 'end'>, username: string): { text: string; caret: number } {
  const before = `${text.slice(0, at.start)}@${username}`;
  const after = text.slice(at.end);
  const spaced = after.startsWith(' ') ? after : ` ${after}`;
  return { text: before + spaced, caret: before.length + 1 };
}

/**
 * Who may say `@room` here, as chat/mentions.ts decides on the server: room
 * admins and Hearth admins always, anyone while the room has at most `limit`
 * members. Without the limit yet (details loading), only admins are offered it.
 */
export function mayMentionRoom({
  memberCount,
  limit,
  roomAdmin,
  hearthAdmin,
}: {
  memberCount: number;
  limit: number | null;
  roomAdmin: boolean;
  hearthAdmin: boolean;
}) {
  return roomAdmin || hearthAdmin || (limit !== null && memberCount <= limit);
}
