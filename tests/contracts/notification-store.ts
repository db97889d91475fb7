import { describe, expect, it } from 'vitest';
import { DUPLICATE, type Store } from '../../src/server/store/store.ts';
import { newId, storePerTest, type OpenStore } from './fixture.ts';

const id = newId;
const at = (second: number) => new Date(Date.UTC(2026, 11, 2, 8, 0, second));

/**
 * What every NotificationStore must do, the SQLite prepared statements and
 * Prisma alike: run it for each (`notificationStoreContract('sqlite', open)`).
 */
export function notificationStoreContract(name: string, open: OpenStore) {
  describe(`NotificationStore contract: ${name}`, () => {
    let store: Store;
    const { person } = storePerTest(open, (fresh) => (store = fresh));

    async function room(...memberIds: string[]) {
      const created = await store.rooms.create(
        { id: id(), name: `r${id()}`, kind: 'closed', createdById: memberIds[0]! },
        memberIds.map((userId) => ({ userId, role: 'member' as const })),
      );
      if (created === DUPLICATE) throw new Error('unexpected duplicate room');
      return created.room;
    }
    const setLevel = (roomId: string, userId: string, notify: string | null) =>
      store.prisma.membership.update({ where: { roomId_userId: { roomId, userId } }, data: { notify } });
    const sorted = (rows: Array<{ userId: string; notify: string | null }>) => [...rows].sort((a, b) => a.userId.localeCompare(b.userId));

    it('finds the members who chose level all and the mentioned ones, never the author or non-members; everyone when asked', async () => {
      const [alice, bob, carol, dave, erin] = await Promise.all(['alice', 'bob', 'carol', 'dave', 'erin'].map(person));
      const r = await room(alice!.id, bob!.id, carol!.id, dave!.id);
      await setLevel(r.id, bob!.id, 'all');
      await setLevel(r.id, alice!.id, 'all'); // the author: never a candidate
      await setLevel(r.id, dave!.id, 'nothing');
      const ask = (mentionIds: string[], everyone = false) => store.notifications.candidates({ roomId: r.id, authorId: alice!.id, mentionIds, everyone });

      expect(await ask([])).toEqual([{ userId: bob!.id, notify: 'all' }]);
      const mentioned = await ask([carol!.id, dave!.id, erin!.id, alice!.id, bob!.id]); // erin is no member; alice wrote it; bob twice over
      expect(sorted(mentioned)).toEqual(
        sorted([
          { userId: bob!.id, notify: 'all' },
          { userId: carol!.id, notify: null },
          { userId: dave!.id, notify: 'nothing' },
        ]),
      );
      expect(sorted(await ask([], true))).toEqual(
        sorted([
          { userId: bob!.id, notify: 'all' },
          { userId: carol!.id, notify: null },
          { userId: dave!.id, notify: 'nothing' },
        ]),
      );
      await setLevel(r.id, bob!.id, null);
      expect(await ask([])).toEqual([]);
    });

    it('collapses a room’s messages into each person’s one unread row of the kind, and starts a new one once it is read', async () => {
      const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map(person));
      const r = await room(alice!.id, bob!.id, carol!.id);
      const message = (seq: number, userIds: string[]) =>
        store.notifications.collapse({ kind: 'message', roomId: r.id, messageId: id(), seq, actorId: alice!.id, userIds, at: at(seq), newId: id });

      const first = await message(4, [bob!.id]);
      expect(first).toMatchObject([{ userId: bob!.id, kind: 'message', seq: 4, count: 1, readAt: null }]);
      const second = await message(5, [bob!.id, carol!.id]);
      const bobs = second.find((row) => row.userId === bob!.id)!;
      expect(bobs).toMatchObject({ id: first[0]!.id, seq: 5, count: 2, createdAt: at(5) });
      expect(second.find((row) => row.userId === carol!.id)).toMatchObject({ seq: 5, count: 1 });
      expect(await store.notifications.unreadCounts([bob!.id, carol!.id, alice!.id])).toEqual(
        new Map([
          [bob!.id, 1],
          [carol!.id, 1],
        ]),
      );

      expect(await store.notifications.markRead(bob!.id, { roomId: r.id, upToSeq: 4 }, at(10))).toBe(0); // its newest message is above
      expect(await store.notifications.markRead(bob!.id, { roomId: r.id, upToSeq: 5 }, at(10))).toBe(1);
      const third = await message(6, [bob!.id]);
      expect(third[0]).toMatchObject({ count: 1, seq: 6 });
      expect(third[0]!.id).not.toBe(bobs.id);
      expect(await store.notifications.unreadCounts([bob!.id])).toEqual(new Map([[bob!.id, 1]]));
    });

    it('pages newest first by time then id, marks read by id (only the owner’s) or all, and prunes the oldest', async () => {
      const [bob, carol] = await Promise.all(['bob', 'carol'].map(person));
      const rows = Array.from({ length: 5 }, (_, i) => ({ id: id(), userId: bob!.id, kind: 'contact.request', actorId: carol!.id, createdAt: at(i % 3) }));
      await store.notifications.add(rows);
      const expected = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((row) => row.id);
      const first = await store.notifications.page(bob!.id, { limit: 2 });
      const last = first.at(-1)!;
      const rest = await store.notifications.page(bob!.id, { before: { createdAt: last.createdAt, id: last.id }, limit: 10 });
      expect([...first, ...rest].map((row) => row.id)).toEqual(expected);

      expect(await store.notifications.markRead(carol!.id, { ids: [expected[0]!] }, at(9))).toBe(0); // not hers
      expect(await store.notifications.markRead(bob!.id, { ids: [expected[0]!, expected[1]!] }, at(9))).toBe(2);
      expect(await store.notifications.markRead(bob!.id, { ids: [expected[0]!] }, at(9))).toBe(0); // read already
      expect(await store.notifications.unreadFrom(bob!.id, 'contact.request', carol!.id)).not.toBeNull();
      expect(await store.notifications.markRead(bob!.id, { all: true }, at(9))).toBe(3);
      expect(await store.notifications.unreadCounts([bob!.id])).toEqual(new Map());
      expect(await store.notifications.unreadFrom(bob!.id, 'contact.request', carol!.id)).toBeNull();

      expect(await store.notifications.prune(bob!.id, 3)).toBe(2);
      expect((await store.notifications.page(bob!.id, { limit: 10 })).map((row) => row.id)).toEqual(expected.slice(0, 3));
      expect(await store.notifications.prune(bob!.id, 3)).toBe(0);
    });

    it('details a page with its rooms, actors and the messages’ current text (null once deleted)', async () => {
      const [alice, bob] = await Promise.all(['alice', 'bob'].map(person));
      const r = await room(alice!.id, bob!.id);
      const kept = await store.messages.append({ id: id(), roomId: r.id, authorId: alice!.id, body: 'hello bob', clientMessageId: id() });
      const gone = await store.messages.append({ id: id(), roomId: r.id, authorId: alice!.id, body: 'oops', clientMessageId: id() });
      if (typeof kept === 'string' || typeof gone === 'string') throw new Error('append failed');
      await store.messages.erase({ id: gone.id, roomId: r.id });
      const rows = await store.notifications.add(
        [kept, gone].map((m) => ({
          id: id(),
          userId: bob!.id,
          kind: 'mention',
          roomId: r.id,
          messageId: m.id,
          seq: m.seq,
          actorId: alice!.id,
          createdAt: at(1),
        })),
      );
      const details = await store.notifications.details(rows);
      expect(details.rooms.get(r.id)).toMatchObject({ name: r.name, kind: 'closed' });
      expect(details.people.get(alice!.id)).toEqual({ id: alice!.id, username: 'alice', displayName: 'alice' });
      expect(details.texts).toEqual(
        new Map([
          [kept.id, 'hello bob'],
          [gone.id, null],
        ]),
      );
    });
  });
}
