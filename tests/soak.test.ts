import { describe, expect, it } from 'vitest';
import { createRoom, people } from './helpers/chat.ts';
import { startServer } from './helpers/server.ts';
import { drift, runCycles, settled, snapshot } from './helpers/soak.ts';

/** CI-sized; `npm run soak` runs scripts/soak.ts, the long version. */
const CYCLES = Number(process.env.SOAK_CYCLES ?? 5000);

describe('soak', () => {
  it(
    `returns to its baseline after ${CYCLES} connect/subscribe/disconnect cycles: heap within 5%, listeners and registries exact`,
    { timeout: 180_000 },
    async () => {
      // Debug logging would write a line per socket; info is what runs in production.
      const hearth = await startServer({ env: { LOG_LEVEL: 'info' } });
      const { alice } = await people(hearth, 'alice');
      const room = await createRoom({ by: alice });
      const run = (cycles: number) => runCycles({ url: hearth.url, token: alice.token, roomId: room.id, cycles, concurrency: 16 });

      // Warm up (JIT, prepared statements, pools), then take the baseline.
      await run(1000);
      await settled(hearth.server);
      const before = await snapshot(hearth.server);
      expect(before).toMatchObject({ sockets: 0, subscriptions: 0, hubSubscribers: 0, admitted: 0, busListeners: 1 });

      const started = Date.now();
      await run(CYCLES);
      await settled(hearth.server);
      const after = await snapshot(hearth.server);
      expect(drift(before, after), JSON.stringify({ before, after, ms: Date.now() - started })).toEqual([]);
      // And the server still serves.
      await expect(alice.api.auth.me.query()).resolves.toMatchObject({ username: 'alice' });
    },
  );
});
