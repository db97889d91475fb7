/** The notification feed's rules, without a browser: counts, the tab's title, the favicon badge, the pages' updates. */
import { describe, expect, it } from 'vitest';
import {
  badgedIcon,
  bellLabel,
  countText,
  desktopWords,
  feedWords,
  isFeedEvent,
  itemsOf,
  tabTitle,
  titlePieces,
  unreadOf,
  withNotification,
  withRead,
  withUnread,
  type FeedData,
  type FeedItem,
} from '../../src/trpc/feed.ts';

const item = (id: string, more: Partial<FeedItem> = {}): FeedItem => ({
  id,
  kind: 'mention',
  roomId: 'r1',
  roomName: 'ops',
  roomKind: 'closed',
  messageId: `m-${id}`,
  seq: 1,
  actor: { id: 'u1', username: 'alice', displayName: 'Alice' },
  excerpt: `text of ${id}`,
  count: 1,
  createdAt: '2026-12-02T10:00:00.000Z',
  read: false,
  ...more,
});

const data = (...pages: FeedItem[][]): FeedData<string | null> => ({
  pages: pages.map((items, i) => ({ items, unread: items.filter((x) => !x.read).length, nextCursor: i < pages.length - 1 ? `c${i}` : null })),
  pageParams: pages.map((_, i) => (i === 0 ? null : `c${i - 1}`)),
});

describe('counts and the tab title', () => {
  it('caps the count at 99+', () => {
    expect([0, 1, 99, 100, 5000].map(countText)).toEqual(['0', '1', '99', '99+', '99+']);
  });

  it('titles the tab "(3) Hearth", plain "Hearth" at 0', () => {
    expect(tabTitle(0)).toBe('Hearth');
    expect(tabTitle(3)).toBe('(3) Hearth');
    expect(tabTitle(120)).toBe('(99+) Hearth');
  });

  it('names the bell with its count for screen readers', () => {
    expect(bellLabel(3)).toBe('Notifications, 3 unread');
    expect(bellLabel(0)).toBe('Notifications, none unread');
  });

  it('puts the count in a badge on the icon, and leaves the icon as it was otherwise', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64"/></svg>\n';
    const badged = badgedIcon(svg, 120);
    expect(badged.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64"/>')).toBe(true);
    expect(badged).toMatch(/>99\+<\/text><\/svg>$/);
    expect(badgedIcon(svg, 3)).toMatch(/>3<\/text><\/svg>$/);
  });
});

describe('the feed pages', () => {
  it('puts a new notification on top, with the new count', () => {
    const next = withNotification(data([item('a')], [item('b')]), item('c'), 2);
    expect(itemsOf(next).map((x) => x.id)).toEqual(['c', 'a', 'b']);
    expect(unreadOf(next)).toBe(2);
  });

  it('moves an updated notification to the top, once, wherever it was', () => {
    const next = withNotification(data([item('a')], [item('b')]), item('b', { count: 2 }), 2);
    expect(itemsOf(next).map((x) => [x.id, x.count])).toEqual([
      ['b', 2],
      ['a', 1],
    ]);
  });

  it('marks everything read at 0, and only the given ones otherwise', () => {
    const feed = data([item('a'), item('b')], [item('c')]);
    expect(itemsOf(withUnread(feed, 0)).every((x) => x.read)).toBe(true);
    expect(itemsOf(withUnread(feed, 2)).filter((x) => x.read)).toEqual([]);
    expect(unreadOf(withUnread(feed, 2))).toBe(2);
    expect(itemsOf(withRead(feed, new Set(['b', 'c']))).map((x) => x.read)).toEqual([false, true, true]);
  });

  it('knows its two events', () => {
    expect(isFeedEvent({ type: 'notification' })).toBe(true);
    expect(isFeedEvent({ type: 'notifications.read' })).toBe(true);
    expect(isFeedEvent({ type: 'unread' })).toBe(false);
  });
});

describe('what an item says', () => {
  it('names the actor apart, so the page can isolate their name', () => {
    expect(titlePieces(item('a'))).toEqual(['', ' mentioned you in #ops']);
    expect(titlePieces(item('a', { kind: 'direct', roomKind: 'direct', roomName: '', count: 3 }))).toEqual(['3 new messages from ', '']);
    expect(titlePieces(item('a', { kind: 'room.added', actor: null }))).toEqual(['Someone added you to #ops']);
    expect(titlePieces(item('a', { kind: 'room.added', roomKind: 'direct', roomName: '' }))).toEqual(['', ' added you to a conversation']);
  });

  it('says "deleted" for a message that is gone, nothing for an item without one', () => {
    expect(feedWords(item('a')).text).toBe('text of a');
    expect(feedWords(item('a', { excerpt: null })).text).toBe('deleted');
    expect(feedWords(item('a', { kind: 'contact.request', messageId: null, excerpt: null, roomId: null })).text).toBeNull();
  });

  it('keeps a desktop notification to what kind of thing happened when the account hides message text, as a push does', () => {
    expect(desktopWords(item('a'), true)).toEqual({ title: 'Alice mentioned you in #ops', body: 'text of a' });
    expect(desktopWords(item('a'), false)).toEqual({ title: 'Hearth', body: 'New message' });
    const request = item('b', { kind: 'contact.request', messageId: null, excerpt: null, roomId: null });
    expect(desktopWords(request, false)).toEqual({ title: 'Hearth', body: 'New contact request' });
  });
});
