import { afterEach } from 'vitest';
import { startServer, type TestServer } from './server.ts';
import { startPushService, type PushService } from './push-service.ts';

const services: PushService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

/**
 * A Hearth server and a local push service it trusts (PUSH_CA_FILE) and may
 * send to (PUSH_SERVICE_HOSTS): short timeouts and backoff so that retries
 * are seen within a test, and room for many account changes.
 */
export async function startWithPush(
  options: { env?: Record<string, string>; slowMs?: number } = {},
): Promise<{ hearth: TestServer; pushService: PushService }> {
  const pushService = await startPushService({ slowMs: options.slowMs });
  services.push(pushService);
  const hearth = await startServer({
    env: {
      PUSH_CA_FILE: pushService.caFile,
      PUSH_SERVICE_HOSTS: pushService.host,
      PUSH_TIMEOUT_MS: '400',
      PUSH_RETRY_BASE_MS: '20',
      PUSH_MAX_ATTEMPTS: '3',
      ACCOUNT_CHANGES_PER_MINUTE: '1000',
      ...options.env,
    },
  });
  return { hearth, pushService };
}
