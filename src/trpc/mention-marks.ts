import { mentionTokens, ROOM_MENTION } from '../shared/mentions.ts';

/**
 * Which `@name`s in a text are real mentions, read with the server's own
 * parser (shared/mentions.ts): in a sent message, those the server resolved
 * (its `mentions` and `mentionsRoom`); in a draft, those naming nobody here.
 */
export type MentionPart = { kind: 'text'; text: string } | { kind: 'mention'; text: string; me: boolean };

export interface Resolved {
  /** Usernames of the members the message mentions (lowercase). */
  usernames: ReadonlySet<string>;
  /** Whether it mentions `@room`. */
  room: boolean;
  /** My username (lowercase): a mention of me (or `@room`) is marked `me`. */
  me: string;
}

/**
 * Splits text into plain text and the mentions the server resolved. A token
 * names a member whole ("@ann.b") or without its trailing dots and dashes
 * ("@ann." is "@ann" and a full stop), as the server reads it.
 */
export function mentionParts(text: string, resolved: Resolved): MentionPart[] {
  const parts: MentionPart[] = [];
  let last = 0;
  for (const token of mentionTokens(text)) {
    const isRoom = resolved.room && (token.name === ROOM_MENTION || token.trimmed === ROOM_MENTION);
    const name = isRoom ? (token.name === ROOM_MENTION ? token.name : token.trimmed) : resolved.usernames.has(token.name) ? token.name : token.trimmed;
    if (!isRoom && !resolved.usernames.has(name)) continue;
    const end = token.start + 1 + name.length;
    if (token.start > last) parts.push({ kind: 'text', text: text.slice(last, token.start) });
    parts.push({ kind: 'mention', text: text.slice(token.start, end), me: isRoom || name === resolved.me });
    last = end;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** Whether a message mentions me: by name, or `@room`. */
export const mentionsMe = (message: { mentions: readonly string[]; mentionsRoom: boolean }, meId: string): boolean =>
  message.mentionsRoom || message.mentions.includes(meId);

/**
 * The `@name`s of a draft that name nobody in the room (as typed, without
 * trailing punctuation, each once), so the composer can say they will not be
 * notified; `skip` is where the token being typed starts (the caret is in it).
 */
export function unknownMentions(text: string, members: ReadonlySet<string>, skip: number | null = null): string[] {
  const unknown = new Map<string, string>();
  for (const token of mentionTokens(text)) {
    if (token.name === ROOM_MENTION || token.trimmed === ROOM_MENTION) continue;
    if (skip === token.start) continue;
    if (members.has(token.name) || members.has(token.trimmed)) continue;
    const typed = text.slice(token.start + 1, token.start + 1 + token.trimmed.length);
    if (typed && !unknown.has(token.trimmed)) unknown.set(token.trimmed, typed);
  }
  return [...unknown.values()];
}

/** "@zed is not in this room and will not be notified", for one name or several. */
export function unknownMentionsSentence(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const handles = names.map((name) => `@${name}`);
  const list = handles.length === 1 ? handles[0] : `${handles.slice(0, -1).join(', ')} and ${handles.at(-1)}`;
  return `${list} ${handles.length === 1 ? 'is' : 'are'} not in this room and will not be notified`;
}

/** Whether a draft says `@room`. */
export const draftMentionsRoom = (text: string): boolean => mentionTokens(text).some((t) => t.name === ROOM_MENTION || t.trimmed === ROOM_MENTION);

/**
 * What the composer says under a draft: the names that reach nobody here, or
 * that `@room` is for admins in a room this size (the server would refuse the
 * send). Nothing until the members (`usernames`) have loaded.
 */
export function draftNote({
  text,
  usernames,
  typingAt,
  offerRoom,
  roomMentionLimit,
}: {
  text: string;
  usernames: ReadonlySet<string>;
  typingAt: number | null;
  offerRoom: boolean;
  roomMentionLimit: number | null;
}): string | null {
  if (usernames.size === 0 || !text.includes('@')) return null;
  const unknown = unknownMentionsSentence(unknownMentions(text, usernames, typingAt));
  if (unknown) return unknown;
  if (!offerRoom && roomMentionLimit !== null && draftMentionsRoom(text)) {
    return `Only room admins can mention @room in a room of more than ${roomMentionLimit} members`;
  }
  return null;
}

/** A message's resolved mentions as `mentionParts` reads them, naming its members by `usernameOf` (null: not known here). */
export function resolvedMentions(
  message: { mentions: readonly string[]; mentionsRoom: boolean },
  usernameOf: (userId: string) => string | null,
  me: string,
): Resolved | null {
  if (message.mentions.length === 0 && !message.mentionsRoom) return null;
  const usernames = new Set(message.mentions.flatMap((id) => usernameOf(id)?.toLowerCase() ?? []));
  return { usernames, room: message.mentionsRoom, me: me.toLowerCase() };
}
