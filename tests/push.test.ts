import { describe, expect, it } from 'vitest';
import { createRoom, people, type Person } from './helpers/chat.ts';
import { setLevel, watchUser } from './helpers/notifications.ts';
import { startWithPush } from './helpers/push.ts';
import type { Device } from './helpers/push-service.ts';
import { until } from './helpers/raw-ws.ts';
import type { TestServer } from './helpers/server.ts';

let sent = 0;
const say = (by: Person, roomId: string, body: string) => by.api.messages.send.mutate({ roomId, body, clientMessageId: `p-${++sent}` });

/** The notifier's work, then the pushes it handed over. */
async function settled(hearth: TestServer) {
  await hearth.server.services.notifier.idle();
  await hearth.server.services.push.idle();
}

/** Subscribes a device for each person once what was already under way has settled ("added you to #plans" is not pushed to them). */
async function withDevices(hearth: TestServer, pushService: Awaited<ReturnType<typeof startWithPush>>['pushService'], ...persons: Person[]) {
  await settled(hearth);
  const devices = new Map<string, Device>();
  for (const person of persons) {
    const device = pushService.device();
    await person.api.push.subscribe.mutate(device.subscription);
    devices.set(person.name, device);
  }
  return (name: string) => devices.get(name)!;
}

describe('push through messages.send', () => {
  it('pushes a mention to a member with no open connection; not to the sender, someone online, a muted member, or one not mentioned', async () => {
    const { hearth, pushService } = await startWithPush();
    const { alice, bob, carol, dave, erin } = await people(hearth, 'alice', 'bob', 'carol', 'dave', 'erin');
    const room = await createRoom({ by: alice, members: [bob, carol, dave, erin], name: 'plans' });
    const device = await withDevices(hearth, pushService, alice, bob, carol, dave, erin);
    await setLevel(hearth, room.id, dave, 'nothing');
    await watchUser(carol);

    const message = await say(alice, room.id, '@bob @carol @dave lunch at noon?');
    await settled(hearth);

    const bobs = device('bob').pushes.map((p) => p.payload);
    expect(bobs).toEqual([
      { notificationId: expect.any(String), title: 'alice mentioned you in #plans', body: '@bob @carol @dave lunch at noon?', url: `/#room=${room.id}` },
    ]);
    const row = await hearth.server.services.store.prisma.notification.findUniqueOrThrow({ where: { id: bobs[0]!.notificationId } });
    expect(row).toMatchObject({ userId: bob.id, kind: 'mention', messageId: message.id });
    for (const name of ['alice', 'carol', 'dave', 'erin']) expect(device(name).pushes, name).toEqual([]);
    expect(pushService.rejected).toEqual([]);
  });

  it('pushes a direct message, worded as the person chose: without its text and author when previews are off', async () => {
    const { hearth, pushService } = await startWithPush();
    const { alice, bob, carol } = await people(hearth, 'alice', 'bob', 'carol');
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    const device = await withDevices(hearth, pushService, bob);
    await say(alice, direct.id, 'are you coming?');
    await settled(hearth);
    await bob.api.push.setPreview.mutate({ preview: false });
    await say(alice, direct.id, 'the secret plan');
    await settled(hearth);

    const [first, second] = device('bob').pushes.map((p) => p.payload);
    expect(first).toMatchObject({ title: 'New message from alice', body: 'are you coming?', url: `/#room=${direct.id}` });
    // The same (collapsed) notification: the service worker's tag replaces the one shown.
    expect(second).toEqual({ notificationId: first!.notificationId, title: 'Hearth', body: 'New message', url: `/#room=${direct.id}` });

    // What is not a message is not called one, and still says nothing of who.
    await carol.api.contacts.request.mutate({ userId: bob.id });
    await settled(hearth);
    expect(device('bob').pushes.map((p) => p.payload)[2]).toMatchObject({ title: 'Hearth', body: 'New contact request' });
    expect(device('bob').pushes).toHaveLength(3);
  });

  it('stops pushing while the person has a connection open anywhere, and starts again once it closes', async () => {
    const { hearth, pushService } = await startWithPush();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    const device = await withDevices(hearth, pushService, bob);
    const tab = await watchUser(bob);
    await say(alice, direct.id, 'while you are here');
    await settled(hearth);
    expect(device('bob').pushes).toEqual([]);

    await tab.client.close();
    await until(async () => (await hearth.server.services.presence.onlineAmong([bob.id])).size === 0);
    await say(alice, direct.id, 'now that you are gone');
    await settled(hearth);
    expect(device('bob').pushes.map((p) => p.payload.body)).toEqual(['now that you are gone']);
  });

  it('a push service that hangs does not delay messages.send', async () => {
    const { hearth, pushService } = await startWithPush({ env: { PUSH_TIMEOUT_MS: '3000', PUSH_MAX_ATTEMPTS: '2' } });
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    const device = await withDevices(hearth, pushService, bob);
    device('bob').answer('hang');

    const started = performance.now();
    for (let n = 1; n <= 5; n++) await say(alice, direct.id, `ping ${n}`);
    const took = performance.now() - started;
    await until(() => device('bob').pushes.length > 0);
    expect(took).toBeLessThan(1500); // five sends, each well under the push's 3 s timeout it never waited for
    await settled(hearth);
    // Bounded: every push tried at most PUSH_MAX_ATTEMPTS times, then given up.
    expect(pushService.requests).toBeLessThanOrEqual(5 * 2);
    expect((await hearth.server.services.store.prisma.pushSubscription.findFirstOrThrow()).failures).toBeGreaterThan(0);
  });

  it('a subscription the push service calls gone is deleted, and the next message pushes nothing to it', async () => {
    const { hearth, pushService } = await startWithPush();
    const { alice, bob } = await people(hearth, 'alice', 'bob');
    const direct = await alice.api.rooms.direct.mutate({ userIds: [bob.id] });
    const device = await withDevices(hearth, pushService, bob);
    device('bob').answer(410);
    await say(alice, direct.id, 'hello?');
    await settled(hearth);
    expect(await hearth.server.services.store.prisma.pushSubscription.count()).toBe(0);
    await say(alice, direct.id, 'hello again');
    await settled(hearth);
    expect(pushService.requests).toBe(1);
  });
});
