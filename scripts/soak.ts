/**
 * `npm run soak`: the long soak. Starts Hearth in this process on a fresh
 * SQLite database, runs SOAK_CYCLES (default 50,000) connect/subscribe/
 * disconnect cycles over real sockets, and checks that heap (after a full GC),
 * bus listeners, the room hub, every connection registry and open timers are
 * back to their baseline. Exits 1 when something is not. The CI-sized run is
 * tests/soak.test.ts (5,000 cycles); both share tests/helpers/soak.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configWith } from '../src/server/app/config.ts';
import { createHearthServer } from '../src/server/http/server.ts';
import { TEST_ACCOUNTS, TEST_LIMITS, TEST_SETUP_TOKEN } from '../tests/helpers/process.ts';
import { drift, mb, runCycles, settled, snapshot } from '../tests/helpers/soak.ts';

const cycles = Number(process.env.SOAK_CYCLES ?? 50_000);
const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 32);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-soak-'));

async function main(): Promise<number> {
  // One client address opens every socket here: the per-address and per-user limits are raised.
  const config = configWith({
    PORT: '0',
    DATABASE_URL: `file:${path.join(dir, 'hearth.db')}`,
    LOG_LEVEL: 'warn',
    SERVE_WEB: 'false',
    ...TEST_LIMITS,
    ...TEST_ACCOUNTS,
  });
  const server = await createHearthServer({ config });
  const url = await server.listen();
  try {
    const call = async <T>(procedure: string, input: unknown, token?: string): Promise<T> => {
      const response = await fetch(`${url}/api/trpc/${procedure}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(input),
      });
      return ((await response.json()) as { result: { data: T } }).result.data;
    };
    const { token } = await call<{ token: string }>('auth.register', { username: 'soak', password: 'soak soak soak soak', setupToken: TEST_SETUP_TOKEN });
    const room = await call<{ id: string }>('rooms.create', { name: 'soak', kind: 'closed' }, token);
    const run = (n: number) =>
      runCycles({ url, token, roomId: room.id, cycles: n, concurrency, onProgress: (done) => done % 10_000 === 0 && console.log(`  ${done} cycles`) });

    await run(1000);
    await settled(server);
    const before = await snapshot(server);
    console.log(`baseline: heap ${mb(before.heapUsed)}, ${before.busListeners} bus listener(s)`);
    const started = Date.now();
    await run(cycles);
    await settled(server);
    const after = await snapshot(server);
    const seconds = (Date.now() - started) / 1000;
    console.log(`${cycles} cycles in ${seconds.toFixed(1)} s (${Math.round(cycles / seconds)}/s); heap ${mb(after.heapUsed)}`);
    console.table({ before, after });
    const problems = drift(before, after);
    for (const problem of problems) console.error(`NOT BACK TO BASELINE: ${problem}`);
    if (problems.length === 0) console.log('soak passed: back to baseline');
    return problems.length === 0 ? 0 : 1;
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
