import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configWith } from '../src/server/app/config.ts';
import { closeServices, createServices } from '../src/server/app/services.ts';
import { loadVapidKeys } from '../src/server/push/vapid.ts';
import { people } from './helpers/chat.ts';
import { rejection } from './helpers/errors.ts';
import { startWithPush } from './helpers/push.ts';
import { TEST_LIMITS } from './helpers/server.ts';

const rows = (hearth: Awaited<ReturnType<typeof startWithPush>>['hearth']) =>
  hearth.server.services.store.prisma.pushSubscription.findMany({ orderBy: { createdAt: 'asc' } });

describe('push subscriptions', () => {
  it('keeps a device once per endpoint, moves it to the account that subscribes it last, and removes it on unsubscribe', async () => {
    const { hearth, pushService } = await startWithPush();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const phone = pushService.device();
    await alice.api.push.subscribe.mutate(phone.subscription);
    await alice.api.push.subscribe.mutate(phone.subscription);
    expect((await rows(hearth)).map((r) => r.userId)).toEqual([alice.id]);
    expect(await alice.api.push.settings.query()).toMatchObject({ subscriptions: 1, preview: true });

    await bob.api.push.subscribe.mutate(phone.subscription);
    expect((await rows(hearth)).map((r) => r.userId)).toEqual([bob.id]);

    expect(await alice.api.push.unsubscribe.mutate({ endpoint: phone.subscription.endpoint })).toEqual({ removed: false });
    expect(await bob.api.push.unsubscribe.mutate({ endpoint: phone.subscription.endpoint })).toEqual({ removed: true });
    expect(await rows(hearth)).toEqual([]);
  });

  it('keeps at most PUSH_SUBSCRIPTIONS_PER_USER devices: a new one replaces the oldest', async () => {
    const { hearth, pushService } = await startWithPush({ env: { PUSH_SUBSCRIPTIONS_PER_USER: '3' } });
    const { alice } = await people(hearth, 'alice');
    const devices = [pushService.device(), pushService.device(), pushService.device(), pushService.device()];
    // One after another: each round trip takes more than the millisecond createdAt is kept in.
    for (const device of devices) await alice.api.push.subscribe.mutate(device.subscription);
    const kept = (await rows(hearth)).map((r) => r.endpoint);
    expect(kept).toHaveLength(3);
    expect(kept).not.toContain(devices[0]!.subscription.endpoint);
    expect(kept).toContain(devices[3]!.subscription.endpoint);
  });

  it('refuses bad subscriptions with BAD_REQUEST and writes nothing', async () => {
    const { hearth, pushService } = await startWithPush();
    const { alice } = await people(hearth, 'alice');
    const good = pushService.device().subscription;
    const point = Buffer.from(good.keys.p256dh, 'base64url');
    const offCurve = Buffer.from(point);
    offCurve[64]! ^= 1;
    const bad = [
      { ...good, endpoint: good.endpoint.replace('https:', 'http:') },
      { ...good, endpoint: `${good.endpoint}?${'x'.repeat(2048)}` },
      { ...good, endpoint: 'not a url' },
      { ...good, endpoint: 'https://evil.example.net/push/1' },
      { ...good, keys: { ...good.keys, p256dh: point.subarray(0, 33).toString('base64url') } },
      { ...good, keys: { ...good.keys, p256dh: offCurve.toString('base64url') } },
      { ...good, keys: { ...good.keys, p256dh: `${good.keys.p256dh}=` } },
      { ...good, keys: { ...good.keys, auth: crypto.randomBytes(12).toString('base64url') } },
      { ...good, keys: { p256dh: good.keys.p256dh } },
    ];
    for (const subscription of bad) {
      const error = await rejection(alice.api.push.subscribe.mutate(subscription as typeof good));
      expect(error.data?.code, JSON.stringify(subscription).slice(0, 120)).toBe('BAD_REQUEST');
    }
    expect(await rows(hearth)).toEqual([]);
  });

  it('sets the preview setting, and rate-limits account changes', async () => {
    const { hearth } = await startWithPush({ env: { ACCOUNT_CHANGES_PER_MINUTE: '2' } });
    const { alice } = await people(hearth, 'alice');
    expect(await alice.api.push.setPreview.mutate({ preview: false })).toEqual({ preview: false });
    expect((await alice.api.push.settings.query()).preview).toBe(false);
    await alice.api.push.setPreview.mutate({ preview: true });
    const error = await rejection(alice.api.push.setPreview.mutate({ preview: false }));
    expect(error.data?.code).toBe('TOO_MANY_REQUESTS');
    expect((await alice.api.push.settings.query()).preview).toBe(true);
  });

  it('needs a session', async () => {
    const { hearth } = await startWithPush();
    const error = await rejection(hearth.client().trpc.push.publicKey.query());
    expect(error.data?.code).toBe('UNAUTHORIZED');
  });
});

describe('VAPID keys', () => {
  it('are generated once, kept in the database, and shared by every instance on it', async () => {
    const { hearth } = await startWithPush();
    const { alice } = await people(hearth, 'alice');
    const { publicKey } = await alice.api.push.publicKey.query();
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    const config = configWith({ DATABASE_URL: hearth.server.services.config.DATABASE_URL, DEFAULT_ROOM: '', ...TEST_LIMITS });
    const second = await createServices(config);
    try {
      expect(second.push.publicKey).toBe(publicKey);
    } finally {
      await closeServices(second);
    }
    const settings = await hearth.server.services.store.prisma.serverSetting.findMany();
    expect(settings.map((s) => s.key)).toEqual(['vapid']);
  });

  it('two instances starting on a fresh database at once agree on one pair', async () => {
    const { hearth } = await startWithPush();
    await hearth.server.services.store.prisma.serverSetting.deleteMany();
    const deps = { store: hearth.server.services.store, config: hearth.server.services.config };
    const keys = await Promise.all([loadVapidKeys(deps), loadVapidKeys(deps), loadVapidKeys(deps)]);
    expect(new Set(keys.map((k) => k.publicKey)).size).toBe(1);
  });

  it('come from VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY when set, which must be one pair', async () => {
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    const pair = { VAPID_PUBLIC_KEY: ecdh.getPublicKey().toString('base64url'), VAPID_PRIVATE_KEY: ecdh.getPrivateKey().toString('base64url') };
    const { hearth } = await startWithPush({ env: pair });
    const { alice } = await people(hearth, 'alice');
    expect((await alice.api.push.publicKey.query()).publicKey).toBe(pair.VAPID_PUBLIC_KEY);

    const other = crypto.createECDH('prime256v1');
    other.generateKeys();
    const mismatched = configWith({ ...pair, VAPID_PUBLIC_KEY: other.getPublicKey().toString('base64url') });
    await expect(loadVapidKeys({ store: hearth.server.services.store, config: mismatched })).rejects.toThrow(/VAPID_PUBLIC_KEY: is not the public key/);
    const half = configWith({ VAPID_PUBLIC_KEY: pair.VAPID_PUBLIC_KEY });
    await expect(loadVapidKeys({ store: hearth.server.services.store, config: half })).rejects.toThrow(/set both or neither/);
    expect(() => configWith({ ...pair, VAPID_PRIVATE_KEY: 'short' })).toThrow(/VAPID_PRIVATE_KEY: must be a P-256 private key/);
  });
});
