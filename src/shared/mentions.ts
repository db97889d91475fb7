/**
 * How Hearth reads `@name` in a message, shared by the server (which resolves
 * the names to members and stores them) and the web app (which highlights
 * them and says when a name reached nobody).
 *
 * A mention is `@` followed by username characters (letters, digits, dot, dash,
 * underscore: the username rule in api/inputs.ts), not preceded by one of them,
 * another `@` or a `/` (so `ann@example.com` and `https://host/@ann` are not
 * mentions). A trailing dot or dash is read as punctuation ("thanks @ann.")
 * unless a member's username ends with it. Usernames are case-insensitive.
 */
/** A username character; a mention's `@` may not follow one of these. */
export const NAME_CHAR = /[A-Za-z0-9_.-]/;
export const BEFORE_AT = /[A-Za-z0-9_.@/-]/;
const MENTION = new RegExp(`(?<!${BEFORE_AT.source})@(${NAME_CHAR.source}+)`, 'g');

/** `@room`: everyone in the room. A user named "room" cannot be mentioned alone. */
export const ROOM_MENTION = 'room';

/** Distinct names one message may mention; later ones stay plain text (bounds the rows a send writes). */
export const MAX_MENTIONED_NAMES = 50;

export interface MentionToken {
  /** Where the `@` is, and where the token (with any trailing punctuation) ends. */
  start: number;
  end: number;
  /** Lowercased: the whole token, and the token without trailing dots and dashes. */
  name: string;
  trimmed: string;
}

/** Every `@name` token of a text, in order. */
export function mentionTokens(text: string): MentionToken[] {
  const tokens: MentionToken[] = [];
  if (!text.includes('@')) return tokens;
  for (const match of text.matchAll(MENTION)) {
    const raw = match[1]!;
    const name = raw.toLowerCase();
    tokens.push({ start: match.index, end: match.index + 1 + raw.length, name, trimmed: name.replace(/[.-]+$/, '') });
  }
  return tokens;
}

/** What a text mentions: `@room`, and the names to look up (both readings of each token), at most MAX_MENTIONED_NAMES tokens. */
export function mentionedNames(text: string): { room: boolean; names: string[] } {
  let room = false;
  const tokens = new Set<string>();
  const names = new Set<string>();
  for (const token of mentionTokens(text)) {
    if (token.name === ROOM_MENTION || token.trimmed === ROOM_MENTION) {
      room = true;
      continue;
    }
    if (tokens.size >= MAX_MENTIONED_NAMES) continue;
    tokens.add(token.name);
    for (const name of [token.name, token.trimmed]) if (name.length >= 3 && name.length <= 32) names.add(name);
  }
  return { room, names: [...names] };
}
