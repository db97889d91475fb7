/**
 * The browser app's rules, without a browser: linkify, the timeline merge, the
 * outbox, the connection status, error sentences and the resume link.
 */
import { createTRPCClient, TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppRouter } from '../../src/server/api/root.ts';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { serverPacedRetry } from '../../src/trpc/client.ts';
import { ConnectionMonitor, connectionStatus, refusalText, SETTLE_MS } from '../../src/trpc/connection.ts';
import { CloseCode } from '../../src/shared/wire.ts';
import { describeError, isNetworkError, retryAfterMs } from '../../src/trpc/errors.ts';
import { linkify } from '../../src/trpc/linkify.ts';
import { Outbox, type OutboxItem } from '../../src/trpc/outbox.ts';
import { refresh } from '../../src/trpc/refresh.ts';
import { resumeLink } from '../../src/trpc/resume-link.ts';
import { applyEvent, emptyTimeline, readableSeq, withAcknowledged, withNewestPage, withOlderPage, type Message } from '../../src/trpc/timeline.ts';
import { plainRoot } from '../helpers/public-message.ts';

describe('linkify', () => {
  const links = (text: string) =>
    linkify(text)
      .filter((s) => s.kind === 'link')
      .map((s) => (s.kind === 'link' ? s.href : ''));

  it('keeps all the text, in order, and links only http(s) URLs', () => {
    const text = 'see https://example.com/a?b=1&c=2. or (http://x.test/wiki/Foo_(bar)) javascript:alert(1) data:text/html,hi www.example.com';
    expect(
      linkify(text)
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
    expect(links(text)).toEqual(['https://example.com/a?b=1&c=2', 'http://x.test/wiki/Foo_(bar)']);
  });

  it('stops a URL where markup or quotes begin', () => {
    expect(links('http://example.com/" onmouseover="x')).toEqual(['http://example.com/']);
    expect(links('https://example.com/<img src=x>')).toEqual(['https://example.com/']);
    expect(links("https://example.com/'onfocus='x'")).toEqual(['https://example.com/']);
  });

  it('leaves malformed and non-http URLs as text', () => {
    for (const text of ['http://javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'https://', 'ftp://example.com', 'xhttps://example.com']) {
      expect(links(text)).toEqual([]);
      expect(linkify(text)).toEqual([{ kind: 'text', text }]);
    }
  });
});

const message = (seq: number, extra: Partial<Message> = {}): Message => ({
  id: `m${seq}`,
  seq,
  roomId: 'r',
  authorId: 'u',
  body: `body ${seq}`,
  clientMessageId: `c${seq}`,
  createdAt: '2026-01-01T00:00:00.000Z',
  editedAt: null,
  deletedAt: null,
  mentions: [],
  mentionsRoom: false,
  ...plainRoot,
  ...extra,
});
const created = (m: Message) => ({ type: 'message.created' as const, roomId: 'r', seq: m.seq, message: m });

describe('the room timeline', () => {
  it('merges the newest page and the stream in seq order, each event once', () => {
    let t = withNewestPage(emptyTimeline(), { messages: [message(3), message(4)], nextBeforeSeq: 3 });
    expect(t.cursor).toBe(4);
    t = applyEvent(t, created(message(5)));
    t = applyEvent(t, created(message(5))); // a replay overlapping what we have
    t = applyEvent(t, { type: 'member.joined', roomId: 'r', seq: 6, userId: 'v', actorId: null });
    t = applyEvent(t, { type: 'message.updated', roomId: 'r', seq: 7, message: message(4, { body: 'edited', editedAt: 'x' }) });
    t = applyEvent(t, { type: 'message.deleted', roomId: 'r', seq: 8, messageId: 'm3' });
    expect(t.messages.map((m) => [m.seq, m.body])).toEqual([
      [4, 'edited'],
      [5, 'body 5'],
    ]);
    expect(t.cursor).toBe(8);
    expect(readableSeq(t)).toBe(8);
  });

  it('prepends older pages without overwriting newer copies', () => {
    let t = withNewestPage(emptyTimeline(), { messages: [message(3, { body: 'new' })], nextBeforeSeq: 3 });
    t = withOlderPage(t, { messages: [message(1), message(2), message(3, { body: 'stale' })], nextBeforeSeq: null });
    expect(t.messages.map((m) => m.body)).toEqual(['body 1', 'body 2', 'new']);
    expect(t.nextBeforeSeq).toBeNull();
  });

  it('never revives a deleted message from a late acknowledgement', () => {
    let t = withNewestPage(emptyTimeline(), { messages: [], nextBeforeSeq: null });
    t = applyEvent(t, created(message(1)));
    t = applyEvent(t, { type: 'message.deleted', roomId: 'r', seq: 2, messageId: 'm1' });
    t = withAcknowledged(t, message(1));
    expect(t.messages).toEqual([]);
  });

  it('empties on reset and carries on from its lastSeq', () => {
    let t = withNewestPage(emptyTimeline(), { messages: [message(1)], nextBeforeSeq: null });
    t = applyEvent(t, { type: 'reset', roomId: 'r', lastSeq: 40 });
    expect(t).toMatchObject({ messages: [], cursor: 40, loaded: false });
    t = applyEvent(t, created(message(40)));
    expect(t.messages).toEqual([]);
    t = applyEvent(t, created(message(41)));
    t = withNewestPage(t, { messages: [message(39), message(40), message(41)], nextBeforeSeq: 39 });
    expect(t.messages.map((m) => m.seq)).toEqual([39, 40, 41]);
  });
});

const networkError = () => new TRPCClientError('Failed to fetch');
const apiError = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  TRPCClientError.from({ error: { code: -32600, message, data: { code, httpStatus: 400, ...extra } } });

function outboxWith(send: (item: { body: string; clientMessageId: string }) => Promise<unknown>, storage?: { items: OutboxItem[] }) {
  let n = 0;
  return new Outbox({
    send,
    isTransient: isNetworkError,
    retryAfterMs,
    describe: describeError,
    newId: () => `id${++n}`,
    retryDelayMs: () => 1000,
    storage: storage && { load: () => storage.items, save: (items) => (storage.items = [...items]) },
  });
}

describe('the outbox', () => {
  afterEach(() => vi.useRealTimers());

  it('sends one at a time, in the order written', async () => {
    const sent: string[] = [];
    const answers: Array<() => void> = [];
    const outbox = outboxWith(({ body }) => {
      sent.push(body);
      return new Promise<void>((resolve) => answers.push(resolve));
    });
    ['a', 'b', 'c'].forEach((body) => outbox.enqueue('r', body));
    for (const i of [1, 2, 3]) {
      // The next send starts only once this one is answered.
      await vi.waitFor(() => expect(sent).toEqual(['a', 'b', 'c'].slice(0, i)));
      answers.shift()!();
    }
    await vi.waitFor(() => expect(outbox.snapshot()).toEqual([]));
    expect(sent).toEqual(['a', 'b', 'c']);
  });

  it('holds the line on a failure without an answer and retries the same clientMessageId first', async () => {
    vi.useFakeTimers();
    const attempts: string[] = [];
    let down = true;
    const outbox = outboxWith(async ({ body, clientMessageId }) => {
      attempts.push(`${body}:${clientMessageId}`);
      if (down) throw networkError();
    });
    outbox.enqueue('r', 'a');
    outbox.enqueue('r', 'b');
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toEqual(['a:id1']);
    expect(outbox.snapshot().map((i) => [i.body, i.status])).toEqual([
      ['a', 'queued'],
      ['b', 'queued'],
    ]);
    down = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts).toEqual(['a:id1', 'a:id1', 'b:id2']);
    expect(outbox.snapshot()).toEqual([]);
  });

  it('marks a refused send failed with the reason and goes on; retry and discard', async () => {
    const refused = apiError('BAD_REQUEST', 'x', { issues: [{ path: ['body'], message: 'A message can be at most 10 characters' }] });
    const sent: string[] = [];
    const outbox = outboxWith(async ({ body }) => {
      if (body.length > 10) throw refused;
      sent.push(body);
    });
    outbox.enqueue('r', 'far too long for this');
    outbox.enqueue('r', 'short');
    await vi.waitFor(() => expect(sent).toEqual(['short']));
    expect(outbox.snapshot()).toMatchObject([{ status: 'failed', error: 'A message can be at most 10 characters' }]);
    outbox.retry('id1');
    await vi.waitFor(() => expect(outbox.snapshot()[0]?.status).toBe('failed'));
    outbox.discard('id1');
    expect(outbox.snapshot()).toEqual([]);
  });

  it('waits as long as a rate limit asks, keeping the order', async () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    let limited = true;
    const outbox = outboxWith(async ({ body }) => {
      if (limited) {
        limited = false;
        throw apiError('TOO_MANY_REQUESTS', 'Too many messages; try again in 3 s', { retryAfterMs: 3000 });
      }
      sent.push(body);
    });
    outbox.enqueue('r', 'a');
    outbox.enqueue('r', 'b');
    await vi.advanceTimersByTimeAsync(2900);
    expect(sent).toEqual([]);
    expect(outbox.snapshot()[0]).toMatchObject({ status: 'queued', error: 'Too many messages; try again in 3 s.' });
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toEqual(['a', 'b']);
  });

  it('sends nothing while paused (offline) and everything, in order, on resume', async () => {
    const sent: string[] = [];
    const outbox = outboxWith(async ({ body }) => void sent.push(body));
    outbox.pause();
    outbox.enqueue('r', 'a');
    outbox.enqueue('r', 'b');
    await outbox.flush(); // what each enqueue does: it returns having sent nothing
    expect(sent).toEqual([]);
    expect(outbox.snapshot().map((item) => item.status)).toEqual(['queued', 'queued']);
    outbox.resume();
    await vi.waitFor(() => expect(sent).toEqual(['a', 'b']));
  });

  it('survives a reload: what was in flight is queued again under the same id', async () => {
    const storage = { items: [] as OutboxItem[] };
    const first = outboxWith(() => new Promise(() => {}), storage);
    first.enqueue('r', 'a');
    await vi.waitFor(() => expect(storage.items).toMatchObject([{ status: 'sending', clientMessageId: 'id1' }]));
    first.dispose();
    const sent: string[] = [];
    const second = outboxWith(async ({ clientMessageId }) => void sent.push(clientMessageId), storage);
    expect(second.snapshot()).toMatchObject([{ status: 'queued', clientMessageId: 'id1' }]);
    void second.flush();
    await vi.waitFor(() => expect(sent).toEqual(['id1']));
    expect(storage.items).toEqual([]);
  });
});

