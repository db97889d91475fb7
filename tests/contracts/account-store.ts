import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/server/store/store.ts';
import { newId, storePerTest, type OpenStore } from './fixture.ts';

const id = newId;
const hour = 3_600_000;

/** What every Store must do for accounts, sessions and links (tests/contracts/store.ts has the rest). */
export function accountStoreContract(name: string, open: OpenStore) {
  describe(`Store contract, accounts and links: ${name}`, () => {
    let store: Store;
    const { person, admin } = storePerTest(open, (fresh) => (store = fresh));

    const session = (userId: string, at: Date, userAgent: string | null = null) =>
      store.sessions.create({ id: id(), tokenHash: id(), userId, expiresAt: new Date(at.getTime() + 24 * hour), createdAt: at, lastSeenAt: at, userAgent });

    it('takes an invite use once per use, never below zero, and not when revoked or expired', async () => {
      const now = new Date('2026-12-01T00:00:00Z');
      await store.links.createInvite({ id: id(), tokenHash: 'two', createdById: null, expiresAt: new Date(now.getTime() + hour), maxUses: 2 });
      const takes = await Promise.all(Array.from({ length: 5 }, () => store.accounts.inAdminLine((line) => line.redeemInvite('two', now))));
      expect(takes.filter(Boolean)).toHaveLength(2);
      expect((await store.links.inviteByTokenHash('two'))?.usesLeft).toBe(0);
      const revoked = await store.links.createInvite({
        id: id(),
        tokenHash: 'revoked',
        createdById: null,
        expiresAt: new Date(now.getTime() + hour),
        maxUses: 1,
      });
      expect(await store.links.revokeInvite(revoked.id, now)).toBe(true);
      expect(await store.links.revokeInvite(revoked.id, now)).toBe(false);
      expect(await store.accounts.inAdminLine((line) => line.redeemInvite('revoked', now))).toBe(false);
      expect(await store.accounts.inAdminLine((line) => line.redeemInvite('two', new Date(now.getTime() + 2 * hour)))).toBe(false);
      expect(await store.accounts.inAdminLine((line) => line.redeemInvite('unknown', now))).toBe(false);
      expect((await store.links.invites(10)).map((i) => i.tokenHash).sort()).toEqual(['revoked', 'two']);
    });

    it('lists live sessions newest first, revokes one, all but one or all of a user only, and touches last seen', async () => {
      const alice = await person('alice');
      const bob = await person('bob');
      const t0 = new Date('2026-12-01T00:00:00Z');
      const a1 = await session(alice.id, t0, 'UA one');
      const a2 = await session(alice.id, new Date(t0.getTime() + 1000));
      const a3 = await session(alice.id, new Date(t0.getTime() + 2000));
      const b1 = await session(bob.id, t0);
      expect((await store.sessions.liveOf(alice.id, t0, 10)).map((s) => s.id)).toEqual([a3.id, a2.id, a1.id]);
      expect((await store.sessions.liveOf(alice.id, t0, 10))[2]?.userAgent).toBe('UA one');
      expect(await store.sessions.revokeOf(alice.id, t0, { only: b1.id })).toEqual([]);
      expect(await store.sessions.revokeOf(alice.id, t0, { only: a2.id })).toEqual([a2.id]);
      expect((await store.sessions.revokeOf(alice.id, t0, { except: a3.id })).sort()).toEqual([a1.id]);
      expect((await store.sessions.liveOf(alice.id, t0, 10)).map((s) => s.id)).toEqual([a3.id]);

      const later = new Date(t0.getTime() + 5 * 60_000);
      await store.sessions.touch([a3.id, b1.id], later, new Date(later.getTime() - 60_000));
      await store.sessions.touch([a3.id], new Date(later.getTime() + 30_000), new Date(later.getTime() - 30_000)); // seen within the minute: kept
      expect((await store.sessions.liveOf(alice.id, t0, 10))[0]?.lastSeenAt?.toISOString()).toBe(later.toISOString());
      expect(await store.sessions.revokeOf(alice.id, t0, {})).toEqual([a3.id]);
      expect(await store.sessions.liveOf(bob.id, t0, 10)).toHaveLength(1);
    });

    it('a password link works once, replaces older ones, and revokes every session when used', async () => {
      const bob = await person('bob');
      const now = new Date('2026-12-01T00:00:00Z');
      const s1 = await session(bob.id, now);
      const link = (tokenHash: string) => ({ id: id(), tokenHash, userId: bob.id, purpose: 'reset' as const, expiresAt: new Date(now.getTime() + hour) });
      await store.links.createPasswordLink(link('old'), now);
      await store.links.createPasswordLink(link('new'), now);
      expect(await store.links.consumePasswordLink('old', 'h1', now)).toBeNull();
      const racing = await Promise.all([store.links.consumePasswordLink('new', 'h2', now), store.links.consumePasswordLink('new', 'h3', now)]);
      const used = racing.filter((r) => r !== null);
      expect(used).toHaveLength(1);
      expect(used[0]?.revokedSessionIds).toEqual([s1.id]);
      expect(['h2', 'h3']).toContain((await store.accounts.byId(bob.id))?.passwordHash);
      expect(await store.sessions.liveOf(bob.id, now, 10)).toEqual([]);
      expect((await store.links.passwordLinkByTokenHash('new'))?.user.username).toBe('bob');
    });

    it('sets a password ending all sessions but one, renames, and knows whether an admin exists', async () => {
      expect(await store.accounts.hasAdmin()).toBe(false);
      const alice = await admin('alice');
      expect(await store.accounts.hasAdmin()).toBe(true);
      const now = new Date('2026-12-01T00:00:00Z');
      const keep = await session(alice.id, now);
      const other = await session(alice.id, now);
      expect(await store.accounts.setPassword({ userId: alice.id, passwordHash: 'new', keepSessionId: keep.id, at: now })).toEqual([other.id]);
      expect((await store.sessions.liveOf(alice.id, now, 10)).map((s) => s.id)).toEqual([keep.id]);
      expect((await store.accounts.setDisplayName(alice.id, 'Alice L'))?.displayName).toBe('Alice L');
      expect(await store.accounts.setDisplayName(id(), 'Nobody')).toBeNull();
    });
  });
}
