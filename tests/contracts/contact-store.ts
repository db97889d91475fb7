import { describe, expect, it } from 'vitest';
import { DUPLICATE, type Message, type Store } from '../../src/server/store/store.ts';
import { newId, storePerTest, type OpenStore } from './fixture.ts';

const id = newId;

/** What every Store's contacts and hidden parts must do (the SQLite store reads hidden messages by a prepared statement). */
export function contactStoreContract(name: string, open: OpenStore) {
  describe(`Contact and hidden store contract: ${name}`, () => {
    let store: Store;
    const { person } = storePerTest(open, (fresh) => (store = fresh));
    async function room(kind: 'closed' | 'direct', ...memberIds: string[]) {
      const directKey = kind === 'direct' ? [...memberIds].sort().join(',') : undefined;
      const created = await store.rooms.create(
        { id: id(), name: kind === 'direct' ? '' : 'r', kind, createdById: memberIds[0]!, directKey },
        memberIds.map((userId) => ({ userId, role: 'member' as const })),
      );
      if (created === DUPLICATE) throw new Error('unexpected duplicate room');
      return created.room;
    }

    it('requests, answers, reach and blocks', async () => {
      const [a, b, c, d] = await Promise.all(['a', 'b', 'c', 'd'].map(person));
      await room('closed', a!.id, b!.id);
      expect(await store.contacts.reachableAmong(a!.id, [b!.id, c!.id, d!.id])).toEqual([b!.id]);
      const ask = (from: string, to: string, pendingMax = 10) => store.contacts.request({ requesterId: from, addresseeId: to, pendingMax });
      expect(await ask(a!.id, c!.id)).toBe('requested');
      expect(await ask(a!.id, c!.id)).toBe('pending');
      expect(await ask(a!.id, d!.id, 1)).toBe('full');
      expect(await ask(c!.id, a!.id)).toBe('accepted');
      expect(await ask(a!.id, c!.id)).toBe('contacts');
      expect(await store.contacts.reachableAmong(a!.id, [b!.id, c!.id, d!.id])).toEqual([b!.id, c!.id]);
      expect(await ask(d!.id, a!.id)).toBe('requested');
      expect(await store.contacts.answer({ requesterId: d!.id, addresseeId: a!.id, status: 'declined', at: new Date() })).toBe(true);
      expect(await store.contacts.answer({ requesterId: d!.id, addresseeId: a!.id, status: 'accepted', at: new Date() })).toBe(false);
      expect(await ask(d!.id, a!.id)).toBe('declined');
      const lists = await store.contacts.listsOf(a!.id, 10);
      expect([lists.contacts.map((u) => u.username), lists.incoming, lists.outgoing, lists.blocked]).toEqual([['c'], [], [], []]);

      expect(await store.contacts.block({ blockerId: a!.id, blockedId: c!.id, blocksMax: 1 })).toBe('blocked');
      expect(await store.contacts.block({ blockerId: a!.id, blockedId: c!.id, blocksMax: 1 })).toBe('blocked'); // again: no new row
      expect(await store.contacts.block({ blockerId: a!.id, blockedId: d!.id, blocksMax: 1 })).toBe('full');
      expect(await store.contacts.blocks(a!.id, c!.id)).toBe(true);
      expect(await store.contacts.blockersAmong(c!.id, [a!.id, b!.id])).toEqual([a!.id]);
      expect((await store.contacts.listsOf(a!.id, 10)).contacts).toEqual([]); // the contact is forgotten
      expect(await store.contacts.unblock(a!.id, c!.id)).toBe(true);
      expect(await store.contacts.unblock(a!.id, c!.id)).toBe(false);
    });

    it('hides messages and conversations for one member', async () => {
      const [a, b] = await Promise.all(['a', 'b'].map(person));
      const direct = await room('direct', a!.id, b!.id); // seqs 1, 2
      const sent: Message[] = [];
      for (const body of ['one', 'two', 'three']) {
        const message = await store.messages.append({ id: id(), roomId: direct.id, authorId: b!.id, body, clientMessageId: id() });
        if (typeof message === 'string') throw new Error(message);
        sent.push(message);
      }
      const hide = (m: Message) => store.hidden.hideMessage({ userId: a!.id, messageId: m.id, roomId: direct.id, seq: m.seq });
      expect([await hide(sent[0]!), await hide(sent[0]!), await hide(sent[2]!)]).toEqual([true, false, true]);
      expect((await store.hidden.messageIdsIn(a!.id, direct.id)).sort()).toEqual([sent[0]!.id, sent[2]!.id].sort());
      expect(await store.hidden.messageIdsIn(a!.id, direct.id, { fromSeq: 4, toSeq: 5 })).toEqual([sent[2]!.id]);
      expect(await store.hidden.messageIdsIn(b!.id, direct.id)).toEqual([]);

      expect(await store.hidden.hideRoom(direct.id, a!.id)).toBe(5);
      expect(await store.memberships.find(direct.id, a!.id)).toMatchObject({ hidden: true, clearedSeq: 5, readSeq: 5, deliveredSeq: 5 });
      expect(await store.memberships.find(direct.id, b!.id)).toMatchObject({ hidden: false, clearedSeq: 0, readSeq: 0 });
      expect((await store.memberships.access(direct.id, a!.id))?.membership).toMatchObject({ hidden: true, clearedSeq: 5 });
      expect(await store.hidden.hideRoom(direct.id, id())).toBe('not-member');
    });
  });
}