describe('the connection status', () => {
  it('says offline when the browser does, else follows the socket', () => {
    expect(connectionStatus({ browserOnline: false, socket: 'pending', everOpen: true })).toBe('offline');
    expect(connectionStatus({ browserOnline: true, socket: 'pending', everOpen: true })).toBe('online');
    expect(connectionStatus({ browserOnline: true, socket: 'connecting', everOpen: false })).toBe('connecting');
    expect(connectionStatus({ browserOnline: true, socket: 'connecting', everOpen: true })).toBe('reconnecting');
  });

  it('says refused while the server turns the socket away, until an open lasts, and replaced until asked back', () => {
    vi.useFakeTimers();
    const monitor = new ConnectionMonitor(true);
    monitor.setSocket('pending'); // the refused socket did open…
    monitor.refused({ message: 'Too many new connections from this address', retryAfterMs: 3000 }, 1_000);
    monitor.setSocket('connecting'); // …and was closed at once
    expect(monitor.snapshot()).toBe('refused');
    expect(monitor.notice()).toEqual({ message: 'Too many new connections from this address', retryAt: 4_000 });
    monitor.setSocket('pending');
    vi.advanceTimersByTime(SETTLE_MS - 1);
    expect(monitor.snapshot()).toBe('refused'); // not back until the open lasts
    vi.advanceTimersByTime(1);
    expect([monitor.snapshot(), monitor.notice()]).toEqual(['online', null]);
    monitor.setReplaced();
    expect(monitor.snapshot()).toBe('replaced');
    expect(connectionStatus({ browserOnline: false, socket: 'idle', everOpen: true, replaced: true })).toBe('offline');
    vi.useRealTimers();
  });

  it('counts down in words, and retries when the server said rather than at the backoff', () => {
    const notice = { message: 'Too many new connections from this address', retryAt: 10_000 };
    expect(refusalText(notice, 7_100)).toBe('Cannot connect: too many new connections from this address. Trying again in 3 s.');
    expect(refusalText(notice, 10_000)).toBe('Cannot connect: too many new connections from this address. Trying again now…');
    const retry = serverPacedRetry(() => 500);
    const refusal = retry.heard({ code: CloseCode.tooManyConnections, reason: 'The server is at its connection limit; retry in 10 s' });
    expect(refusal?.message).toBe('The server is at its connection limit');
    expect(refusal!.retryAfterMs).toBeGreaterThanOrEqual(10_000);
    expect(refusal!.retryAfterMs).toBeLessThanOrEqual(12_000);
    expect(retry.delay(0)).toBe(refusal!.retryAfterMs);
    expect(retry.delay(0)).toBe(500); // once: then the backoff again
    expect(retry.heard({ code: 1006, reason: '' })).toBeNull();
    expect(retry.delay(3)).toBe(500);
  });
});

