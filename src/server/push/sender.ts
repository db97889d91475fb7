import fs from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import webpush, { WebPushError } from 'web-push';
import { ConfigError, type Config } from '../app/config.ts';
import type { PushTarget } from '../store/push.ts';
import type { VapidKeys } from './vapid.ts';

/** How one request to a push service ended, as the dispatcher acts on it. */
export type SendOutcome = 'sent' | 'gone' | 'retry' | 'refused';

export interface PushSender {
  /** `retryAfterMs`: how long the push service asked us to wait (its Retry-After), if it did. */
  send(target: PushTarget, payload: string, options: { topic?: string }): Promise<{ outcome: SendOutcome; status?: number; retryAfterMs?: number }>;
  close(): void;
}

/**
 * The one place web-push is called: RFC 8291 encryption (aes128gcm) and a
 * VAPID (RFC 8292) signature per request, over our own agent so the
 * connections to a push service are kept alive and capped, and so a private
 * push service's certificate authority (PUSH_CA_FILE) is trusted for these
 * requests only, never for the rest of the process.
 */
export function createWebPushSender(config: Config, vapid: VapidKeys): PushSender {
  const agent = new https.Agent({ keepAlive: true, maxSockets: config.PUSH_CONCURRENCY, ca: trustedAuthorities(config.PUSH_CA_FILE) });
  const vapidDetails = { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey };
  return {
    async send(target, payload, { topic }) {
      const subscription = { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } };
      try {
        const response = await webpush.sendNotification(subscription, payload, {
          vapidDetails,
          TTL: config.PUSH_TTL_SECONDS,
          urgency: 'high',
          topic,
          agent,
          // An idle socket for this long (no answer, nothing sent) ends the request: a hung push service cannot hold a slot.
          timeout: config.PUSH_TIMEOUT_MS,
        });
        return { outcome: 'sent', status: response.statusCode };
      } catch (error) {
        if (!(error instanceof WebPushError)) return { outcome: 'retry' }; // the network, a timeout, a reset
        return { outcome: outcomeOf(error.statusCode), status: error.statusCode, retryAfterMs: retryAfterOf(error.headers, Date.now()) };
      }
    },
    close: () => agent.destroy(),
  };
}

/** RFC 8030: 404 and 410 mean the subscription is gone for good; 429 and 5xx are worth another try; other 4xx will not change. */
function outcomeOf(status: number): SendOutcome {
  if (status === 404 || status === 410) return 'gone';
  if (status === 429 || status >= 500) return 'retry';
  return 'refused';
}

/** RFC 9110 Retry-After: seconds, or an HTTP date; anything else is ignored. */
export function retryAfterOf(headers: Record<string, string | string[] | undefined> | undefined, now: number): number | undefined {
  const value = headers?.['retry-after'];
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  // Every HTTP-date form starts with the day's name; Date.parse alone would take "-5" as a year.
  const at = /^[A-Za-z]{3}/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function trustedAuthorities(file: string | undefined): string[] | undefined {
  if (!file) return undefined;
  try {
    return [...tls.rootCertificates, fs.readFileSync(file, 'utf8')];
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  PUSH_CA_FILE: cannot be read (${(error as Error).message})`);
  }
}
