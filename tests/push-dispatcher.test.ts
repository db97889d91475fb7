import { describe, expect, it } from 'vitest';
import type { PushItem } from '../src/server/push/dispatch.ts';
import { retryAfterOf } from '../src/server/push/sender.ts';
import { people } from './helpers/chat.ts';
import { metric } from './helpers/metrics.ts';
import { startWithPush } from './helpers/push.ts';
import { until } from './helpers/raw-ws.ts';

const item = (userId: string, n = 1): PushItem => ({
  userId,
  notificationId: crypto.randomUUID(),
  url: '/?room=r1',
  title: `alice in #general (${n})`,
  body: `lunch at noon? ${n}`,
  privateBody: 'New message',
});

describe('the push dispatcher', () => {
  it('pushes to each of the person’s devices, encrypted for it and signed with the kept VAPID key', async () => {
    const { hearth, pushService } = await startWithPush();
    const { bob, carol } = await people(hearth, 'bob', 'carol');
    const [phone, laptop, other] = [pushService.device(), pushService.device(), pushService.device()];
    await bob.api.push.subscribe.mutate(phone.subscription);
    await bob.api.push.subscribe.mutate(laptop.subscription);
    await carol.api.push.subscribe.mutate(other.subscription);
    const sent = item(bob.id);

    hearth.server.services.push.deliver(sent);
    await hearth.server.services.push.idle();

    const { publicKey } = await bob.api.push.publicKey.query();
    for (const device of [phone, laptop]) {
      expect(device.pushes).toHaveLength(1);
      expect(device.pushes[0]!.payload).toEqual({ notificationId: sent.notificationId, title: sent.title, body: sent.body, url: sent.url });
      expect(device.pushes[0]!.vapid).toMatchObject({ k: publicKey, sub: 'mailto:hearth@localhost' });
      expect(device.pushes[0]!.topic).toBe(sent.notificationId.replaceAll('-', ''));
      expect(device.pushes[0]!.ttl).toBe(86_400);
    }
    expect(other.pushes).toEqual([]);
    expect(pushService.rejected).toEqual([]);
    const rows = await hearth.server.services.store.prisma.pushSubscription.findMany({ where: { userId: bob.id } });
    expect(rows.every((row) => row.lastSuccessAt !== null && row.failures === 0)).toBe(true);
    expect(await metric(hearth, 'hearth_push_total', { outcome: 'sent' })).toBe(2);
  });

  it('leaves out who wrote what for someone who turned previews off', async () => {
    const { hearth, pushService } = await startWithPush();
    const { bob } = await people(hearth, 'bob');
    const phone = pushService.device();
    await bob.api.push.subscribe.mutate(phone.subscription);
    await bob.api.push.setPreview.mutate({ preview: false });
    const sent = item(bob.id);

    hearth.server.services.push.deliver(sent);
    await hearth.server.services.push.idle();

    expect(phone.pushes.map((p) => p.payload)).toEqual([{ notificationId: sent.notificationId, title: 'Hearth', body: 'New message', url: sent.url }]);
  });

  it('deletes a subscription the push service calls gone (404, 410), and only that one', async () => {
    const { hearth, pushService } = await startWithPush();
    const { bob } = await people(hearth, 'bob');
    const [gone, missing, fine] = [pushService.device(), pushService.device(), pushService.device()];
    gone.answer(410);
    missing.answer(404);
    for (const device of [gone, missing, fine]) await bob.api.push.subscribe.mutate(device.subscription);

    hearth.server.services.push.deliver(item(bob.id));
    await hearth.server.services.push.idle();

    expect([gone, missing, fine].map((d) => d.pushes.length)).toEqual([1, 1, 1]);
    const kept = await hearth.server.services.store.prisma.pushSubscription.findMany();
    expect(kept.map((row) => row.endpoint)).toEqual([fine.subscription.endpoint]);
    expect(await metric(hearth, 'hearth_push_total', { outcome: 'gone' })).toBe(2);
  });

  it('retries 5xx, 429 and timeouts with backoff, PUSH_MAX_ATTEMPTS times in all, then gives up and counts it', async () => {
    const { hearth, pushService } = await startWithPush();
    const { bob } = await people(hearth, 'bob');
    const [failing, limited, hanging] = [pushService.device(), pushService.device(), pushService.device()];
    failing.answer(500);
    limited.answer(429);
    hanging.answer('hang');
    for (const device of [failing, limited, hanging]) await bob.api.push.subscribe.mutate(device.subscription);

    const started = Date.now();
    hearth.server.services.push.deliver(item(bob.id));
    await hearth.server.services.push.idle();

    expect([failing, limited, hanging].map((d) => d.pushes.length)).toEqual([3, 3, 3]);
    // Three hung requests of PUSH_TIMEOUT_MS (400) each, one after the other per device, plus the backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 400);
    const rows = await hearth.server.services.store.prisma.pushSubscription.findMany();
    expect(rows.map((row) => row.failures)).toEqual([1, 1, 1]);
    expect(await metric(hearth, 'hearth_push_total', { outcome: 'retried' })).toBe(6);
    expect(await metric(hearth, 'hearth_push_total', { outcome: 'failed' })).toBe(3);
  });

  it('delivers on a retry once the push service recovers, and does not retry a 4xx that will not change', async () => {
    // A backoff long enough to change the answer before the retry comes.
    const { hearth, pushService } = await startWithPush({ env: { PUSH_RETRY_BASE_MS: '500' } });
    const { bob } = await people(hearth, 'bob');
    const recovering = pushService.device();
    await bob.api.push.subscribe.mutate(recovering.subscription);
    recovering.answer(503);

    hearth.server.services.push.deliver(item(bob.id));
    await until(() => recovering.pushes.length === 1);
    recovering.answer(201);
    await hearth.server.services.push.idle();
    expect(recovering.pushes.map((p) => p.answered)).toEqual([503, 201]);

    const refusing = pushService.device();
    await bob.api.push.unsubscribe.mutate({ endpoint: recovering.subscription.endpoint });
    await bob.api.push.subscribe.mutate(refusing.subscription);
    // A VAPID key the push service does not know: 401 stays 401.
    refusing.answer(401);
    hearth.server.services.push.deliver(item(bob.id));
    await hearth.server.services.push.idle();
    expect(refusing.pushes).toHaveLength(1);
    expect(await metric(hearth, 'hearth_push_total', { outcome: 'refused' })).toBe(1);
  });

  it('bounds its queue: past PUSH_QUEUE_LIMIT deliveries are dropped and counted, never thrown or awaited', async () => {
    const { hearth, pushService } = await startWithPush({ env: { PUSH_QUEUE_LIMIT: '3', PUSH_CONCURRENCY: '1', PUSH_MAX_ATTEMPTS: '1' } });
    const { bob } = await people(hearth, 'bob');
    const slow = pushService.device();
    slow.answer('hang');
    await bob.api.push.subscribe.mutate(slow.subscription);

    const started = performance.now();
    for (let n = 1; n <= 10; n++) hearth.server.services.push.deliver(item(bob.id, n));
    expect(performance.now() - started).toBeLessThan(50);
    expect(await metric(hearth, 'hearth_push_total', { outcome: 'dropped' })).toBe(7);
    await hearth.server.services.push.idle();
    expect(slow.pushes.map((p) => p.payload.body)).toEqual(['lunch at noon? 1', 'lunch at noon? 2', 'lunch at noon? 3']);
  });

  it('sends a notification updated while its push waits once, in its latest version', async () => {
    const { hearth, pushService } = await startWithPush({ env: { PUSH_CONCURRENCY: '1' }, slowMs: 300 });
    const { bob } = await people(hearth, 'bob');
    const phone = pushService.device();
    await bob.api.push.subscribe.mutate(phone.subscription);
    const first = item(bob.id, 1);
    phone.answer('slow');

    hearth.server.services.push.deliver(first);
    await until(() => phone.pushes.length === 1); // in flight: the next ones wait
    for (const n of [2, 3, 4]) hearth.server.services.push.deliver({ ...first, body: `lunch at noon? ${n}` });
    await hearth.server.services.push.idle();

    expect(phone.pushes.map((p) => p.payload.body)).toEqual(['lunch at noon? 1', 'lunch at noon? 4']);
    expect(await metric(hearth, 'hearth_push_total', { outcome: 'coalesced' })).toBe(2);
  });

  it('waits before a retry as long as the push service asked (Retry-After in seconds or as a date), not its own short backoff', async () => {
    const { hearth, pushService } = await startWithPush();
    const { bob } = await people(hearth, 'bob');
    const [inSeconds, byDate] = [pushService.device(), pushService.device()];
    for (const device of [inSeconds, byDate]) await bob.api.push.subscribe.mutate(device.subscription);
    inSeconds.answer(429, { 'Retry-After': '1' });
    const retryAt = new Date(Date.now() + 3000).toUTCString();
    byDate.answer(503, { 'Retry-After': retryAt });

    hearth.server.services.push.deliver(item(bob.id));
    await until(() => inSeconds.pushes.length === 1 && byDate.pushes.length === 1);
    inSeconds.answer(201);
    byDate.answer(201);
    await hearth.server.services.push.idle();

    expect(inSeconds.pushes.map((p) => p.answered)).toEqual([429, 201]);
    expect(byDate.pushes.map((p) => p.answered)).toEqual([503, 201]);
    // PUSH_RETRY_BASE_MS is 20 here: a retry this late waited for what the push service said.
    expect(inSeconds.pushes[1]!.receivedAt - inSeconds.pushes[0]!.receivedAt).toBeGreaterThanOrEqual(1000);
    expect(byDate.pushes[1]!.receivedAt).toBeGreaterThanOrEqual(Date.parse(retryAt));
    expect(await metric(hearth, 'hearth_push_total', { outcome: 'sent' })).toBe(2);
  });

  it('reads Retry-After as RFC 9110 writes it and ignores anything else', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(retryAfterOf({ 'retry-after': '120' }, now)).toBe(120_000);
    expect(retryAfterOf({ 'retry-after': 'Wed, 02 Dec 2026 12:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterOf({ 'retry-after': 'Wed, 02 Dec 2026 11:00:00 GMT' }, now)).toBe(0);
    for (const junk of ['-5', 'soon', '1.5e9', '']) expect(retryAfterOf({ 'retry-after': junk }, now)).toBeUndefined();
    expect(retryAfterOf(undefined, now)).toBeUndefined();
    expect(retryAfterOf({ 'retry-after': ['1', '2'] }, now)).toBeUndefined();
  });

  it('pushes nothing more to a browser whose session ended (logged out there): its subscription is deleted', async () => {
    const { hearth, pushService } = await startWithPush();
    const { bob } = await people(hearth, 'bob');
    const { token } = await hearth.client().trpc.auth.login.mutate({ username: 'bob', password: 'correct horse battery' });
    const laptop = hearth.client({ token }).trpc;
    const [phone, desk] = [pushService.device(), pushService.device()];
    await bob.api.push.subscribe.mutate(phone.subscription);
    await laptop.push.subscribe.mutate(desk.subscription);
    expect(await laptop.push.settings.query({ endpoint: desk.subscription.endpoint })).toMatchObject({ subscriptions: 2, thisDevice: true });
    expect((await laptop.push.settings.query({ endpoint: phone.subscription.endpoint })).thisDevice).toBe(false);

    await laptop.auth.logout.mutate();
    hearth.server.services.push.deliver(item(bob.id));
    await hearth.server.services.push.idle();

    expect([phone.pushes.length, desk.pushes.length]).toEqual([1, 0]);
    const kept = await hearth.server.services.store.prisma.pushSubscription.findMany();
    expect(kept.map((row) => row.endpoint)).toEqual([phone.subscription.endpoint]);
  });

  it('pushes nothing to someone with no device, and survives an unknown person', async () => {
    const { hearth, pushService } = await startWithPush();
    const { bob } = await people(hearth, 'bob');
    hearth.server.services.push.deliver(item(bob.id));
    hearth.server.services.push.deliver(item(crypto.randomUUID()));
    await hearth.server.services.push.idle();
    expect(pushService.requests).toBe(0);
  });
});
