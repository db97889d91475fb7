import { expect, it } from 'vitest';
import { DUPLICATE, type Message, type NewMessage, type Room, type Store, type User } from '../../src/server/store/store.ts';

interface Fixtures {
  store: () => Store;
  person: (username: string) => Promise<User>;
  room: (...memberIds: string[]) => Promise<Room>;
  send: (roomId: string, authorId: string, body: string, clientMessageId?: string) => NewMessage;
  appended: (result: Awaited<ReturnType<Store['messages']['append']>>) => Message;
}

/**
 * Mentions in every Store (part of storeContract): the SQLite group commit and
 * Prisma write the same columns and Mention rows in the message's transaction,
 * and count the same unread mentions.
 */
export function mentionContract({ store, person, room, send, appended }: Fixtures) {
  const rows = (messageId: string) =>
    store()
      .prisma.mention.findMany({ where: { messageId }, orderBy: { userId: 'asc' } })
      .then((found) => found.map(({ userId, roomId, seq }) => ({ userId, roomId, seq })));

  it('writes a message’s mentions with it: the columns and one Mention row per member at its seq; a rolled-back send leaves none', async () => {
    const [alice, bob, carol] = [await person('alice'), await person('bob'), await person('carol')];
    const r = await room(alice.id, bob.id, carol.id); // seqs 1-3
    const ids = [bob.id, carol.id].sort();
    const m = appended(await store().messages.append({ ...send(r.id, alice.id, 'hi @bob @carol', 'c1'), mentionIds: ids, mentionsRoom: true }));
    expect(m).toMatchObject({ seq: 4, mentionIds: JSON.stringify(ids), mentionsRoom: true });
    expect(await rows(m.id)).toEqual(ids.map((userId) => ({ userId, roomId: r.id, seq: 4 })));
    const plain = appended(await store().messages.append(send(r.id, alice.id, 'no one')));
    expect(plain).toMatchObject({ mentionIds: '[]', mentionsRoom: false });
    expect(await rows(plain.id)).toEqual([]);
    // In one group (SQLite commits these together): the retry fails alone and takes its rows with it.
    const [retry, next] = await Promise.all([
      store().messages.append({ ...send(r.id, alice.id, 'again @bob', 'c1'), mentionIds: [bob.id] }),
      store().messages.append({ ...send(r.id, bob.id, 'yes @alice'), mentionIds: [alice.id] }),
    ]);
    expect(retry).toBe(DUPLICATE);
    expect(await rows(appended(next!).id)).toEqual([{ userId: alice.id, roomId: r.id, seq: 6 }]);
    expect(await store().prisma.mention.count()).toBe(3);
    expect(await store().messages.byId(m.id)).toEqual(m);
  });

  it('rewrites the mentions on edit (the rows keep the message’s seq) and removes them with the text on delete', async () => {
    const [alice, bob, carol] = [await person('alice'), await person('bob'), await person('carol')];
    const r = await room(alice.id, bob.id, carol.id);
    const m = appended(await store().messages.append({ ...send(r.id, alice.id, '@bob'), mentionIds: [bob.id] }));
    const edited = await store().messages.edit({ id: m.id, roomId: r.id, body: '@carol', mentionIds: [carol.id], mentionsRoom: true });
    expect(edited).toMatchObject({ seq: 5, message: { body: '@carol', mentionIds: JSON.stringify([carol.id]), mentionsRoom: true } });
    expect(await rows(m.id)).toEqual([{ userId: carol.id, roomId: r.id, seq: 4 }]);
    await store().messages.edit({ id: m.id, roomId: r.id, body: 'nobody' });
    expect(await rows(m.id)).toEqual([]);
    expect(await store().messages.byId(m.id)).toMatchObject({ mentionIds: '[]', mentionsRoom: false });
    const n = appended(await store().messages.append({ ...send(r.id, alice.id, '@room @bob'), mentionIds: [bob.id], mentionsRoom: true }));
    expect(await store().messages.erase({ id: n.id, roomId: r.id })).toBe(8);
    expect(await rows(n.id)).toEqual([]);
    expect(await store().messages.byId(n.id)).toMatchObject({ body: null, mentionIds: '[]', mentionsRoom: false });
  });

  it('counts unread mentions: mine and @room above my read position, not my own, not deleted, each message once', async () => {
    const [alice, bob, carol] = [await person('alice'), await person('bob'), await person('carol')];
    const r = await room(alice.id, bob.id, carol.id); // 1-3
    const mention = async (authorId: string, mentionIds: string[], mentionsRoom = false) =>
      appended(await store().messages.append({ ...send(r.id, authorId, 'm'), mentionIds, mentionsRoom }));
    await mention(alice.id, [bob.id]); // 4: counts
    await mention(alice.id, [carol.id]); // 5: not Bob's
    await mention(carol.id, [bob.id], true); // 6: counts once
    await mention(bob.id, [bob.id], true); // 7: his own
    const gone = await mention(alice.id, [bob.id]); // 8: deleted below
    await mention(carol.id, [], true); // 9: @room
    await store().messages.erase({ id: gone.id, roomId: r.id }); // 10
    expect(await store().memberships.unread(bob.id, r.id)).toEqual(new Map([[r.id, { unread: 4, mentions: 3, lastSeq: 10 }]]));
    expect(await store().memberships.unread(carol.id)).toEqual(new Map([[r.id, { unread: 3, mentions: 2, lastSeq: 10 }]]));
    await store().memberships.advance({ roomId: r.id, userId: bob.id, deliveredSeq: 6, readSeq: 6 });
    expect(await store().memberships.unread(bob.id)).toEqual(new Map([[r.id, { unread: 1, mentions: 1, lastSeq: 10 }]]));
  });

  it('finds members by username, never non-members, and keeps each member’s notification level', async () => {
    const [alice, bob, carol] = [await person('alice'), await person('bob'), await person('carol')];
    const r = await room(alice.id, bob.id);
    expect((await store().memberships.namedAmong(r.id, ['bob', 'carol', 'alice', 'nobody'])).sort()).toEqual([alice.id, bob.id].sort());
    expect(await store().memberships.namedAmong(r.id, [])).toEqual([]);
    expect(await store().memberships.setNotify(r.id, bob.id, 'nothing')).toBe(true);
    expect(await store().memberships.setNotify(r.id, carol.id, 'all')).toBe(false);
    expect(await store().memberships.access(r.id, bob.id)).toMatchObject({ membership: { notify: 'nothing' } });
    expect((await store().rooms.listedFor(bob.id)).map((l) => l.notify)).toEqual(['nothing']);
    expect((await store().rooms.listedFor(alice.id)).map((l) => l.notify)).toEqual([null]);
    expect(await store().memberships.find(r.id, carol.id)).toBeNull();
  });
}
