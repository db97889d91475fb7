import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';
import { untilResolves } from './raw-ws.ts';

/** A free TCP port on loopback (for a private redis-server the test may stop and restart). */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** A private, throwaway redis-server on 127.0.0.1:port (no persistence), once it answers PING. */
export async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.env.HEARTH_REDIS_SERVER_BIN ?? 'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {}); // refused until the server is up
  try {
    await untilResolves(async () => {
      await probe.connect();
      await probe.ping();
    }, 5000).catch((error: Error) => {
      throw new Error('redis-server did not start', { cause: error.cause });
    });
    return child;
  } finally {
    probe.disconnect();
  }
}

/** Stops a redis-server started here, and waits until it is gone. */
export async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
