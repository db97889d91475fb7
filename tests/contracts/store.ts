import { describe, expect, it } from 'vitest';
import { Duplicate } from '../../src/server/store/errors.ts';
import { CLOSED, DUPLICATE, type Message, type NewMessage, type Store } from '../../src/server/store/store.ts';
import { mentionContract } from './mention-store.ts';
import { newId, storePerTest, type OpenStore } from './fixture.ts';

const id = newId;

/**
 * What every Store must do. Run it for each implementation:
 * `storeContract('sqlite', () => openStore(url))`; `drop` removes the database after.
 */
export function storeContract(name: string, open: OpenStore) {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    const { person, admin } = storePerTest(open, (fresh) => (store = fresh));

    /** A closed room whose members joined in order: seqs 1..n. */
    async function room(...memberIds: string[]) {
      const created = await store.rooms.create(
        { id: id(), name: 'r', kind: 'closed', createdById: memberIds[0]! },
        memberIds.map((userId, i) => ({ userId, role: i === 0 ? ('admin' as const) : ('member' as const) })),
      );
      if (created === DUPLICATE) throw new Error('unexpected duplicate room');
      return created.room;
    }
    const archive = (roomId: string, archived: boolean) => ({ roomId, archived, actorId: null, detail: JSON.stringify({ archived }) });
    const send = (roomId: string, authorId: string, body: string, clientMessageId: string = id()): NewMessage => ({
      id: id(),
      roomId,
      authorId,
      body,
      clientMessageId,
    });
    const appended = (result: Awaited<ReturnType<Store['messages']['append']>>): Message => {
      if (result === DUPLICATE || result === CLOSED) throw new Error(`expected a message, got ${result}`);
      return result;
    };

    it('gives concurrent sends contiguous seqs after the joins, no gap, no duplicate, logged in order', async () => {
      const alice = await person('alice');
      const bob = await person('bob');
      const r = await room(alice.id, bob.id); // joins: 1, 2
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => store.messages.append(send(r.id, i % 2 ? bob.id : alice.id, `m${i}`))));
      expect(results.map((m) => appended(m).seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 3));
      expect(await store.log.lastSeq(r.id)).toBe(32);
      const log = await store.log.entriesAfter(r.id, 0, 100);
      expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
      expect(log.slice(0, 2).map((e) => [e.type, e.userId])).toEqual([
        ['member.joined', alice.id],
        ['member.joined', bob.id],
      ]);
      expect(new Set(log.slice(2).map((e) => e.type))).toEqual(new Set(['message.created']));
    });

    it('refuses every new log entry in an archived room (and a room that does not exist), taking no seq', async () => {
      const alice = await person('alice');
      const bob = await person('bob');
      const r = await room(alice.id, bob.id);
      const kept = appended(await store.messages.append(send(r.id, alice.id, 'before')));
      expect(await store.rooms.setArchived(archive(r.id, true))).toMatchObject({ room: { id: r.id, archivedAt: expect.any(Date) }, seq: 4 });
      expect(await store.messages.append(send(r.id, alice.id, 'after'))).toBe(CLOSED);
      expect(await store.messages.edit({ id: kept.id, roomId: r.id, body: 'edited' })).toBe(CLOSED);
      expect(await store.messages.erase({ id: kept.id, roomId: r.id })).toBe(CLOSED);
      expect(await store.memberships.revoke(r.id, bob.id, null)).toBe(CLOSED);
      expect(await store.memberships.grant({ roomId: r.id, userIds: [(await person('carol')).id], role: 'member', actorId: null })).toBe(CLOSED);
      expect(await store.memberships.setRole({ roomId: r.id, userId: bob.id, role: 'admin', actorId: alice.id, detail: '{}' })).toBe(CLOSED);
      expect(await store.rooms.change({ roomId: r.id, actorId: alice.id, details: { topic: 't' }, detail: '{}' })).toBe(CLOSED);
      expect(await store.messages.append(send(id(), alice.id, 'nowhere'))).toBe(CLOSED);
      expect(await store.rooms.setArchived(archive(r.id, true))).toMatchObject({ seq: null }); // so already
      expect(await store.log.lastSeq(r.id)).toBe(4);
      // Each refusal rolled back whole: the message is unchanged, bob still a member.
      expect(await store.messages.byId(kept.id)).toMatchObject({ body: 'before', editedAt: null, deletedAt: null });
      expect(await store.memberships.memberIds(r.id)).toHaveLength(2);
      expect(await store.rooms.setArchived(archive(r.id, false))).toMatchObject({ room: { archivedAt: null }, seq: 5 });
      expect(appended(await store.messages.append(send(r.id, alice.id, 'again'))).seq).toBe(6);
      expect(await store.rooms.setArchived(archive(id(), true))).toBeNull();
    });

    it('answers a retry of an accepted send DUPLICATE, also when it races the original, and gives its seq back', async () => {
      const alice = await person('alice');
      const r = await room(alice.id);
      const first = appended(await store.messages.append(send(r.id, alice.id, 'hi', 'c1')));
      expect(await store.messages.append(send(r.id, alice.id, 'hi', 'c1'))).toBe(DUPLICATE);
      const racing = await Promise.all(Array.from({ length: 8 }, () => store.messages.append(send(r.id, alice.id, 'race', 'c2'))));
      expect(racing.filter((m) => m === DUPLICATE)).toHaveLength(7);
      const winner = appended(racing.find((m) => m !== DUPLICATE)!);
      expect(winner.seq).toBe(3);
      expect(await store.messages.byClientId(alice.id, 'c1')).toEqual(first);
      expect(await store.messages.byClientId(alice.id, 'c2')).toEqual(winner);
      expect(await store.messages.byClientId(alice.id, 'unknown')).toBeNull();
      expect(await store.log.lastSeq(r.id)).toBe(3);
      expect(appended(await store.messages.append(send(r.id, alice.id, 'next'))).seq).toBe(4);
    });

    it('keeps each send in a group apart: a duplicate and a closed room fail alone, the others commit', async () => {
      const alice = await person('alice');
      const open = await room(alice.id);
      const archived = await room(alice.id);
      await store.rooms.setArchived(archive(archived.id, true));
      appended(await store.messages.append(send(open.id, alice.id, 'first', 'dup')));
      // Issued in one turn of the event loop: the SQLite store commits them as one group.
      const results = await Promise.all([
        store.messages.append(send(open.id, alice.id, 'a')),
        store.messages.append(send(open.id, alice.id, 'again', 'dup')),
        store.messages.append(send(archived.id, alice.id, 'refused')),
        store.messages.append(send(open.id, alice.id, 'b')),
      ]);
      expect([appended(results[0]!).seq, results[1], results[2], appended(results[3]!).seq]).toEqual([3, DUPLICATE, CLOSED, 4]);
      const log = await store.log.entriesAfter(open.id, 1, 10);
      expect(log.map((e) => [e.seq, e.message?.body])).toEqual([
        [2, 'first'],
        [3, 'a'],
        [4, 'b'],
      ]);
      expect(await store.log.lastSeq(archived.id)).toBe(2);
    });

    it('replays the log in seq order, pages by afterSeq and limit, each message as it is now', async () => {
      const alice = await person('alice');
      const bob = await person('bob');
      const r = await room(alice.id); // 1
      const m1 = appended(await store.messages.append(send(r.id, alice.id, 'one'))); // 2
      const m2 = appended(await store.messages.append(send(r.id, alice.id, 'two'))); // 3
      expect(await store.memberships.grant({ roomId: r.id, userIds: [bob.id], role: 'member', actorId: alice.id })).toEqual([
        { userId: bob.id, seq: 4, actorId: alice.id },
      ]);
      expect(await store.messages.edit({ id: m1.id, roomId: r.id, body: 'one, edited' })).toMatchObject({ seq: 5, message: { body: 'one, edited' } });
      expect(await store.messages.erase({ id: m2.id, roomId: r.id })).toBe(6);
      expect(await store.messages.erase({ id: m2.id, roomId: r.id })).toBe('deleted');
      expect(await store.messages.edit({ id: m2.id, roomId: r.id, body: 'revived?' })).toBe('deleted');
      expect(await store.memberships.revoke(r.id, bob.id, alice.id)).toBe(7);
      expect(await store.memberships.revoke(r.id, bob.id, null)).toBe('not-member');
      const log = await store.log.entriesAfter(r.id, 0, 100);
      expect(log.map((e) => [e.seq, e.type, e.messageId ?? e.userId])).toEqual([
        [1, 'member.joined', alice.id],
        [2, 'message.created', m1.id],
        [3, 'message.created', m2.id],
        [4, 'member.joined', bob.id],
        [5, 'message.updated', m1.id],
        [6, 'message.deleted', m2.id],
        [7, 'member.left', bob.id],
      ]);
      expect(log[1]!.message).toMatchObject({ body: 'one, edited', editedAt: expect.any(Date) });
      expect(log[2]!.message).toMatchObject({ body: null, deletedAt: expect.any(Date) });
      expect((await store.log.entriesAfter(r.id, 2, 3)).map((e) => e.seq)).toEqual([3, 4, 5]);
      expect(await store.log.entriesAfter(r.id, 7, 10)).toEqual([]);
      expect((await store.messages.newestBefore({ roomId: r.id, limit: 10 })).map((m) => m.body)).toEqual(['one, edited']);
      expect(await store.log.lastSeq(id())).toBeUndefined();
    });

    it('logs who added and removed a member, and each room change with its actor and detail, replayed alike', async () => {
      const alice = await person('alice');
      const bob = await person('bob');
      const r = await room(alice.id); // 1: alice created it (no actor)
      await store.memberships.grant({ roomId: r.id, userIds: [bob.id], role: 'member', actorId: alice.id }); // 2
      expect(await store.memberships.setRole({ roomId: r.id, userId: bob.id, role: 'admin', actorId: alice.id, detail: '{"role":1}' })).toBe(3);
      expect(await store.memberships.find(r.id, bob.id)).toMatchObject({ role: 'admin' });
      expect(await store.memberships.setRole({ roomId: r.id, userId: id(), role: 'admin', actorId: alice.id, detail: '{}' })).toBe('not-member');
      expect(await store.rooms.change({ roomId: r.id, actorId: bob.id, details: { name: 'Ops', nameKey: 'ops' }, detail: '{"name":"Ops"}' })).toBe(4);
      expect(await store.rooms.change({ roomId: r.id, actorId: bob.id, details: { topic: 'Pager duty' }, detail: '{"topic":"Pager duty"}' })).toBe(5);
      expect(await store.rooms.byId(r.id)).toMatchObject({ name: 'Ops', nameKey: 'ops', topic: 'Pager duty', lastSeq: 5 });
      expect(await store.rooms.byNameKey('ops')).toMatchObject({ id: r.id });
      expect(await store.rooms.byNameKey('nope')).toBeNull();
      appended(await store.messages.append(send(r.id, alice.id, 'hi'))); // 6
      await store.memberships.revoke(r.id, bob.id, null); // 7: bob left
      const log = await store.log.entriesAfter(r.id, 0, 100);
      expect(log.map((e) => [e.seq, e.type, e.userId, e.actorId, e.detail])).toEqual([
        [1, 'member.joined', alice.id, null, null],
        [2, 'member.joined', bob.id, alice.id, null],
        [3, 'room.updated', null, alice.id, '{"role":1}'],
        [4, 'room.updated', null, bob.id, '{"name":"Ops"}'],
        [5, 'room.updated', null, bob.id, '{"topic":"Pager duty"}'],
        [6, 'message.created', null, null, null],
        [7, 'member.left', bob.id, null, null],
      ]);
      // The entries that name no message, within a range, the newest `limit` of them, oldest first.
      const between = await store.log.roomEntriesBetween(r.id, { afterSeq: 1, beforeSeq: 7, limit: 3 });
      expect(between.map((e) => [e.seq, e.type, e.actorId])).toEqual([
        [3, 'room.updated', alice.id],
        [4, 'room.updated', bob.id],
        [5, 'room.updated', bob.id],
      ]);
      expect((await store.log.roomEntriesBetween(r.id, { afterSeq: 0, beforeSeq: 100, limit: 100 })).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 7]);
    });

    it('keeps room names unique by their key, also on rename; direct rooms have none', async () => {
      const alice = await person('alice');
      const named = (name: string) => ({ id: id(), name, nameKey: name.toLowerCase(), kind: 'open' as const, createdById: alice.id });
      const general = await store.rooms.create(named('General'), []);
      if (general === DUPLICATE) throw new Error('unexpected duplicate');
      expect(await store.rooms.create(named('GENERAL'), [])).toBe(DUPLICATE);
      const other = await store.rooms.create(named('Random'), []);
      if (other === DUPLICATE) throw new Error('unexpected duplicate');
      expect(await store.rooms.change({ roomId: other.room.id, actorId: alice.id, details: { name: 'general', nameKey: 'general' }, detail: '{}' })).toBe(
        DUPLICATE,
      );
      expect(await store.rooms.byId(other.room.id)).toMatchObject({ name: 'Random', lastSeq: 0 }); // rolled back, no seq taken
      // A case-only rename of the room itself keeps its key.
      expect(await store.rooms.change({ roomId: general.room.id, actorId: alice.id, details: { name: 'general', nameKey: 'general' }, detail: '{}' })).toBe(1);
      const server = await store.rooms.create({ id: id(), name: 'lobby', nameKey: 'lobby', kind: 'open', createdById: null }, []);
      expect(server).toMatchObject({ room: { createdById: null }, joined: [] });
      expect(await store.rooms.count()).toBe(3);
    });

    it('answers access, members and positions', async () => {
      const alice = await person('alice');
      const bob = await person('bob');
      const carol = await person('carol');
      const r = await room(alice.id, bob.id);
      expect(await store.memberships.access(r.id, alice.id)).toMatchObject({
        room: { id: r.id, kind: 'closed', lastSeq: 2 },
        membership: { userId: alice.id, role: 'admin', joinedSeq: 1 },
      });
      expect(await store.memberships.access(r.id, carol.id)).toEqual({ room: expect.objectContaining({ id: r.id }), membership: null });
      expect(await store.memberships.access(id(), alice.id)).toBeUndefined();
      expect((await store.memberships.memberIds(r.id)).sort()).toEqual([alice.id, bob.id].sort());
      expect(await store.memberships.roomIdsOf(bob.id)).toEqual([r.id]);
      expect(await store.memberships.membersAmong(r.id, [bob.id, carol.id])).toEqual([bob.id]);
      expect((await store.memberships.withUsers(r.id)).map((m) => m.user.username).sort()).toEqual(['alice', 'bob']);
      expect((await store.memberships.others(r.id, alice.id)).map((m) => m.userId)).toEqual([bob.id]);
      for (const body of ['a', 'b', 'c']) appended(await store.messages.append(send(r.id, alice.id, body))); // 3, 4, 5
      expect(await store.memberships.unread(bob.id)).toEqual(new Map([[r.id, { unread: 3, mentions: 0, lastSeq: 5 }]]));
      await store.memberships.advance({ roomId: r.id, userId: bob.id, deliveredSeq: 5, readSeq: 4 });
      await store.memberships.advance({ roomId: r.id, userId: bob.id, deliveredSeq: 3, readSeq: 3 }); // never back
      expect(await store.memberships.find(r.id, bob.id)).toMatchObject({ deliveredSeq: 5, readSeq: 4 });
      expect(await store.memberships.unread(bob.id, r.id)).toEqual(new Map([[r.id, { unread: 1, mentions: 0, lastSeq: 5 }]]));
      expect(await store.memberships.find(r.id, carol.id)).toBeNull();
    });

    it('finds a session by token hash with its user, and reads live roles only of live sessions', async () => {
      const alice = await admin('alice');
      const bob = await person('bob');
      const later = new Date(Date.now() + 86_400_000);
      const a = await store.sessions.create({ id: id(), tokenHash: 'hash-a', userId: alice.id, expiresAt: later });
      const revoked = await store.sessions.create({ id: id(), tokenHash: 'hash-r', userId: alice.id, expiresAt: later });
      const expired = await store.sessions.create({ id: id(), tokenHash: 'hash-e', userId: alice.id, expiresAt: new Date(Date.now() - 1000) });
      const b = await store.sessions.create({ id: id(), tokenHash: 'hash-b', userId: bob.id, expiresAt: later });
      expect(await store.sessions.byTokenHash('hash-a')).toEqual({ ...a, user: alice });
      expect(await store.sessions.byTokenHash('unknown')).toBeNull();
      await store.sessions.revoke(revoked.id, new Date());
      expect((await store.sessions.byTokenHash('hash-r'))?.revokedAt).toEqual(expect.any(Date));
      expect(await store.accounts.inAdminLine((line) => line.deactivate(bob.id, new Date()))).toBe(true);
      const live = await store.sessions.liveRoles([a.id, revoked.id, expired.id, b.id, id()], new Date());
      expect(live).toEqual([{ id: a.id, role: 'admin' }]);
      expect((await store.sessions.byTokenHash('hash-b'))?.revokedAt).toEqual(expect.any(Date)); // deactivation revoked it
    });

    it('reports a taken username and a taken direct room as duplicates', async () => {
      const alice = await person('alice');
      const bob = await person('bob');
      await expect(person('alice')).rejects.toBeInstanceOf(Duplicate);
      const direct = { name: '', kind: 'direct' as const, createdById: alice.id, directKey: [alice.id, bob.id].sort().join(',') };
      const members = [alice.id, bob.id].map((userId) => ({ userId, role: 'member' as const }));
      expect(await store.rooms.create({ id: id(), ...direct }, members)).toMatchObject({ joined: [{ seq: 1 }, { seq: 2 }] });
      expect(await store.rooms.create({ id: id(), ...direct }, members)).toBe(DUPLICATE);
      expect(await store.rooms.count()).toBe(1);
      expect(await store.accounts.count()).toBe(2);
    });

    mentionContract({ store: () => store, person, room, send, appended });
  });
}
