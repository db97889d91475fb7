import type { Config } from '../app/config.ts';
import type { Logger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { PushStore } from '../store/push.ts';
import { WebPushDispatcher } from './dispatcher.ts';
import { PushMetrics } from './push-metrics.ts';
import { createWebPushSender } from './sender.ts';
import { loadVapidKeys } from './vapid.ts';

/** The dispatcher services.push is: the kept VAPID keys, web-push behind it, counted in /metrics. */
export async function startPush(deps: { store: { push: PushStore }; config: Config; log: Logger; metrics: Metrics }): Promise<WebPushDispatcher> {
  const vapid = await loadVapidKeys(deps);
  return new WebPushDispatcher({
    store: deps.store,
    config: deps.config,
    sender: createWebPushSender(deps.config, vapid),
    metrics: new PushMetrics(deps.metrics),
    log: deps.log,
    publicKey: vapid.publicKey,
  });
}
