import { describe, expect, it } from 'vitest';
import { noticeWords } from '../src/trpc/notices.ts';
import type { Named } from '../src/trpc/people.ts';
import {
  applyEvent,
  emptyTimeline,
  noticesAround,
  reactionsAfter,
  timelineRows,
  withNewestPage,
  withOlderPage,
  type Message,
  type RoomNotice,
} from '../src/trpc/timeline.ts';
import { plainRoot } from './helpers/public-message.ts';

const message = (seq: number): Message => ({
  id: `m${seq}`,
  seq,
  roomId: 'r',
  authorId: 'a',
  body: `body ${seq}`,
  clientMessageId: `c${seq}`,
  createdAt: '2026-12-01T10:00:00.000Z',
  editedAt: null,
  deletedAt: null,
  mentions: [],
  mentionsRoom: false,
  ...plainRoot,
});
const joined = (seq: number, userId: string, actorId: string | null = null): RoomNotice => ({ type: 'member.joined', roomId: 'r', seq, userId, actorId });
const rowSeqs = (rows: ReturnType<typeof timelineRows>) => rows.map((row) => (row.kind === 'message' ? `m${row.message.seq}` : `n${row.notice.seq}`));

describe('member and room notices in the timeline', () => {
  it('interleaves them with messages by seq, from history pages and the stream, each once', () => {
    let t = withNewestPage(emptyTimeline(), { messages: [message(5), message(7)], nextBeforeSeq: 5, events: [joined(6, 'b')] });
    // Notices older than the oldest loaded message wait for their page.
    t = applyEvent(t, joined(8, 'c', 'a'));
    t = applyEvent(t, joined(8, 'c', 'a')); // a replay: already applied
    t = applyEvent(t, { type: 'room.updated', roomId: 'r', seq: 9, actorId: 'a', change: { topic: 'hi' } });
    expect(rowSeqs(timelineRows(t))).toEqual(['m5', 'n6', 'm7', 'n8', 'n9']);
    t = withOlderPage(t, { messages: [message(2)], nextBeforeSeq: null, events: [joined(1, 'a'), joined(6, 'b')] });
    expect(rowSeqs(timelineRows(t))).toEqual(['n1', 'm2', 'm5', 'n6', 'm7', 'n8', 'n9']);
    expect(t.cursor).toBe(9);
  });

  it('places each notice just before the message after it, the newest after the last message', () => {
    const t = withNewestPage(emptyTimeline(), {
      messages: [message(2), message(5)],
      nextBeforeSeq: null,
      events: [joined(1, 'a'), joined(3, 'b'), joined(4, 'c'), joined(6, 'd')],
    });
    const around = noticesAround(t);
    expect(around.before.map((notices) => notices.map((n) => n.seq))).toEqual([[1], [3, 4]]);
    expect(around.after.map((n) => n.seq)).toEqual([6]);
  });

  it('words each change as people say it', () => {
    const people: Record<string, Named> = { a: { displayName: 'Alice', username: 'alice' }, b: { displayName: 'Bob', username: 'bob' } };
    const say = (notice: RoomNotice) => {
      const w = noticeWords(notice, (id) => people[id]!);
      return [w.actor?.displayName, w.text, w.subject?.displayName, w.rest].filter(Boolean).join(' ');
    };
    expect(say(joined(1, 'b'))).toBe('Bob joined');
    expect(say(joined(1, 'b', 'a'))).toBe('Alice added Bob');
    expect(say({ type: 'member.left', roomId: 'r', seq: 2, userId: 'b', actorId: null })).toBe('Bob left');
    expect(say({ type: 'member.left', roomId: 'r', seq: 2, userId: 'b', actorId: 'a' })).toBe('Alice removed Bob');
    const updated = (change: Extract<RoomNotice, { type: 'room.updated' }>['change']): RoomNotice => ({
      type: 'room.updated',
      roomId: 'r',
      seq: 3,
      actorId: 'a',
      change,
    });
    expect(say(updated({ name: 'x' }))).toBe('Alice renamed the room to #x');
    expect(say(updated({ topic: 'Ship it' }))).toBe('Alice set the topic: Ship it');
    expect(say(updated({ topic: '' }))).toBe('Alice cleared the topic');
    expect(say(updated({ archived: true }))).toBe('Alice archived the room');
    expect(say(updated({ archived: false }))).toBe('Alice unarchived the room');
    expect(say(updated({ role: { userId: 'b', role: 'admin' } }))).toBe('Alice made Bob a room admin');
  });
});

describe('a later copy of a known message', () => {
  it('replaces its text but keeps the reactions and thread counts its own events keep', () => {
    const withState = { ...message(4), reactions: [{ emoji: '👍', userIds: ['b'] }], replyCount: 2, lastReplyAt: '2026-12-01T11:00:00.000Z' };
    let t = withNewestPage(emptyTimeline(), { messages: [withState], nextBeforeSeq: null });
    t = applyEvent(t, { type: 'message.updated', roomId: 'r', seq: 9, message: { ...message(4), body: 'edited', editedAt: '2026-12-01T12:00:00.000Z' } });
    expect(t.messages).toEqual([{ ...withState, body: 'edited', editedAt: '2026-12-01T12:00:00.000Z' }]);
  });
});

describe('reactions in the timeline', () => {
  it('apply as set operations, so a replay after a history page counts nobody twice', () => {
    let t = withNewestPage(emptyTimeline(), { messages: [{ ...message(3), reactions: [{ emoji: '👍', userIds: ['a'] }] }], nextBeforeSeq: null });
    const added = (seq: number, userId: string, emoji = '👍') => ({ type: 'reaction.added' as const, roomId: 'r', seq, messageId: 'm3', userId, emoji });
    t = applyEvent(t, added(4, 'a')); // already in the page: no change
    t = applyEvent(t, added(5, 'b'));
    t = applyEvent(t, added(6, 'b', '🎉'));
    t = applyEvent(t, { ...added(7, 'a'), type: 'reaction.removed' });
    t = applyEvent(t, { ...added(8, 'c'), type: 'reaction.removed' }); // never there: no change
    t = applyEvent(t, added(6, 'b', '🎉')); // at or below the cursor: ignored
    expect(t.messages[0]!.reactions).toEqual([
      { emoji: '👍', userIds: ['b'] },
      { emoji: '🎉', userIds: ['b'] },
    ]);
    expect(reactionsAfter([{ emoji: '🎉', userIds: ['b'] }], { type: 'reaction.removed', emoji: '🎉', userId: 'b' })).toEqual([]);
    expect(t.cursor).toBe(8);
  });
});
