/**
 * The timeline's rules, without a browser: plain-word errors (from the real
 * server, through a real client), day separators, person colours, drafts, the
 * "New messages" line and the quick switcher's list.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contrast, PALETTE, personColour } from '../../src/trpc/colours.ts';
import { dayKey, dayLabel, msToNextDay, startsDay } from '../../src/trpc/days.ts';
import { draftsKey, loadDraft, MAX_DRAFT_LENGTH, MAX_DRAFT_ROOMS, saveDraft } from '../../src/trpc/drafts.ts';
import { describeError } from '../../src/trpc/errors.ts';
import { issueSentence, UNREADABLE } from '../../src/trpc/issues.ts';
import { moveActive, switcherItems, type SwitcherRoom } from '../../src/trpc/switcher.ts';
import type { Message } from '../../src/trpc/timeline.ts';
import { firstUnread, unreadBeyondLoaded } from '../../src/trpc/unread-line.ts';
import { rejection } from '../helpers/errors.ts';
import { startServer } from '../helpers/server.ts';
import { plainRoot } from '../helpers/public-message.ts';

describe('error sentences from the real server', () => {
  it('turns every validation refusal into plain words, never zod text or JSON', async () => {
    const hearth = await startServer({ env: { MAX_MESSAGE_LENGTH: '10' } });
    const { token } = await hearth.register('alice');
    const { trpc } = hearth.client({ token });
    const anon = hearth.client().trpc;
    const room = await trpc.rooms.create.mutate({ name: 'ops', kind: 'open' });
    const said = async (call: () => Promise<unknown>) => describeError(await rejection(call()));

    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => trpc.rooms.create.mutate({ name: 'x'.repeat(81), kind: 'open' }), 'Room name can be at most 80 characters'],
      [() => trpc.rooms.create.mutate({ name: '   ', kind: 'open' }), 'Room name cannot be empty'],
      [() => trpc.rooms.create.mutate({ name: 'a\u202Eb', kind: 'open' }), 'Room name cannot contain invisible or control characters'],
      [() => trpc.rooms.create.mutate({ name: 'fine', kind: 'secret' as 'open' }), 'Kind must be open or closed'],
      [() => trpc.rooms.create.mutate({ kind: 'open' } as { name: string; kind: 'open' }), 'Name is required'],
      [() => anon.auth.register.mutate({ username: 'ab', password: 'correct horse battery' }), 'Username must be at least 3 characters'],
      [() => anon.auth.register.mutate({ username: 'bob', password: 'short' }), 'Password must be at least 8 characters'],
      [() => anon.auth.register.mutate({ username: 'b b', password: 'correct horse battery' }), 'Username: letters, digits, dot, dash and underscore only'],
      [() => trpc.rooms.members.query({ roomId: 'not-a-room' }), 'That room is not known here; reload the page and try again'],
      [() => trpc.rooms.direct.mutate({ userIds: ['nobody'] }), 'That person is not known here; reload the page and try again'],
      [() => trpc.messages.history.query({ roomId: room.id, limit: 500 }), 'Limit can be at most 200'],
      [
        () => trpc.messages.send.mutate({ roomId: room.id, body: 'far too long for ten', clientMessageId: randomUUID() }),
        'A message can be at most 10 characters',
      ],
      [() => trpc.messages.send.mutate({ roomId: room.id, body: 'nul \0 here', clientMessageId: randomUUID() }), 'Message cannot contain NUL (U+0000)'],
      [() => trpc.users.search.query({ query: 'q'.repeat(65) }), 'Search can be at most 64 characters'],
    ];
    for (const [call, sentence] of cases) expect(await said(call)).toBe(sentence);

    // Two problems at once: both, each once.
    expect(await said(() => anon.auth.register.mutate({ username: 'ab', password: 'short' }))).toBe(
      'Username must be at least 3 characters; Password must be at least 8 characters',
    );
    // Fields other procedures may name follow the same rules.
    expect(issueSentence({ path: ['sessionId'], message: 'must be a valid id', code: 'invalid_format' })).toBe(
      'That session is not known here; reload the page and try again',
    );
    expect(issueSentence({ path: ['newPassword'], message: 'Too small: expected string to have >=8 characters', code: 'too_small' })).toBe(
      'New password must be at least 8 characters',
    );
    expect(issueSentence({ path: [], message: 'Unrecognized key: "x"', code: 'unrecognized_keys' })).toBe(UNREADABLE);
    // Refusals that are not about a field keep the server's sentence.
    const me = await trpc.auth.me.query();
    expect(await said(() => trpc.rooms.direct.mutate({ userIds: [me.id] }))).toBe('A direct room needs at least one other user');
  });
});

describe('day separators', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  const utc = { locale: 'en-GB', timeZone: 'UTC' };

  it('names days Today, Yesterday, by weekday within a week, then by date (with the year when not this one)', () => {
    expect(dayLabel('2026-12-02T00:01:00Z', now, utc)).toBe('Today');
    expect(dayLabel('2026-12-01T23:59:00Z', now, utc)).toBe('Yesterday');
    expect(dayLabel('2026-11-28T12:00:00Z', now, utc)).toBe('Saturday');
    expect(dayLabel('2026-11-20T12:00:00Z', now, utc)).toBe('Friday 20 November');
    expect(dayLabel('2025-11-20T12:00:00Z', now, utc)).toBe('Thursday, 20 November 2025');
    expect(dayLabel('2026-11-28T12:00:00Z', now, { locale: 'de-DE', timeZone: 'UTC' })).toBe('Samstag');
  });

  it('cuts days at the viewer’s midnight, not UTC’s', () => {
    const lateEvening = '2026-12-01T23:30:00Z';
    expect(dayKey(lateEvening, { timeZone: 'UTC' })).toBe('2026-12-01');
    expect(dayKey(lateEvening, { timeZone: 'Europe/Berlin' })).toBe('2026-12-02');
    expect(dayLabel(lateEvening, now, { timeZone: 'Europe/Berlin' })).toBe('Today');
    expect(dayLabel(lateEvening, now, { timeZone: 'America/New_York' })).toBe('Yesterday');

    const items = ['2026-11-30T09:00:00Z', '2026-11-30T22:00:00Z', '2026-12-01T08:00:00Z'].map((createdAt) => ({ createdAt }));
    expect(items.map((_, i) => startsDay(items, i, { timeZone: 'UTC' }))).toEqual([true, false, true]);
    expect(items.map((_, i) => startsDay(items, i, { timeZone: 'Asia/Tokyo' }))).toEqual([true, true, false]);
  });
});

describe('the next day', () => {
  it('comes at the viewer’s midnight', () => {
    const at = new Date('2026-12-02T22:30:00Z');
    expect(msToNextDay(at, { timeZone: 'UTC' })).toBe(90 * 60_000);
    expect(msToNextDay(at, { timeZone: 'Europe/Berlin' })).toBe(30 * 60_000); // 23:30 there
    expect(msToNextDay(at, { timeZone: 'America/New_York' })).toBe(6.5 * 3_600_000); // 17:30 there
    expect(msToNextDay(new Date('2026-12-02T23:59:30Z'), { timeZone: 'UTC' })).toBe(30_000);
  });
});

describe('person colours', () => {
  it('gives each person the same colour every time, spread over the whole palette', () => {
    const id = randomUUID();
    expect(personColour(id)).toBe(personColour(id));
    const used = new Set(Array.from({ length: 500 }, () => personColour(randomUUID())));
    expect(used.size).toBe(PALETTE.length);
  });

  it('reads at 4.5:1 or more on the page, the sidebar and a hovered row, in both themes', () => {
    const light = ['#ffffff', '#f6f5f3', '#f0f0f0'];
    const dark = ['#17181a', '#1f2023', '#2a2b2e'];
    for (const colour of PALETTE) {
      for (const bg of light) expect(contrast(colour.light, bg), `${colour.light} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      for (const bg of dark) expect(contrast(colour.dark, bg), `${colour.dark} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
    expect(new Set(PALETTE.map((c) => c.light)).size).toBe(PALETTE.length);
  });
});

class MemoryStorage {
  items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

describe('drafts', () => {
  it('keeps a draft per user and room, forgets an emptied one, and survives unreadable storage', () => {
    const storage = new MemoryStorage();
    saveDraft(storage, { userId: 'ann', roomId: 'r1', text: 'half a thought' });
    saveDraft(storage, { userId: 'ann', roomId: 'r2', text: 'other room' });
    saveDraft(storage, { userId: 'bo', roomId: 'r1', text: 'not Ann’s' });
    expect(loadDraft(storage, 'ann', 'r1')).toBe('half a thought');
    expect(loadDraft(storage, 'ann', 'r2')).toBe('other room');
    expect(loadDraft(storage, 'bo', 'r1')).toBe('not Ann’s');
    saveDraft(storage, { userId: 'ann', roomId: 'r1', text: '  ' });
    expect(loadDraft(storage, 'ann', 'r1')).toBe('');
    saveDraft(storage, { userId: 'ann', roomId: 'r2', text: '' });
    expect(storage.getItem(draftsKey('ann'))).toBeNull();

    storage.setItem(draftsKey('cy'), '{not json');
    expect(loadDraft(storage, 'cy', 'r1')).toBe('');
    saveDraft(storage, { userId: 'cy', roomId: 'r1', text: 'fresh start' });
    expect(loadDraft(storage, 'cy', 'r1')).toBe('fresh start');
  });

  it('is bounded: the oldest rooms go first, and a draft keeps at most its length', () => {
    const storage = new MemoryStorage();
    for (let i = 0; i < MAX_DRAFT_ROOMS + 5; i++) saveDraft(storage, { userId: 'ann', roomId: `r${i}`, text: `draft ${i}`, now: 1000 + i });
    const kept = Object.keys(JSON.parse(storage.getItem(draftsKey('ann'))!) as object);
    expect(kept).toHaveLength(MAX_DRAFT_ROOMS);
    expect(loadDraft(storage, 'ann', 'r4')).toBe('');
    expect(loadDraft(storage, 'ann', 'r5')).toBe('draft 5');
    saveDraft(storage, { userId: 'ann', roomId: 'big', text: 'x'.repeat(MAX_DRAFT_LENGTH + 10), now: 9999 });
    expect(loadDraft(storage, 'ann', 'big')).toHaveLength(MAX_DRAFT_LENGTH);
  });
});

const message = (seq: number, authorId = 'bo'): Message => ({
  id: `m${seq}`,
  seq,
  roomId: 'r',
  authorId,
  body: `body ${seq}`,
  clientMessageId: `c${seq}`,
  createdAt: '2026-01-01T00:00:00.000Z',
  editedAt: null,
  deletedAt: null,
  mentions: [],
  mentionsRoom: false,
  ...plainRoot,
});

describe('the "New messages" line', () => {
  const messages = [message(3), message(4, 'ann'), message(5), message(6), message(8)];

  it('goes above the first message unread at open, skipping mine and those that came while I watched', () => {
    expect(firstUnread(messages, { readSeq: 3, lastSeq: 8, meId: 'ann' })?.seq).toBe(5);
    expect(firstUnread(messages, { readSeq: 8, lastSeq: 8, meId: 'ann' })).toBeNull();
    expect(firstUnread(messages, { readSeq: 6, lastSeq: 6, meId: 'ann' })).toBeNull(); // 8 arrived after I opened the room
    expect(firstUnread(messages, { readSeq: 3, lastSeq: 4, meId: 'ann' })).toBeNull(); // only my own
  });

  it('knows when the first unread is in an older page still to load', () => {
    expect(unreadBeyondLoaded(messages, { readSeq: 1, lastSeq: 8, hasOlder: true })).toBe(true);
    expect(unreadBeyondLoaded(messages, { readSeq: 2, lastSeq: 8, hasOlder: true })).toBe(false);
    expect(unreadBeyondLoaded(messages, { readSeq: 1, lastSeq: 8, hasOlder: false })).toBe(false);
    expect(unreadBeyondLoaded(messages, { readSeq: 8, lastSeq: 8, hasOlder: true })).toBe(false);
  });
});

describe('the quick switcher', () => {
  const rooms: SwitcherRoom[] = [
    { id: 'r1', label: 'general', direct: false, unread: 0, others: [] },
    { id: 'r2', label: 'ops-alerts', direct: false, unread: 3, others: [] },
    { id: 'r3', label: 'Bo Ek @bo', direct: true, unread: 0, others: ['bo'] },
    { id: 'r4', label: 'release ops', direct: false, unread: 0, others: [] },
    { id: 'r5', label: 'Café', direct: false, unread: 0, others: [] },
  ];
  const people = [
    { id: 'ann', label: 'Ann @ann' },
    { id: 'bo', label: 'Bo Ek @bo' },
    { id: 'opal', label: 'Opal @opal' },
  ];
  const labels = (query: string) => switcherItems({ rooms, people, query, meId: 'ann' }).map((item) => `${item.kind}:${item.label}`);

  it('lists rooms by how well they match, then people I have no direct room with (never me)', () => {
    expect(labels('op')).toEqual(['room:ops-alerts', 'room:release ops', 'person:Opal @opal']);
    expect(labels('bo')).toEqual(['room:Bo Ek @bo']);
    expect(labels('an')).toEqual([]);
    expect(labels('cafe')).toEqual(['room:Café']);
    expect(labels('')).toEqual(['room:ops-alerts', 'room:general', 'room:Bo Ek @bo', 'room:release ops', 'room:Café']);
  });

  it('moves the highlight with the arrows, wrapping at both ends', () => {
    expect(moveActive(0, 1, 3)).toBe(1);
    expect(moveActive(2, 1, 3)).toBe(0);
    expect(moveActive(0, -1, 3)).toBe(2);
    expect(moveActive(0, 1, 0)).toBe(-1);
  });
});
