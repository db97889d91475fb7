import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/server/ops/logger.ts';
import { MemoryEventBus } from '../src/server/realtime/bus.ts';
import type { BusEvent } from '../src/server/realtime/bus-events.ts';
import { RedisEventBus } from '../src/server/realtime/redis-bus.ts';
import { eventBusContract } from './contracts/event-bus.ts';
import { redisTestUrl, servicesAvailable } from './helpers/database.ts';
import { until } from './helpers/raw-ws.ts';

const log = createLogger({ LOG_LEVEL: 'silent' });

eventBusContract('memory', () => new MemoryEventBus());

if (servicesAvailable()) {
  eventBusContract('redis', () => new RedisEventBus(redisTestUrl()!, log));

  describe('RedisEventBus at the process boundary', () => {
    it('drops malformed payloads (logged), keeps delivering valid ones', async () => {
      const bus = new RedisEventBus(redisTestUrl()!, log);
      const raw = new Redis(redisTestUrl()!);
      try {
        const seen: BusEvent[] = [];
        bus.subscribe('room:x', (e) => seen.push(e));
        await bus.whenSubscribed('room:x');
        await raw.publish('hearth:room:x', '{not json');
        await raw.publish('hearth:room:x', JSON.stringify({ type: 'message.created', seq: 'one' }));
        const valid: BusEvent = { type: 'typing', roomId: 'x', userId: 'u', typing: true };
        await raw.publish('hearth:room:x', JSON.stringify(valid));
        await until(() => seen.length === 1);
        expect(seen).toEqual([valid]);
        expect(bus.dropped).toBe(2);
      } finally {
        raw.disconnect();
        await bus.close();
      }
    });
  });
}
