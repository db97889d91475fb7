import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventBus } from '../../src/server/realtime/bus.ts';
import type { BusEvent } from '../../src/server/realtime/bus-events.ts';
import { until } from '../helpers/raw-ws.ts';
import { recordedBefore } from '../helpers/sentinel.ts';

const typing = (userId: string, typing = true): BusEvent => ({ type: 'typing', roomId: 'r1', userId, typing });

/** A marker event published on `channel` after the ones under test (one bus connection delivers in publish order). */
const sentinel = (bus: EventBus, channel: string) => ({
  cause: () => bus.publish(channel, typing('sentinel')),
  is: (e: BusEvent) => e.type === 'typing' && e.userId === 'sentinel',
});

/**
 * What every EventBus must do. Run it for each implementation:
 * `eventBusContract('memory', () => new MemoryEventBus())`.
 */
export function eventBusContract(name: string, create: () => Promise<EventBus> | EventBus) {
  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;
    beforeEach(async () => {
      bus = await create();
    });
    afterEach(async () => {
      await bus.close();
    });

    it('delivers an event to every subscriber of its channel and no other channel', async () => {
      const a: BusEvent[] = [];
      const b: BusEvent[] = [];
      const other: BusEvent[] = [];
      bus.subscribe('room:1', (e) => a.push(e));
      bus.subscribe('room:1', (e) => b.push(e));
      bus.subscribe('room:2', (e) => other.push(e));
      await Promise.all([bus.whenSubscribed('room:1'), bus.whenSubscribed('room:2')]);
      await bus.publish('room:1', typing('u1'));
      await until(() => a.length === 1 && b.length === 1);
      expect(a).toEqual([typing('u1')]);
      expect(b).toEqual([typing('u1')]);
      expect(await recordedBefore(other, sentinel(bus, 'room:2'))).toEqual([]);
    });

    it('keeps publish order within a channel', async () => {
      const seen: BusEvent[] = [];
      bus.subscribe('room:1', (e) => seen.push(e));
      await bus.whenSubscribed('room:1');
      const events = Array.from({ length: 200 }, (_, i) => typing(`u${i}`));
      for (const event of events) await bus.publish('room:1', event);
      await until(() => seen.length === 200);
      expect(seen).toEqual(events);
    });

    it('stops delivering after unsubscribe, and counts listeners back to zero', async () => {
      const seen: BusEvent[] = [];
      expect(bus.listenerCount()).toBe(0);
      const off = bus.subscribe('room:1', (e) => seen.push(e));
      const other: BusEvent[] = [];
      const off2 = bus.subscribe('room:2', (e) => other.push(e));
      expect(bus.listenerCount()).toBe(2);
      await Promise.all([bus.whenSubscribed('room:1'), bus.whenSubscribed('room:2')]);
      await bus.publish('room:1', typing('before'));
      await until(() => seen.length === 1);
      off();
      off(); // twice is harmless
      await bus.publish('room:1', typing('after'));
      await recordedBefore(other, sentinel(bus, 'room:2'));
      expect(seen).toEqual([typing('before')]);
      off2();
      expect(bus.listenerCount()).toBe(0);
    });

    it('isolates a throwing listener from the others', async () => {
      const seen: BusEvent[] = [];
      bus.subscribe('room:1', () => {
        throw new Error('listener bug');
      });
      bus.subscribe('room:1', (e) => seen.push(e));
      await bus.whenSubscribed('room:1');
      await expect(bus.publish('room:1', typing('u1'))).resolves.toBeUndefined();
      await until(() => seen.length === 1);
    });

    it('accepts publishes with no subscribers and answers ping', async () => {
      await expect(bus.publish('room:nobody', typing('u1'))).resolves.toBeUndefined();
      await expect(bus.ping()).resolves.toBe(true);
    });
  });
}
