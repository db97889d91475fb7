import type { Redis } from 'ioredis';

/**
 * Closes an ioredis connection without waiting on a Redis that is away:
 * `quit()` on a connection that is reconnecting never settles, which made
 * shutdown hang for as long as Redis was down. QUIT when it is up (for at
 * most a second), then drop it.
 */
export async function closeRedis(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const capped = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)));
    await Promise.race([connection.quit().catch(() => {}), capped]);
    clearTimeout(timer);
  }
  connection.disconnect();
}
