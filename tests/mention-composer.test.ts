/**
 * The web app's mention rules, without a browser: the `@name` at the caret,
 * the suggestions, inserting one, who is offered `@room`, the highlighted
 * parts of a message and the names a draft would not notify.
 */
import { describe, expect, it } from 'vitest';
import { draftNote, mentionParts, mentionsMe, unknownMentions, unknownMentionsSentence } from '../src/trpc/mention-marks.ts';
import { insertMention, MAX_SUGGESTIONS, mayMentionRoom, mentionQueryAt, mentionSuggestions, type Candidate } from '../src/trpc/mention-suggest.ts';

const person = (username: string, displayName: string): Candidate => ({ userId: `u-${username}`, username, displayName });
const members = [person('alice', 'Alice Smith'), person('bob', 'Bob'), person('albert', 'Al Bert'), person('zoe', 'Zoë Alvarez'), person('me', 'Me')];
const usernames = (text: string, offerRoom = true) =>
  mentionSuggestions({ members, query: text, meId: 'u-me', offerRoom }).map((s) => (s.kind === 'room' ? '@room' : s.username));

describe('the @name at the caret', () => {
  it('finds the @ and what follows it up to the caret, and the end of the token', () => {
    expect(mentionQueryAt('hi @al', 6)).toEqual({ start: 3, end: 6, query: 'al' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, end: 1, query: '' });
    expect(mentionQueryAt('hi @alice there', 6)).toEqual({ start: 3, end: 9, query: 'al' });
    expect(mentionQueryAt('(@bo', 4)).toEqual({ start: 1, end: 4, query: 'bo' });
  });

  it('is nothing in an email address, a URL path, a word, or after a space', () => {
    expect(mentionQueryAt('ann@exam', 8)).toBeNull();
    expect(mentionQueryAt('https://host/@ann', 17)).toBeNull();
    expect(mentionQueryAt('@@ann', 5)).toBeNull();
    expect(mentionQueryAt('hi @al ', 7)).toBeNull();
    expect(mentionQueryAt('no at here', 5)).toBeNull();
  });
});

describe('suggestions', () => {
  it('puts username prefixes first, then display-name words, then anything containing it; never me', () => {
    expect(usernames('al')).toEqual(['albert', 'alice', 'zoe']);
    expect(usernames('b')).toEqual(['bob', 'albert']);
    expect(usernames('ZOË')).toEqual(['zoe']);
    expect(usernames('me')).toEqual([]);
    expect(usernames('x')).toEqual([]);
  });

  it('offers @room last, only when it matches and I may use it', () => {
    expect(usernames('')).toEqual(['albert', 'alice', 'bob', 'zoe', '@room']);
    expect(usernames('ro')).toEqual(['@room']);
    expect(usernames('', false)).toEqual(['albert', 'alice', 'bob', 'zoe']);
  });

  it('lists at most MAX_SUGGESTIONS, @room included', () => {
    const many = Array.from({ length: 20 }, (_, i) => person(`user${String(i).padStart(2, '0')}`, `User ${i}`));
    const listed = mentionSuggestions({ members: many, query: '', meId: 'none', offerRoom: true });
    expect(listed).toHaveLength(MAX_SUGGESTIONS);
    expect(listed.at(-1)?.kind).toBe('room');
    expect(mentionSuggestions({ members: many, query: 'user', meId: 'none', offerRoom: true })).toHaveLength(MAX_SUGGESTIONS);
  });
});

describe('inserting a pick', () => {
  it('replaces the whole token with @username and one space, caret after it', () => {
    expect(insertMention('hi @al', { start: 3, end: 6 }, 'alice')).toEqual({ text: 'hi @alice ', caret: 10 });
    expect(insertMention('hi @al there', { start: 3, end: 6 }, 'alice')).toEqual({ text: 'hi @alice there', caret: 10 });
    expect(insertMention('@alxx, ok', { start: 0, end: 5 }, 'alice')).toEqual({ text: '@alice , ok', caret: 7 });
  });
});