describe('error sentences', () => {
  it('names the problem people can act on', () => {
    expect(describeError(networkError())).toBe('Cannot reach Hearth; check your connection and try again.');
    expect(describeError(apiError('TOO_MANY_REQUESTS', 'Too many failed logins; try again later', { retryAfterMs: 61_500 }))).toBe(
      'Too many failed logins; try again later. Try again in 62 s.',
    );
    expect(describeError(apiError('BAD_REQUEST', 'x', { issues: [{ path: ['username'], message: 'at least 3 characters' }] }))).toBe(
      'Username must be at least 3 characters',
    );
    expect(describeError(apiError('FORBIDDEN', 'Admins only'))).toBe('Admins only');
  });
});

describe('refresh', () => {
  async function scenario(invalidate: (client: QueryClient) => Promise<void>) {
    const client = new QueryClient();
    let value = 'before the event';
    let reads = 0;
    const answers: Array<() => void> = [];
    const observer = new QueryObserver(client, {
      queryKey: ['receipts'],
      queryFn: async () => {
        const answer = value; // read now, answered when the test says, as a server does
        reads++;
        await new Promise<void>((resolve) => answers.push(resolve));
        return answer;
      },
    });
    const unsubscribe = observer.subscribe(() => {});
    await vi.waitFor(() => expect(reads).toBe(1));
    value = 'after the event'; // the event happens during the first fetch
    const invalidated = invalidate(client);
    await vi.waitFor(() => {
      for (const answer of answers.splice(0)) answer(); // in the order asked
      expect(client.isFetching()).toBe(0);
    });
    await invalidated;
    unsubscribe();
    return client.getQueryData(['receipts']);
  }

  it('does not lose an invalidation that arrives during the first fetch (plain invalidateQueries does)', async () => {
    expect(await scenario((client) => client.invalidateQueries({ queryKey: ['receipts'] }))).toBe('before the event');
    expect(await scenario((client) => refresh(client, ['receipts']))).toBe('after the event');
  });
});

