import { describe, expect, it } from 'vitest';
import { createRoom, people, sentinelMessage, watchRoom } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { recordedBefore } from './helpers/sentinel.ts';
import { until } from './helpers/raw-ws.ts';
import { startServer } from './helpers/server.ts';

const reactionsIn = (page: { messages: Array<{ body: string; reactions: unknown }> }) => page.messages.map((m) => [m.body, m.reactions]);

describe('reactions: messages.react', () => {
  it('adds and takes back reactions as durable log events, counted with who in history, each change once', async () => {
    const hearth = await startServer();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const room = await createRoom({ by: alice, members: [bob] }); // seqs 1, 2: the joins
    const hello = await alice.api.messages.send.mutate({ roomId: room.id, body: 'hello', clientMessageId: 'h' }); // 3
    const live = watchRoom(bob.connect(), room.id, '3');
    await until(() => live.started);

    const react = (who: typeof alice, emoji: string, on = true) => who.api.messages.react.mutate({ messageId: hello.id, emoji, on });
    await expect(react(alice, '👍')).resolves.toEqual({ changed: true, reactions: [{ emoji: '👍', userIds: [alice.id] }] }); // 4
    await expect(react(alice, '👍')).resolves.toMatchObject({ changed: false }); // again: nothing logged
    await react(bob, '🎉'); // 5
    await react(bob, '👍'); // 6
    await expect(react(alice, '👍', false)).resolves.toEqual({
      changed: true,
      reactions: [
        { emoji: '🎉', userIds: [bob.id] },
        { emoji: '👍', userIds: [bob.id] },
      ],
    }); // 7
    await expect(react(alice, '👍', false)).resolves.toMatchObject({ changed: false });

    const page = await bob.api.messages.history.query({ roomId: room.id });
    expect(reactionsIn(page)).toEqual([
      [
        'hello',
        [
          { emoji: '🎉', userIds: [bob.id] },
          { emoji: '👍', userIds: [bob.id] },
        ],
      ],
    ]);
    expect((await alice.api.messages.get.query({ messageId: hello.id })).reactions).toHaveLength(2);

    const changes = (await recordedBefore(live.received, sentinelMessage(alice, room.id))).flatMap(({ event }) =>
      event.type === 'reaction.added' || event.type === 'reaction.removed'
        ? [[event.seq, event.type, event.emoji, event.userId === alice.id ? 'alice' : 'bob']]
        : [],
    );
    expect(changes).toEqual([
      [4, 'reaction.added', '👍', 'alice'],
      [5, 'reaction.added', '🎉', 'bob'],
      [6, 'reaction.added', '👍', 'bob'],
      [7, 'reaction.removed', '👍', 'alice'],
    ]);

    // A stream resuming from before them replays the same changes from the log, in order.
    const replay = watchRoom(alice.connect(), room.id, '3');
    await until(() => replay.seqs().includes(7));
    expect(replay.seqs().slice(0, 4)).toEqual([4, 5, 6, 7]);
    expect(replay.received.filter((r) => r.event.type.startsWith('reaction.')).map((r) => r.event)).toEqual(
      live.received.filter((r) => r.event.type.startsWith('reaction.')).map((r) => r.event),
    );
  });

  it('refuses what is not one emoji, deleted messages, archived rooms and non-members, and caps them per message and person', async () => {
    const hearth = await startServer({ env: { REACTIONS_PER_MESSAGE: '3', REACTIONS_PER_USER_PER_MESSAGE: '2' } });
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    const room = await createRoom({ by: alice, members: [bob] });
    const message = await alice.api.messages.send.mutate({ roomId: room.id, body: 'hi', clientMessageId: 'm' });
    const react = (who: typeof alice, emoji: string, messageId = message.id) => who.api.messages.react.mutate({ messageId, emoji, on: true });
    const lastSeq = async () => (await alice.api.rooms.get.query({ roomId: room.id })).lastSeq;
    const before = await lastSeq();

    for (const emoji of ['a', '👍👍', ':+1:', '<script>', '', '\u200d', 'x'.repeat(64)]) {
      expect((await rejection(react(alice, emoji))).data?.code).toBe('BAD_REQUEST');
    }
    expect((await rejection(react(carol, '👍'))).data?.code).toBe('NOT_FOUND');
    expect(await lastSeq()).toBe(before); // nothing logged

    // Flags, keycaps, skin tones and ZWJ sequences are one emoji each.
    await react(alice, '🇫🇷');
    await react(alice, '👩🏽‍💻');
    expect((await rejection(react(alice, '1️⃣'))).message).toBe('You can react to one message with at most 2 emoji');
    await react(bob, '1️⃣');
    expect((await rejection(react(bob, '🎉'))).message).toBe('A message can have at most 3 different reactions');
    await react(bob, '🇫🇷'); // an emoji it has already is fine
    expect((await alice.api.messages.get.query({ messageId: message.id })).reactions.map((r) => [r.emoji, r.userIds.length])).toEqual([
      ['🇫🇷', 2],
      ['👩🏽‍💻', 1],
      ['1️⃣', 1],
    ]);

    await alice.api.messages.delete.mutate({ messageId: message.id });
    expect((await rejection(react(bob, '🇫🇷'))).data?.code).toBe('NOT_FOUND');
    const other = await alice.api.messages.send.mutate({ roomId: room.id, body: 'there', clientMessageId: 'o' });
    await alice.api.rooms.archive.mutate({ roomId: room.id, archived: true });
    expect((await rejection(react(bob, '👍', other.id))).data?.code).toBe('FORBIDDEN');
    const page = await bob.api.messages.history.query({ roomId: room.id });
    expect(page.messages.map((m) => [m.body, m.reactions])).toEqual([['there', []]]); // the deleted one went with its reactions
  });

  it('is rate-limited per person', async () => {
    const hearth = await startServer({ env: { REACTIONS_PER_MINUTE: '2' } });
    const { alice } = await people(hearth, 'alice');
    const room = await createRoom({ by: alice });
    const message = await alice.api.messages.send.mutate({ roomId: room.id, body: 'hi', clientMessageId: 'm' });
    await alice.api.messages.react.mutate({ messageId: message.id, emoji: '👍', on: true });
    await alice.api.messages.react.mutate({ messageId: message.id, emoji: '👍', on: false });
    const refused = await rejection(alice.api.messages.react.mutate({ messageId: message.id, emoji: '👍', on: true }));
    expect(refused.data?.code).toBe('TOO_MANY_REQUESTS');
    expect((await alice.api.messages.get.query({ messageId: message.id })).reactions).toEqual([]);
  });
});