describe('who is offered @room', () => {
  it('anyone up to the limit; above it, room admins and Hearth admins; admins only until the limit is known', () => {
    const member = { roomAdmin: false, hearthAdmin: false };
    expect(mayMentionRoom({ memberCount: 10, limit: 10, ...member })).toBe(true);
    expect(mayMentionRoom({ memberCount: 11, limit: 10, ...member })).toBe(false);
    expect(mayMentionRoom({ memberCount: 11, limit: 10, ...member, roomAdmin: true })).toBe(true);
    expect(mayMentionRoom({ memberCount: 11, limit: 10, ...member, hearthAdmin: true })).toBe(true);
    expect(mayMentionRoom({ memberCount: 2, limit: null, ...member })).toBe(false);
  });
});

describe('highlighted mentions in a message', () => {
  const resolved = { usernames: new Set(['alice', 'ann.b']), room: true, me: 'alice' };

  it('marks only the mentions the server resolved: not a stranger, not an email address, not a URL path', () => {
    const text = 'hey @Alice, @zed and @room: mail ann@example.com or see https://host/@alice';
    expect(mentionParts(text, resolved)).toEqual([
      { kind: 'text', text: 'hey ' },
      { kind: 'mention', text: '@Alice', me: true },
      { kind: 'text', text: ', @zed and ' },
      { kind: 'mention', text: '@room', me: true },
      { kind: 'text', text: ': mail ann@example.com or see https://host/@alice' },
    ]);
  });

  it('reads a trailing dot as punctuation unless the username ends with it; @room only when the server said so', () => {
    expect(mentionParts('thanks @alice. and @ann.b.', { ...resolved, room: false, me: 'bob' })).toEqual([
      { kind: 'text', text: 'thanks ' },
      { kind: 'mention', text: '@alice', me: false },
      { kind: 'text', text: '. and ' },
      { kind: 'mention', text: '@ann.b', me: false },
      { kind: 'text', text: '.' },
    ]);
    expect(mentionParts('@room', { usernames: new Set(), room: false, me: 'bob' })).toEqual([{ kind: 'text', text: '@room' }]);
    expect(mentionParts('', resolved)).toEqual([]);
  });

  it('says whether a message mentions me', () => {
    expect(mentionsMe({ mentions: ['u1'], mentionsRoom: false }, 'u1')).toBe(true);
    expect(mentionsMe({ mentions: [], mentionsRoom: true }, 'u1')).toBe(true);
    expect(mentionsMe({ mentions: ['u2'], mentionsRoom: false }, 'u1')).toBe(false);
  });
});

describe('names a draft would not notify', () => {
  const inRoom = new Set(['alice', 'bob']);

  it('lists each @name of nobody here once, as typed, without trailing punctuation; not @room, not email addresses', () => {
    expect(unknownMentions('@zed, @Alice @zed. @Amy ann@example.com @room', inRoom)).toEqual(['zed', 'Amy']);
    expect(unknownMentions('hi @bob.', inRoom)).toEqual([]);
  });

  it('skips the token being typed', () => {
    expect(unknownMentions('hi @al', inRoom, 3)).toEqual([]);
    expect(unknownMentions('hi @al', inRoom)).toEqual(['al']);
  });

  it('says it in a sentence', () => {
    expect(unknownMentionsSentence([])).toBeNull();
    expect(unknownMentionsSentence(['zed'])).toBe('@zed is not in this room and will not be notified');
    expect(unknownMentionsSentence(['zed', 'amy', 'kim'])).toBe('@zed, @amy and @kim are not in this room and will not be notified');
  });
});

describe("the composer's note", () => {
  const note = (text: string, offerRoom = true) => draftNote({ text, usernames: new Set(['alice', 'bob']), typingAt: null, offerRoom, roomMentionLimit: 2 });

  it('names who will not be notified, else says @room is for admins here, else nothing', () => {
    expect(note('hi @zed and @alice')).toBe('@zed is not in this room and will not be notified');
    expect(note('@room hello', false)).toBe('Only room admins can mention @room in a room of more than 2 members');
    expect(note('@room hello')).toBeNull();
    expect(note('plain')).toBeNull();
    expect(draftNote({ text: '@zed', usernames: new Set(), typingAt: null, offerRoom: true, roomMentionLimit: null })).toBeNull();
  });
});