describe('resumeLink', () => {
  it('keeps input.lastEventId at the last tracked event, whatever untracked events follow', async () => {
    const inputs: Array<{ lastEventId?: string | null }> = [];
    // A terminating link standing in for the WebSocket: it keeps the input it was given, as the real one does.
    const socket: TRPCLink<AppRouter> =
      () =>
      ({ op }) =>
        observable((observer) => {
          inputs.push(op.input as { lastEventId?: string });
          const emit = (result: object) => observer.next({ result: { type: 'data', ...result } as never });
          emit({ data: { type: 'presence' } });
          emit({ id: '7', data: { id: '7', data: {} } });
          emit({ data: { type: 'receipt' } });
          emit({ id: '8', data: { id: '8', data: {} } });
          emit({ data: { type: 'typing' } });
          observer.complete();
          return () => {};
        });
    const client = createTRPCClient<AppRouter>({ links: [resumeLink<AppRouter>(), socket] });
    const original = { roomId: '00000000-0000-4000-8000-000000000000', lastEventId: '3' };
    await new Promise<void>((resolve) => client.events.room.subscribe(original, { onComplete: resolve }));
    expect(inputs).toHaveLength(1);
    expect(inputs[0]!.lastEventId).toBe('8');
    expect(original.lastEventId).toBe('3'); // the caller's object (React Query's key) is left alone
  });
});
